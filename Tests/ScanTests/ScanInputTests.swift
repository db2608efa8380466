import Foundation
import Scan
import Testing
import TestSupport

/// Inputs: lists of paths, damaged archives, missing paths, and the pieces they rest on.
@Suite("Scan inputs")
struct ScanInputTests {
    @Test(.enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func listOfPathsWithMissingOnes() throws {
        let fixture = try ScanFixture.shared.get()
        let scratch = try fixture.scratch()
        let items = fixture.expected.keys.filter { !$0.contains("#") }.sorted()
        let list = scratch.appendingPathComponent("list.txt")
        let missing = scratch.appendingPathComponent("missing.jpg").path
        try Data(((items + [missing]).joined(separator: "\r\n") + "\n\n").utf8).write(to: list)

        let (records, summary) = try CorpusScanner.fast().collect([.pathList(list.path)])
        #expect(Set(records.map(\.item)) == Set(items + [missing]))
        let failure = try #require(records.first { $0.item == missing })
        #expect(failure.errorKind == .io && failure.error == "No such file or directory")
        #expect(summary.errorsByCause == ["corrupt": 1, "io": 1])
    }

    /// A gzip-compressed tar cut short: the members before the cut are scanned, the damage is
    /// reported with its cause, and the scan goes on to the next input.
    @Test(.enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func truncatedArchiveIsReportedAndTheScanGoesOn() throws {
        let fixture = try ScanFixture.shared.get()
        let scratch = try fixture.scratch()
        let shard = try Data(contentsOf: fixture.root.appendingPathComponent("shard.tar.gz"))
        let cut = scratch.appendingPathComponent("cut.tar.gz")
        try shard.prefix(shard.count * 3 / 5).write(to: cut)
        let plain = fixture.root.appendingPathComponent("shard.tar").path

        let (records, _) = try CorpusScanner.fast().collect([.path(cut.path), .path(plain)])
        let fromCut = records.filter { $0.item.hasPrefix(cut.path) }
        let damage = fromCut.filter { $0.errorKind == .archive }
        #expect(damage.count == 1, "\(fromCut.filter(\.failed))")
        #expect(damage.first?.error?.isEmpty == false)
        #expect(fromCut.count > 1, "members before the cut are scanned")
        #expect(records.filter { $0.item.hasPrefix(plain + "#") }.count == 8)
    }

    @Test func notAnArchiveNorMediaIsSkipped() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tracemark-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data("hello".utf8).write(to: scratch.appendingPathComponent("a.jpg"))
        try Data().write(to: scratch.appendingPathComponent("empty"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00]).write(to: scratch.appendingPathComponent("bad.tar.gz"))
        let (records, summary) = try CorpusScanner.fast().collect([.path(scratch.path)])
        #expect(summary.skipped == 2 && summary.skippedByExtension == ["jpg": 1, "(none)": 1])
        #expect(records.count == 1 && records.first?.errorKind == .archive)
    }

    @Test func listThatCannotBeReadIsFatal() throws {
        #expect(throws: ScanError.self) {
            try CorpusScanner.fast().collect([.pathList("/nonexistent/list.txt")])
        }
    }

    /// Published FNV-1a 64 test vectors: other tools must be able to reproduce the shards.
    @Test(arguments: [("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)])
    func fnv1a64(text: String, hash: UInt64) {
        #expect(ItemHash.fnv1a64(text) == hash)
    }

    @Test(arguments: ["", "1", "3/3", "-1/2", "a/b", "1/0", "1/2/3"])
    func invalidShards(text: String) {
        #expect(throws: ScanShardError.self) { try ScanShard(parsing: text) }
    }

    @Test func recordJSONHasEveryFieldOfTheFormat() throws {
        let record = ScanRecord(item: "s.tar#a.jpg", kind: "image", detected: false, payload: nil, keyID: "0a1b2c3d",
                                falsePositiveProbability: 0.5)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == ["item", "kind", "detected", "payload", "key_id", "false_positive_probability"])
        let failure = ScanRecord.failure("x.jpg", kind: "image", error: ScanError.audioUnavailable)
        #expect(failure.error == "audio detection not available" && failure.errorKind == .audioUnavailable)
    }
}
