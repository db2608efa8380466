import Codecs
import Media
import TestSupport
import Testing

/// `probe` reads only the header; what it reports must be what `decode` then delivers.
@Suite("Audio probe")
struct AudioProbeTests {
    @Test("probe matches decode on every corpus file", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: AudioFixtures.allFiles)
    func corpusProbe(name: String) throws {
        let bytes = try AudioFixtures.bytes(name)
        try expectProbeMatchesDecode(bytes, name)
    }

    @Test("probe matches decode on files this codec wrote", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [ContainerFormat.wav, .flac, .ogg, .opus, .mp3])
    func encodedProbe(format: ContainerFormat) throws {
        try expectProbeMatchesDecode(AudioFixtures.encodedExcerpt(format), "\(format)")
    }

    private func expectProbeMatchesDecode(_ bytes: [UInt8], _ label: String) throws {
        let info = try AudioCodec.probe(bytes)
        let audio = try AudioCodec.decode(bytes)
        #expect(info.format == audio.metadata.sourceFormat, "\(label)")
        #expect(info.sampleRate == audio.sampleRate, "\(label)")
        #expect(info.channelCount == audio.channelCount, "\(label)")
        #expect(info.frameCount == audio.frameCount, "\(label)")
        #expect(info.duration == audio.duration, "\(label)")
        #expect(info.sampleFormat == audio.metadata.sampleFormat, "\(label)")
    }

    @Test("probe reports the corpus's documented properties", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [
              ("speech_en_female_asterisk_demo_instruct_16k_mono.wav", ContainerFormat.wav, 16000, 1, AudioSampleFormat.pcm16, 73.35),
              ("folk_wesnoth_traveling_minstrels_22k_mono.wav", .wav, 22050, 1, .pcm16, 29.99),
              ("electronic_etr_calmrace_48k.wav", .wav, 48000, 2, .pcm16, 20.00),
              ("rock_metal_muldjord_chaos_god.flac", .flac, 44100, 2, .pcm16, 30.00),
              ("orchestral_wesnoth_heroes_rite.ogg", .ogg, 44100, 2, .compressed, 60.02),
          ])
    func documentedProperties(name: String, format: ContainerFormat, sampleRate: Int, channels: Int,
                              sampleFormat: AudioSampleFormat, seconds: Double) throws {
        let info = try AudioCodec.probe(AudioFixtures.bytes(name))
        #expect(info.format == format)
        #expect(info.sampleRate == sampleRate)
        #expect(info.channelCount == channels)
        #expect(info.sampleFormat == sampleFormat)
        // SOURCES.md rounds durations to 10 ms.
        #expect(abs(info.duration - seconds) <= 0.005, "\(name): \(info.duration) s, documented \(seconds) s")
    }
}
