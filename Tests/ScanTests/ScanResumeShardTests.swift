import Foundation
import Scan
import Testing
import TestSupport

/// Resuming and sharding, with a stub detector (what is tested is which items are scanned).
@Suite("Scan: resume and shards", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ScanResumeShardTests {
    /// An interrupted run left some whole lines and a torn one: the resumed run cuts the torn
    /// line, skips the done items and appends the rest, so every item is in the file exactly once.
    @Test(arguments: [0, 5, 23])
    func resumeLosesAndRepeatsNothing(linesDone: Int) throws {
        let fixture = try ScanFixture.shared.get()
        let output = try fixture.scratch().appendingPathComponent("scan.jsonl").path

        let (full, _) = try CorpusScanner.fast().collect(fixture.sources)
        let first = try JSONLinesWriter(appendingTo: output)
        for record in full.prefix(linesDone) { try first.write(record) }
        let tornLine = Array("{\"detected\":false,\"item\":\"\(full[linesDone].item)\",\"ke".utf8)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        handle.seekToEndOfFile()
        handle.write(Data(tornLine))
        try handle.close()

        let resume = try ScanResume.load(path: output)
        #expect(resume.truncatedBytes == tornLine.count)
        #expect(resume.done.count == linesDone)
        let writer = try JSONLinesWriter(appendingTo: output)
        let summary = try CorpusScanner.fast().run(fixture.sources, resume: resume) { try writer.write($0) }

        let names = try readRecords(output).map(\.item)
        #expect(names.count == full.count, "lines: \(names.count), items: \(full.count)")
        #expect(Set(names) == Set(full.map(\.item)))
        #expect(summary.resumed == linesDone)
        #expect(summary.scanned == full.count - linesDone)
        #expect(summary.items == full.count)
        #expect(summary.errors == 4, "broken items are counted whether read back or scanned")
    }

    @Test func resumeOfMissingOutputStartsAfresh() throws {
        let fixture = try ScanFixture.shared.get()
        let resume = try ScanResume.load(path: try fixture.scratch().appendingPathComponent("none.jsonl").path)
        #expect(resume.done.count == 0 && resume.truncatedBytes == 0)
    }

    /// Shards 0/3, 1/3, 2/3 together report every item exactly once (archives stay whole).
    @Test func shardsCoverEveryItemOnce() throws {
        let fixture = try ScanFixture.shared.get()
        let (full, fullSummary) = try CorpusScanner.fast().collect(fixture.sources)
        var seen: [String] = []
        var skipped = 0
        for index in 0..<3 {
            let (records, summary) = try CorpusScanner.fast(shard: try ScanShard(index: index, count: 3)).collect(fixture.sources)
            seen += records.map(\.item)
            skipped += summary.skipped
            #expect(summary.shard == "\(index)/3")
        }
        #expect(seen.count == full.count)
        #expect(Set(seen) == Set(full.map(\.item)))
        #expect(skipped == fullSummary.skipped)
    }

    @Test func shardsOfAListAreDisjoint() throws {
        let names = (0..<3000).map { "corpus/\($0 / 100)/\($0).jpg" }
        let shards = try (0..<4).map { try ScanShard(index: $0, count: 4) }
        for name in names { #expect(shards.filter { $0.contains(name) }.count == 1) }
        let sizes = shards.map { shard in names.filter(shard.contains).count }
        #expect(sizes.allSatisfy { abs($0 - 750) < 120 }, "shard sizes \(sizes)")
    }
}
