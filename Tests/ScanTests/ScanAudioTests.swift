import Codecs
import Foundation
import Marking
import Media
import Scan
import Spectral
import Testing
import TestSupport

/// Audio items go through the same scan: decoded, analysed once, checked against every key.
@Suite("Scan of audio items", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ScanAudioTests {
    @Test func markedAndUnmarkedAudioInAFolderAndATar() throws {
        let fixture = try ScanFixture.shared.get()
        let folder = try fixture.scratch()
        var clip = try AudioCodec.decode(try Corpus.bytes(of: Corpus.audio("rock_metal_muldjord_chaos_god.flac")))
        let first = 5 * clip.sampleRate, count = min(clip.frameCount - first, 20 * clip.sampleRate)
        clip.channels = clip.channels.map { Array($0[first..<first + count]) }
        let marked = try AudioMarker(key: ScanFixture.keyB).embed(clip, payload: ScanFixture.payloadB).audio
        let markedWAV = try AudioCodec.encode(marked, options: AudioEncodeOptions(format: .wav))
        let cleanFLAC = try AudioCodec.encode(clip, options: AudioEncodeOptions(format: .flac))
        try Data(markedWAV).write(to: folder.appendingPathComponent("marked.wav"))
        let tar = folder.appendingPathComponent("audio.tar").path
        let writer = try ArchiveWriter(path: tar, format: .tar)
        try writer.add("clean.flac", bytes: cleanFLAC)
        try writer.close()

        let scanner = CorpusScanner(detectors: [KeyDetector(key: ScanFixture.keyA), KeyDetector(key: ScanFixture.keyB)])
        let (records, _) = try scanner.collect([.path(folder.path)])
        #expect(records.count == 2)
        let markedRecord = try #require(records.first { $0.item.hasSuffix("/marked.wav") })
        #expect(markedRecord.kind == "audio" && markedRecord.detected, "FPR \(markedRecord.falsePositiveProbability ?? -1)")
        #expect(markedRecord.keyID == ScanFixture.keyB.id && markedRecord.payload == ScanFixture.payloadB.hex)
        let cleanRecord = try #require(records.first { $0.item == "\(tar)#clean.flac" })
        #expect(cleanRecord.kind == "audio" && !cleanRecord.detected && cleanRecord.error == nil)
    }

    /// A marked clip replayed 35 % fast is outside the standard search (0.8–1.25); the scan's wide
    /// speed search (0.67–1.5) finds it.
    @Test func wideSpeedSearchFindsASpedUpClip() throws {
        let fixture = try ScanFixture.shared.get()
        let folder = try fixture.scratch()
        var clip = try AudioCodec.decode(try Corpus.bytes(of: Corpus.audio("guitar_solo_muldjord_chaos_god.wav")))
        clip.channels = clip.channels.map { Array($0[0..<(15 * clip.sampleRate)]) }
        let marked = try AudioMarker(key: ScanFixture.keyA).embed(clip, payload: ScanFixture.payloadA).audio
        let fast = Resampler.resample(marked, ratio: 1 / 1.35)
        try Data(try AudioCodec.encode(fast, options: AudioEncodeOptions(format: .wav))).write(to: folder.appendingPathComponent("fast.wav"))

        func scan(_ speeds: AudioSpeedSearch) throws -> ScanRecord {
            let scanner = CorpusScanner(detectors: [KeyDetector(key: ScanFixture.keyA)], options: ScanOptions(audioSpeeds: speeds))
            return try #require(try scanner.collect([.path(folder.path)]).0.first)
        }
        let standard = try scan(.standard), wide = try scan(.wide)
        #expect(!standard.detected)
        #expect(wide.detected && wide.payload == ScanFixture.payloadA.hex, "FPR \(wide.falsePositiveProbability ?? -1)")
    }

    /// A marked track 150 s into a 175-s recording (the rest another track, at 16 kHz mono to keep
    /// the test quick): beyond the first chunk, so only reading the file chunk by chunk finds it.
    /// Its block offsets are reported in the file, and its probability charged for both chunks.
    @Test func markedTrackLateInALongRecordingIsFound() throws {
        func mono16k(_ name: String) throws -> AudioBuffer {
            let audio = try AudioCodec.decode(try Corpus.bytes(of: Corpus.audio(name)))
            let mono = AudioBuffer(sampleRate: audio.sampleRate, channels: [audio.channels[0]])
            return Resampler.resample(mono, to: 16_000)
        }
        var track = try mono16k("rock_metal_muldjord_chaos_god.flac")
        track.channels = [Array(track.channels[0][0..<(25 * 16_000)])]
        let marked = try AudioMarker(key: ScanFixture.keyA).embed(track, payload: ScanFixture.payloadA).audio
        let other = try mono16k("orchestral_wesnoth_heroes_rite.ogg").channels[0]
        let recording = AudioBuffer(sampleRate: 16_000, channels: [other + other + other[0..<(30 * 16_000)] + marked.channels[0]])
        #expect(abs(recording.duration - 175) < 0.1)
        let bytes = try AudioCodec.encode(recording, options: AudioEncodeOptions(format: .wav))
        let detector = AudioDetector(key: ScanFixture.keyA)
        let result = try AudioChunkedDetection.detect(bytes, speeds: .standard) { [detector.detect($0)] }[0]
        #expect(result.payload == ScanFixture.payloadA, "FPR \(result.falsePositiveProbability)")
        let first = try #require(result.offsets.first { $0 >= 149 })
        #expect(abs(first - 150) < 2.1, "block starts \(result.offsets)")
        // The library reads an in-memory recording the same way.
        #expect(detector.detect(recording).payload == ScanFixture.payloadA)
    }
}
