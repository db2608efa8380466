import Codecs
import Foundation
import Marking
import Media
import Scan
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
}
