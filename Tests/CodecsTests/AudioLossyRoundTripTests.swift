import Codecs
import Media
import TestSupport
import Testing

/// Vorbis, Opus and MP3 keep rate, channel count and length; bitrate requests are honoured.
@Suite("Audio lossy round trips", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct AudioLossyRoundTripTests {
    /// 10 s of real stereo music at a rate the codec takes.
    static func source(for format: ContainerFormat) throws -> AudioBuffer {
        let name = format == .opus ? AudioFixtures.stereo48k : AudioFixtures.stereo44k
        return AudioFixtures.excerpt(try AudioFixtures.decoded(name), seconds: 10, from: 5)
    }

    /// Tolerance on the decoded length: 0 frames for all three, because each stream carries its
    /// exact length and libsndfile applies it. Vorbis: the last page's granule position ends the
    /// stream mid-packet (Vorbis I spec §A.2). Opus: the header's pre-skip drops the encoder's
    /// lookahead and the final granule position drops the end padding (RFC 7845 §4.2, §4.4).
    /// MP3: LAME's Info tag records encoder delay and padding, which mpg123 removes (gapless
    /// decoding); without that tag the length would be off by up to 576 + 529 frames at the start
    /// and one 1152-frame granule pair at the end.
    @Test("keeps sample rate, channels and length", arguments: [ContainerFormat.ogg, .opus, .mp3])
    func keepsShape(format: ContainerFormat) throws {
        let source = try Self.source(for: format)
        let decoded = try AudioCodec.decode(AudioCodec.encode(source, options: AudioEncodeOptions(format: format)))
        #expect(decoded.sampleRate == source.sampleRate)
        #expect(decoded.channelCount == source.channelCount)
        #expect(decoded.frameCount == source.frameCount, "\(format): \(decoded.frameCount) frames, expected \(source.frameCount)")
        #expect(decoded.metadata == AudioMetadata(sourceFormat: format, sampleFormat: .compressed))
        let aligned = AudioFixtures.alignedSNR(reference: source, test: decoded, maxLag: 1200)
        #expect(aligned.lag == 0, "\(format): decoded audio is shifted by \(aligned.lag) frames")
        #expect(aligned.snr > 10, "\(format): SNR \(aligned.snr) dB at default quality")
    }

    /// File size over duration is the bitrate; ±10 % leaves room for the LAME Info frame and
    /// Ogg page headers (and for Opus, whose target libopus meets on average, not per packet).
    @Test("bitrateKbps gives files of that bitrate",
          arguments: [(ContainerFormat.mp3, 64), (.mp3, 128), (.opus, 64), (.opus, 128)])
    func bitrate(format: ContainerFormat, kbps: Int) throws {
        let source = try Self.source(for: format)
        let encoded = try AudioCodec.encode(source, options: AudioEncodeOptions(format: format, bitrateKbps: kbps))
        let measured = Double(encoded.count * 8) / source.duration / 1000
        #expect(abs(measured - Double(kbps)) <= 0.1 * Double(kbps), "\(format) at \(kbps) kbit/s measured \(measured)")
    }

    /// More bits, less noise: SNR against the original after aligning by cross-correlation, so a
    /// residual delay cannot masquerade as coding noise.
    @Test("a higher MP3 bitrate gives a higher SNR")
    func mp3BitrateImprovesSNR() throws {
        let source = try Self.source(for: .mp3)
        func snr(_ kbps: Int) throws -> Double {
            let decoded = try AudioCodec.decode(
                AudioCodec.encode(source, options: AudioEncodeOptions(format: .mp3, bitrateKbps: kbps)))
            return AudioFixtures.alignedSNR(reference: source, test: decoded, maxLag: 1200).snr
        }
        let low = try snr(64), high = try snr(128)
        #expect(high > low + 3, "SNR at 128 kbit/s \(high) dB, at 64 kbit/s \(low) dB")
    }

    @Test("vbrQuality trades size for fidelity", arguments: [ContainerFormat.ogg, .opus, .mp3])
    func vbrQuality(format: ContainerFormat) throws {
        let source = AudioFixtures.excerpt(try Self.source(for: format), seconds: 4)
        let small = try AudioCodec.encode(source, options: AudioEncodeOptions(format: format, vbrQuality: 0.1))
        let large = try AudioCodec.encode(source, options: AudioEncodeOptions(format: format, vbrQuality: 0.9))
        #expect(large.count > small.count * 2, "\(format): \(small.count) bytes at q 0.1, \(large.count) at q 0.9")
    }

    @Test("Opus at 44.1 kHz is refused, naming the allowed rates")
    func opusRejects44k() throws {
        let source = AudioFixtures.excerpt(try AudioFixtures.decoded(AudioFixtures.stereo44k), seconds: 1)
        let error = #expect(throws: CodecError.self) {
            try AudioCodec.encode(source, options: AudioEncodeOptions(format: .opus))
        }
        guard case let .encodeFailed(format, reason) = error else {
            Issue.record("expected encodeFailed, got \(String(describing: error))")
            return
        }
        #expect(format == .opus)
        #expect(reason.contains("48000") && reason.contains("44100"), "\(reason)")
    }

    /// Options a container cannot honour fail loudly rather than being ignored.
    @Test("invalid lossy options throw encodeFailed", arguments: [
        (44100, 2, AudioEncodeOptions(format: .mp3, bitrateKbps: 100)),      // not an MPEG bitrate
        (44100, 2, AudioEncodeOptions(format: .mp3, bitrateKbps: 8)),        // MPEG-2 only
        (96000, 2, AudioEncodeOptions(format: .mp3)),                        // not an MPEG rate
        (44100, 3, AudioEncodeOptions(format: .mp3)),                        // MP3 is mono or stereo
        (48000, 2, AudioEncodeOptions(format: .opus, bitrateKbps: 600)),     // > 256 kbit/s per channel
        (48000, 2, AudioEncodeOptions(format: .opus, bitrateKbps: 8)),       // < 6 kbit/s per channel
        (44100, 2, AudioEncodeOptions(format: .ogg, bitrateKbps: 128)),      // Vorbis: quality only
        (44100, 2, AudioEncodeOptions(format: .ogg, vbrQuality: 1.5)),
        (44100, 2, AudioEncodeOptions(format: .mp3, vbrQuality: 0.5, bitrateKbps: 128)),
        (44100, 2, AudioEncodeOptions(format: .png)),
    ])
    func invalidOptions(sampleRate: Int, channelCount: Int, options: AudioEncodeOptions) {
        let audio = AudioBuffer(sampleRate: sampleRate, channels: Array(repeating: [Float](repeating: 0.1, count: 4800), count: channelCount))
        let error = #expect(throws: CodecError.self) { try AudioCodec.encode(audio, options: options) }
        if case .encodeFailed = error {} else { Issue.record("expected encodeFailed, got \(String(describing: error))") }
    }

    @Test("more than 8 channels or no frames are refused")
    func refusedShapes() {
        let nine = AudioBuffer(sampleRate: 48000, channels: Array(repeating: [0.1, 0.2], count: 9))
        #expect(throws: CodecError.unsupported(format: .wav, reason: "9 channels; tracemark handles 1–8")) {
            try AudioCodec.encode(nine, options: AudioEncodeOptions(format: .wav))
        }
        let empty = AudioBuffer(sampleRate: 48000, channels: [[]])
        #expect(throws: CodecError.encodeFailed(format: .flac, reason: "no audio frames to encode")) {
            try AudioCodec.encode(empty, options: AudioEncodeOptions(format: .flac))
        }
    }
}
