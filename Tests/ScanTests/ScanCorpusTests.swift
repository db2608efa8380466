import Foundation
import Marking
import Scan
import Testing
import TestSupport

/// Real scans (real detectors, two keys) over a folder and tar, tar.gz and zip shards.
@Suite("Scan over folders and archives", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ScanCorpusTests {
    @Test func everyItemOnceWithItsVerdict() throws {
        let fixture = try ScanFixture.shared.get()
        let scanner = CorpusScanner(detectors: [KeyDetector(key: ScanFixture.keyA), KeyDetector(key: ScanFixture.keyB)],
                              options: ScanOptions(jobs: 2))
        let (records, summary) = try scanner.collect(fixture.sources)

        let names = records.map(\.item)
        #expect(names.count == Set(names).count, "an item was reported twice")
        #expect(Set(names) == Set(fixture.expected.keys))
        for record in records {
            switch fixture.expected[record.item] {
            case let .marked(keyID, payload)?:
                #expect(record.detected, "\(record.item): missed (FPR \(record.falsePositiveProbability ?? -1))")
                #expect(record.keyID == keyID, "\(record.item): key \(record.keyID ?? "nil"), expected \(keyID)")
                #expect(record.payload == payload, "\(record.item): payload \(record.payload ?? "nil")")
                #expect(record.error == nil)
            case .clean?:
                #expect(!record.detected, "\(record.item): false detection (FPR \(record.falsePositiveProbability ?? -1))")
                #expect(record.payload == nil && record.error == nil && record.keyID != nil)
            case .broken?:
                #expect(!record.detected)
                #expect(record.errorKind == .corrupt, "\(record.item): \(record.error ?? "no error")")
                #expect(record.error?.isEmpty == false)
            case nil:
                Issue.record("unexpected item \(record.item)")
            }
        }
        #expect(names.contains { $0.hasSuffix("/shard.tar#sub/a2.png") })
        #expect(names.contains { $0.hasSuffix("/shard.zip#c3") })
        #expect(summary.items == fixture.expected.count)
        #expect(summary.skipped == fixture.skipped)
        #expect(summary.skippedByExtension == ["txt": 4, "json": 4])
        #expect(summary.marked == 16)
        #expect(summary.markedByPayload == [ScanFixture.payloadA.hex: 8, ScanFixture.payloadB.hex: 8])
        #expect(summary.markedByKey == [ScanFixture.keyA.id: 8, ScanFixture.keyB.id: 8])
        #expect(summary.errors == 4 && summary.errorsByCause == ["corrupt": 4])
    }

    /// Two keys: each false-positive probability is for the key set (best key's × 2), and one key
    /// alone finds only its own items.
    @Test func oneKeyFindsOnlyItsOwnItems() throws {
        let fixture = try ScanFixture.shared.get()
        let folder = fixture.sources[0]
        let (records, _) = try CorpusScanner(detectors: [KeyDetector(key: ScanFixture.keyB)]).collect([folder])
        for record in records where record.detected {
            #expect(record.keyID == ScanFixture.keyB.id && record.payload == ScanFixture.payloadB.hex)
            #expect(fixture.expected[record.item] == .marked(keyID: ScanFixture.keyB.id, payload: ScanFixture.payloadB.hex))
        }
        #expect(records.filter(\.detected).count == 2)
    }
}
