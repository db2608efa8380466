import Codecs
import Media
import TestSupport
import Testing

/// WAV and FLAC keep every bit: decode → encode (same container, same sample format) → decode
/// gives identical samples.
@Suite("Audio lossless round trips")
struct AudioLosslessRoundTripTests {
    @Test("corpus WAV and FLAC are bit-exact", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: AudioFixtures.wavFiles + AudioFixtures.flacFiles)
    func corpusRoundTrip(name: String) throws {
        let original = try AudioFixtures.decoded(name)
        let container = try #require(original.metadata.sourceFormat)
        let encoded = try AudioCodec.encode(original, options: AudioEncodeOptions(format: container))
        let again = try AudioCodec.decode(encoded)

        #expect(again.sampleRate == original.sampleRate)
        #expect(again.metadata == original.metadata)
        let mismatch = AudioFixtures.mismatch(again, original)
        #expect(mismatch == nil, "\(name) after \(container) round trip")
    }

    @Test("a decode limited to N seconds is the first N seconds of the full decode",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["rock_metal_muldjord_chaos_god.flac", "guitar_solo_muldjord_chaos_god.wav",
                      "orchestral_wesnoth_heroes_rite.ogg"])
    func limitedDecodeIsAPrefix(name: String) throws {
        let bytes = try Corpus.bytes(of: Corpus.audio(name))
        let full = try AudioCodec.decode(bytes)
        let part = try AudioCodec.decode(bytes, maximumSeconds: 7.5)
        #expect(part.frameCount == Int((7.5 * Double(full.sampleRate)).rounded(.up)))
        #expect(part.sampleRate == full.sampleRate && part.metadata == full.metadata)
        for (a, b) in zip(part.channels, full.channels) { #expect(a[...] == b[0..<part.frameCount]) }
        // Longer than the file: the whole file.
        #expect(try AudioCodec.decode(bytes, maximumSeconds: 3600).frameCount == full.frameCount)
    }

    /// Windows of `length` every `hop` frames and a last, shorter one from the next start to the
    /// end of the file, each equal to that stretch of the full decode; a file no longer than a
    /// window is one window; `body` can stop the decoding.
    @Test("decoding in windows gives the stretches of the full decode",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["guitar_solo_muldjord_chaos_god.wav", "orchestral_wesnoth_heroes_rite.ogg"])
    func windowsAreStretchesOfTheFullDecode(name: String) throws {
        let bytes = try Corpus.bytes(of: Corpus.audio(name))
        let full = try AudioCodec.decode(bytes)
        let length = 7 * full.sampleRate, hop = 5 * full.sampleRate
        var windows = [Range<Int>]()
        let total = try AudioCodec.decodeWindows(bytes, length: length, hop: hop) { window, start in
            let frames = start..<(start + window.frameCount)
            windows.append(frames)
            #expect(window.sampleRate == full.sampleRate && window.metadata == full.metadata)
            for (a, b) in zip(window.channels, full.channels) { #expect(a[...] == b[frames], "window at \(start)") }
            return true
        }
        #expect(total == full.frameCount)
        var expected = stride(from: 0, through: full.frameCount - length, by: hop).map { $0..<($0 + length) }
        if expected.last!.upperBound < full.frameCount { expected.append((expected.last!.lowerBound + hop)..<full.frameCount) }
        #expect(windows == expected)
        #expect(windows.last!.count < length, "the stride does not end with these files: a shorter last window")
        var seen = 0
        try AudioCodec.decodeWindows(bytes, length: length, hop: hop) { _, _ in seen += 1; return seen < 2 }
        #expect(seen == 2)
        // A plan of two windows (from a stated length): the second runs from its start to the end.
        var limited = [Range<Int>]()
        let limitedLength = full.frameCount * 2 / 3, limitedHop = full.frameCount / 2
        try AudioCodec.decodeWindows(bytes, length: limitedLength, hop: limitedHop, windowLimit: 2) { window, start in
            limited.append(start..<(start + window.frameCount))
            for (a, b) in zip(window.channels, full.channels) { #expect(a[...] == b[start..<start + window.frameCount]) }
            return true
        }
        #expect(limited == [0..<limitedLength, limitedHop..<full.frameCount])
        // A one-window plan for a file over twice as long as planned: its header misstates it.
        #expect { try AudioCodec.decodeWindows(bytes, length: full.frameCount / 3, hop: full.frameCount / 3, windowLimit: 1) { _, _ in true } }
            throws: { error in
                guard case CodecError.corrupt(_, let reason) = error else { return false }
                return reason.contains("longer than its header states")
            }
        var whole: AudioBuffer?
        try AudioCodec.decodeWindows(bytes, length: full.frameCount + 10, hop: 1) { window, start in
            #expect(start == 0); whole = window; return true
        }
        #expect(whole == full)
    }

    /// Content that really uses the wider formats: a corpus excerpt at −3 dB (×0.7) is no longer
    /// on the 16-bit grid, so a writer that silently dropped to 16 bits would fail.
    @Test("wider sample formats made from corpus audio are bit-exact",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [(ContainerFormat.wav, AudioSampleFormat.pcm24), (.wav, .pcm32), (.wav, .float32),
                      (.wav, .float64), (.wav, .pcm8), (.flac, .pcm24), (.flac, .pcm8)])
    func widerFormatRoundTrip(container: ContainerFormat, sampleFormat: AudioSampleFormat) throws {
        let source = AudioFixtures.scaled(
            AudioFixtures.excerpt(try AudioFixtures.decoded(AudioFixtures.stereo44k), seconds: 3, from: 5), by: 0.7)
        let first = try AudioCodec.decode(
            AudioCodec.encode(source, options: AudioEncodeOptions(format: container, sampleFormat: sampleFormat)))
        #expect(first.metadata.sampleFormat == sampleFormat)
        if sampleFormat != .pcm8 {
            let off16BitGrid = first.channels[0].contains { ($0 * 32768).rounded() != $0 * 32768 }
            #expect(off16BitGrid, "\(sampleFormat) content should not be 16-bit")
        }

        // sampleFormat: nil must keep what the decoder reported.
        let second = try AudioCodec.decode(AudioCodec.encode(first, options: AudioEncodeOptions(format: container)))
        #expect(second.metadata.sampleFormat == sampleFormat)
        let mismatch = AudioFixtures.mismatch(second, first)
        #expect(mismatch == nil, "\(container) \(sampleFormat)")
    }

    @Test("out-of-range floats clip to full scale instead of wrapping",
          arguments: [(ContainerFormat.wav, AudioSampleFormat.pcm16), (.wav, .pcm24), (.flac, .pcm16), (.flac, .pcm24)])
    func clipping(container: ContainerFormat, sampleFormat: AudioSampleFormat) throws {
        let samples: [Float] = [1.5, -1.5, 1, -1, 0.5, -0.25, 40, -40]
        let audio = AudioBuffer(sampleRate: 8000, channels: [samples])
        let decoded = try AudioCodec.decode(
            AudioCodec.encode(audio, options: AudioEncodeOptions(format: container, sampleFormat: sampleFormat)))
        let bits = sampleFormat == .pcm16 ? 16 : 24
        let top = Float((1 << (bits - 1)) - 1) / Float(1 << (bits - 1))  // largest positive code
        #expect(decoded.channels[0] == [top, -1, top, -1, 0.5, -0.25, top, -1])
    }

    /// Off-grid floats (what a marker writes) round to the nearest code, the same in every
    /// container: left to libsndfile, WAV rounds down (a −½-LSB offset) while FLAC rounds to nearest.
    @Test("off-grid floats round to the nearest code in WAV and FLAC alike", arguments: [AudioSampleFormat.pcm16, .pcm24])
    func offGridRounding(sampleFormat: AudioSampleFormat) throws {
        let step: Float = sampleFormat == .pcm16 ? 0x1p-15 : 0x1p-23
        // Codes k + f for f across (0, 1), positive and negative, avoiding exact halves.
        let samples: [Float] = (0..<200).map { i in
            let code = Float(i - 100) * 37 + Float(i % 10) / 10 + 0.05
            return code * step
        }
        let audio = AudioBuffer(sampleRate: 8000, channels: [samples])
        let expected = samples.map { ($0 / step).rounded() * step }
        for container in [ContainerFormat.wav, .flac] {
            let decoded = try AudioCodec.decode(
                AudioCodec.encode(audio, options: AudioEncodeOptions(format: container, sampleFormat: sampleFormat)))
            #expect(decoded.channels[0] == expected, "\(container) \(sampleFormat)")
        }
    }

    /// 16-bit output is rounded and clipped by tracemark's own integer conversion: exact halves go
    /// to the even code as the float path's rounding did, and a NaN writes a code instead of trapping.
    @Test("16-bit output rounds halves to even and survives a NaN", arguments: [ContainerFormat.wav, .flac])
    func halvesAndNaN(container: ContainerFormat) throws {
        let step: Float = 0x1p-15
        let codes: [Float] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 32766.5, -32767.5, 32767.5]
        let audio = AudioBuffer(sampleRate: 8000, channels: [codes.map { $0 * step } + [.nan]])
        let decoded = try AudioCodec.decode(
            AudioCodec.encode(audio, options: AudioEncodeOptions(format: container, sampleFormat: .pcm16)))
        let expected: [Float] = [0, 2, 2, 0, -2, -2, 32766, -32768, 32767]
        #expect(Array(decoded.channels[0].prefix(9)) == expected.map { $0 * step })
        #expect(decoded.channels[0][9].isFinite)
    }

    @Test("nil sample format falls back to 16-bit where the container cannot keep the source's")
    func sampleFormatFallback() throws {
        let lossySource = AudioBuffer(sampleRate: 8000, channels: [[0.25, -0.5]],
                                      metadata: AudioMetadata(sourceFormat: .ogg, sampleFormat: .compressed))
        let floatSource = AudioBuffer(sampleRate: 8000, channels: [[0.25, -0.5]],
                                      metadata: AudioMetadata(sourceFormat: .wav, sampleFormat: .float32))
        for (audio, container) in [(lossySource, ContainerFormat.wav), (lossySource, .flac), (floatSource, .flac)] {
            let decoded = try AudioCodec.decode(AudioCodec.encode(audio, options: AudioEncodeOptions(format: container)))
            #expect(decoded.metadata.sampleFormat == .pcm16)
            #expect(decoded.channels == audio.channels)
        }
    }

    @Test("a sample format the container cannot store is refused, not substituted",
          arguments: [(ContainerFormat.flac, AudioSampleFormat.float32), (.flac, .pcm32), (.flac, .float64),
                      (.wav, .compressed)])
    func unstorableSampleFormat(container: ContainerFormat, sampleFormat: AudioSampleFormat) {
        let audio = AudioBuffer(sampleRate: 8000, channels: [[0.1, 0.2]])
        #expect(throws: CodecError.self) {
            try AudioCodec.encode(audio, options: AudioEncodeOptions(format: container, sampleFormat: sampleFormat))
        }
    }
}
