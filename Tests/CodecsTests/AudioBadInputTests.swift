import Codecs
import Media
import TestSupport
import Testing

/// Damaged and hostile input: every failure is a `CodecError`, nothing crashes, hangs or
/// allocates by what a header claims.
///
/// Policy (see ``AudioCodec``): a file cut inside its header throws; a file cut inside its audio
/// data decodes to the whole frames present; a stream with no frames at all throws `.corrupt`.
@Suite("Audio bad input", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct AudioBadInputTests {
    /// A real file of each format: corpus WAV, FLAC and Vorbis; Opus and MP3 written from corpus
    /// audio by the codec itself (the corpus has none).
    static func sample(_ format: ContainerFormat) throws -> [UInt8] {
        switch format {
        case .wav: try AudioFixtures.bytes("guitar_solo_muldjord_chaos_god.wav")
        case .flac: try AudioFixtures.bytes("sparse_lomiri_wind_chime.flac")
        case .ogg: try AudioFixtures.bytes("piano_solo_lomiri_melody_piano.ogg")
        default: try AudioFixtures.encodedExcerpt(format)
        }
    }

    static let formats: [ContainerFormat] = [.wav, .flac, .ogg, .opus, .mp3]

    /// Every cut lands inside a header (WAV's is 44 bytes, so a WAV cut at 44 has a whole header
    /// and no data: that is the "no frames" case).
    static let headerCuts: [(ContainerFormat, Int)] = formats.flatMap { format in
        [0, 10, 44, 100].compactMap { cut in format == .wav && cut > 44 ? nil : (format, cut) }
    }

    @Test("a file cut inside its header throws", arguments: headerCuts)
    func truncatedHeader(format: ContainerFormat, cut: Int) throws {
        let bytes = Array(try Self.sample(format).prefix(cut))
        #expect(throws: CodecError.self, "decode \(format) cut at \(cut)") { try AudioCodec.decode(bytes) }
        #expect(throws: CodecError.self, "probe \(format) cut at \(cut)") { try AudioCodec.probe(bytes) }
    }

    /// WAV at 100 bytes is a whole 44-byte header plus 56 bytes of samples: truncated audio, not
    /// a truncated header, so it decodes to the whole frames there — as a player would play them.
    @Test("a WAV cut just after its header decodes the whole frames present",
          arguments: [("guitar_solo_muldjord_chaos_god.wav", 14), ("speech_en_female_asterisk_demo_instruct_16k_mono.wav", 28)])
    func wavCutAfterHeader(name: String, frames: Int) throws {
        let whole = try AudioFixtures.bytes(name)
        let cut = Array(whole.prefix(100))
        let audio = try AudioCodec.decode(cut)
        #expect(audio.frameCount == frames)
        #expect(try AudioCodec.probe(cut).frameCount == frames)
        let reference = try AudioCodec.decode(whole)
        #expect(audio.channels == reference.channels.map { Array($0.prefix(frames)) })
    }

    @Test("a file cut inside its audio data throws or returns fewer frames",
          arguments: formats.flatMap { format in [0.5, 0.9].map { (format, $0) } })
    func truncatedAudio(format: ContainerFormat, fraction: Double) throws {
        let bytes = try Self.sample(format)
        let full = try AudioCodec.decode(bytes)
        do {
            let partial = try AudioCodec.decode(Array(bytes.prefix(Int(Double(bytes.count) * fraction))))
            #expect(partial.frameCount < full.frameCount, "\(format) at \(fraction)")
            #expect(partial.frameCount > 0)
        } catch is CodecError {
            // Also allowed: the decoder gave up on the damaged stream.
        }
    }

    @Test("empty input is not recognised")
    func empty() {
        #expect(throws: CodecError.unrecognizedFormat) { try AudioCodec.decode([]) }
        #expect(throws: CodecError.unrecognizedFormat) { try AudioCodec.probe([]) }
    }

    @Test("random bytes are not recognised", arguments: [1, 2, 3] as [UInt64])
    func randomBytes(seed: UInt64) {
        var random = SeededBytes(seed: seed)
        let bytes = random.bytes(4096)
        #expect(throws: CodecError.unrecognizedFormat) { try AudioCodec.decode(bytes) }
    }

    /// The sniffer lets these through to libsndfile, which must refuse them.
    @Test("a valid signature followed by noise throws", arguments: [
        Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8), Array("fLaC".utf8), Array("OggS".utf8), Array("ID3".utf8), [0xFF, 0xFB],
    ])
    func signatureThenNoise(signature: [UInt8]) {
        for seed: UInt64 in 1...3 {
            var random = SeededBytes(seed: seed)
            let bytes = signature + random.bytes(4096)
            #expect(throws: CodecError.self, "\(signature) + noise, seed \(seed)") { try AudioCodec.decode(bytes) }
        }
    }

    /// One byte inverted in a structural header field. Ogg pages carry a CRC, so any flip there
    /// is caught; WAV and FLAC fields are picked to cover chunk ids, sizes, codec tags, channel
    /// counts and sample rates. (MP3 has no file header to damage: frames resynchronise by design,
    /// so MP3 is in the sweep below instead.)
    @Test("a flipped header byte throws", arguments: [
        (ContainerFormat.wav, 12), (.wav, 16), (.wav, 20), (.wav, 22), (.wav, 23), (.wav, 26), (.wav, 34), (.wav, 36),
        (.flac, 4), (.flac, 6), (.flac, 18), (.flac, 20), (.flac, 21), (.flac, 42),
        (.ogg, 5), (.ogg, 14), (.ogg, 22), (.ogg, 26), (.ogg, 29), (.ogg, 40),
        (.opus, 5), (.opus, 22), (.opus, 37), (.opus, 40),
    ])
    func flippedHeaderByte(format: ContainerFormat, offset: Int) throws {
        var bytes = try Self.sample(format)
        bytes[offset] ^= 0xFF
        #expect(throws: CodecError.self, "\(format) byte \(offset) flipped") { try AudioCodec.decode(bytes) }
    }

    /// Every single-byte flip in the first 64 bytes of a short file of each format either throws a
    /// `CodecError` or decodes to a sane buffer; none may crash or hang.
    @Test("flipping any of the first 64 bytes never crashes", arguments: formats)
    func flipSweep(format: ContainerFormat) throws {
        let source = AudioFixtures.excerpt(try AudioFixtures.decoded(format == .opus ? AudioFixtures.stereo48k : AudioFixtures.stereo44k),
                                           seconds: 0.5, from: 5)
        let original = try AudioCodec.encode(source, options: AudioEncodeOptions(format: format))
        for offset in 0..<64 {
            var bytes = original
            bytes[offset] ^= 0xFF
            do {
                let audio = try AudioCodec.decode(bytes)
                #expect((1...8).contains(audio.channelCount) && audio.frameCount > 0, "\(format) byte \(offset)")
            } catch is CodecError {
            } catch {
                Issue.record("\(format) byte \(offset): \(error) is not a CodecError")
            }
        }
    }

    /// A header may claim any length; the decoder must neither trust it for allocation nor read
    /// past the data. FLAC's STREAMINFO total-samples field is 36 bits: set it to 2^36 − 1.
    @Test("a FLAC claiming 2^36 frames decodes the frames it has")
    func hugeFrameClaim() throws {
        var bytes = try AudioFixtures.bytes("sparse_lomiri_wind_chime.flac")
        bytes[21] |= 0x0F  // total samples: low nibble of byte 21, then bytes 22...25
        for offset in 22...25 { bytes[offset] = 0xFF }
        #expect(try AudioCodec.probe(bytes).frameCount == (1 << 36) - 1)
        #expect(try AudioCodec.decode(bytes).frameCount == 682_660)
    }

    @Test("a WAV data size of 4 GiB is trimmed to the bytes present")
    func hugeWavDataSize() throws {
        var bytes = try AudioFixtures.bytes("guitar_solo_muldjord_chaos_god.wav")
        for offset in 40...43 { bytes[offset] = 0xFF }
        #expect(try AudioCodec.probe(bytes).frameCount == 882_000)
        #expect(try AudioCodec.decode(bytes).frameCount == 882_000)
    }

    @Test("a WAV with 9 channels is unsupported")
    func nineChannels() throws {
        let bytes = PCMWave.silence(channels: 9, sampleRate: 48000, frames: 100)
        let error = #expect(throws: CodecError.self) { try AudioCodec.decode(bytes) }
        if case .unsupported(.wav, _) = error {} else { Issue.record("expected unsupported, got \(String(describing: error))") }
    }
}
