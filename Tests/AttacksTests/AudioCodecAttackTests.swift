import Attacks
import Codecs
import Media
import Testing
import TestSupport

@Suite("Audio attacks: lossy codecs")
struct AudioCodecAttackTests {
    /// 6 s of a dense 44.1 kHz stereo mix, 6 s of 48 kHz stereo, 6 s of 22.05 kHz mono.
    static let sources: [(name: String, start: Double)] = [
        ("rock_metal_muldjord_chaos_god.flac", 10),
        ("electronic_etr_calmrace_48k.wav", 5),
        ("folk_wesnoth_traveling_minstrels_22k_mono.wav", 10),
    ]

    @Test("rate, channels and length are the input's, and the output is aligned",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["mp3:128", "mp3:64", "mp3:32", "ogg:0", "opus:32", "aac:64"], [0, 1, 2])
    func shapeAndAlignment(spec: String, source: Int) throws {
        let (name, start) = Self.sources[source]
        let original = try AttackFixtures.audio(name, from: start, seconds: 6)
        let attacked = try AttackChain(parsing: spec).apply(to: original, seed: 0)
        #expect(attacked.sampleRate == original.sampleRate)
        #expect(attacked.channelCount == original.channelCount)
        #expect(attacked.frameCount == original.frameCount)
        #expect(attacked.metadata == original.metadata)
        let snr = AttackMeasure.snr(original, attacked)
        // Misaligned by a codec delay (hundreds of samples), music falls to about 0 dB or below.
        // Opus at 32 kbit/s on the dense metal mix reaches only about 4 dB even when aligned.
        #expect(snr > 3, "\(spec) on \(name): SNR \(snr) dB")
    }

    @Test("the encoded file is at a rate the codec takes; decoding it gives the attack's audio",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func encodedFile() throws {
        let original = try AttackFixtures.audio("folk_wesnoth_traveling_minstrels_22k_mono.wav", from: 3, seconds: 3)
        for (spec, rate) in [("mp3:128", 22050), ("mp3:320", 32000), ("opus:32", 48000), ("ogg:0.3", 22050)] {
            let attack = try Attack(parsing: spec)
            let bytes = try attack.encodedFile(for: .audio(original))
            #expect(FormatSniffer.format(of: bytes) == attack.codecFormat)
            let decoded = try AudioCodec.decode(bytes)
            #expect(decoded.sampleRate == rate, "\(spec)")
            #expect(decoded.channelCount == 1)
        }
    }

    @Test("lower MP3 bitrate, lower SNR; 128 kbit/s is well aligned",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func mp3BitrateLadder() throws {
        let original = try AttackFixtures.audio("rock_metal_muldjord_chaos_god.flac", from: 10, seconds: 6)
        let high = AttackMeasure.snr(original, try Attack.mp3(kbps: 128).apply(to: original, seed: 0))
        let low = AttackMeasure.snr(original, try Attack.mp3(kbps: 64).apply(to: original, seed: 0))
        #expect(high > 10, "mp3:128 SNR \(high) dB")
        #expect(low < high, "mp3:64 \(low) dB, mp3:128 \(high) dB")
    }

    @Test("no offset of ±1 or ±2 samples matches better than the one chosen",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["mp3:128", "mp3:32", "opus:32", "ogg:0", "aac:128"])
    func alignmentIsExact(spec: String) throws {
        let original = try AttackFixtures.audio("guitar_solo_muldjord_chaos_god.wav", from: 4, seconds: 5)
        let attacked = try AttackChain(parsing: spec).apply(to: original, seed: 0)
        let reference = Array(original.channels[0][2..<original.frameCount - 2])
        func snr(offset: Int) -> Double {
            AttackMeasure.snr(reference, Array(attacked.channels[0][2 + offset ..< original.frameCount - 2 + offset]))
        }
        let aligned = snr(offset: 0)
        for offset in [-2, -1, 1, 2] {
            #expect(snr(offset: offset) < aligned, "\(spec): offset \(offset) beats the alignment found")
        }
    }
}
