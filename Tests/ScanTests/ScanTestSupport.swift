import Codecs
import Foundation
import Marking
import Media
import Scan
import Synchronization
import TestSupport

/// What a fixture item must be reported as.
enum Expected: Equatable {
    case marked(keyID: String, payload: String)
    case clean
    case broken
}

/// A small corpus made in a temporary folder: images marked under key A or key B, unmarked ones,
/// a truncated JPEG and non-media files, laid out as a folder tree and as tar, tar.gz and zip
/// shards holding the same members. Built once per test run (384×384 crops keep debug builds fast).
struct ScanFixture: Sendable {
    static let keyA = try! MarkKey(bytes: (0..<32).map { UInt8($0 * 7 % 256) })
    static let keyB = try! MarkKey(bytes: (0..<32).map { UInt8(200 &- $0 * 3) })
    static let payloadA = Payload(0x0000_00A1_0000_0001)
    static let payloadB = Payload(0x0000_00B2_0000_0002)
    static let nonMediaMembers = ["notes.txt", "sub/meta.json"]

    let root: URL
    /// Every media item by name, as the scan must report it.
    let expected: [String: Expected]
    /// Non-media files in all containers.
    let skipped: Int
    /// What to scan: the folder and the three archives.
    let sources: [ScanSource]

    static let shared: Result<ScanFixture, any Error> = Result { try ScanFixture() }

    private init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tracemark-scan-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("folder")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)

        let markerA = ImageMarker(key: Self.keyA), markerB = ImageMarker(key: Self.keyB)
        let astronaut = try Self.load("skimage_astronaut.png"), coffee = try Self.load("skimage_coffee.png")
        let camera = try Self.load("skimage_camera_gray.png"), brick = try Self.load("skimage_brick_texture_gray.png")
        func crop(_ image: PlanarImage, _ x: Int, _ y: Int) -> PlanarImage { Self.crop(image, x: x, y: y, side: 384) }
        func jpeg(_ image: PlanarImage) throws -> [UInt8] { try ImageCodec.encode(image, as: .jpeg) }
        func png(_ image: PlanarImage) throws -> [UInt8] { try ImageCodec.encode(image, as: .png) }
        let clean = try jpeg(crop(brick, 64, 0))
        let a = Expected.marked(keyID: Self.keyA.id, payload: Self.payloadA.hex)
        let b = Expected.marked(keyID: Self.keyB.id, payload: Self.payloadB.hex)
        let members: [(name: String, bytes: [UInt8], expected: Expected)] = [
            ("a1.jpg", try jpeg(try markerA.embed(crop(astronaut, 0, 0), payload: Self.payloadA).image), a),
            ("sub/a2.png", try png(try markerA.embed(crop(coffee, 100, 0), payload: Self.payloadA).image), a),
            ("b1.jpg", try jpeg(try markerB.embed(crop(camera, 64, 64), payload: Self.payloadB).image), b),
            ("sub/b2.jpg", try jpeg(try markerB.embed(crop(astronaut, 128, 96), payload: Self.payloadB).image), b),
            ("c1.jpg", clean, .clean),
            ("sub/c2.png", try png(crop(coffee, 200, 16)), .clean),
            ("c3", try jpeg(crop(camera, 0, 128)), .clean),  // no extension: recognised by content
            ("sub/broken.jpg", Array(clean.prefix(clean.count * 2 / 5)), .broken),
        ]
        let nonMedia = Self.nonMediaMembers.map { ($0, Array("not media: \($0)\n".utf8)) }

        var expected = [String: Expected]()
        for member in members {
            try Data(member.bytes).write(to: folder.appendingPathComponent(member.name))
            expected[folder.appendingPathComponent(member.name).path] = member.expected
        }
        for (name, bytes) in nonMedia { try Data(bytes).write(to: folder.appendingPathComponent(name)) }

        var sources: [ScanSource] = [.path(folder.path)]
        for (file, format) in [("shard.tar", ArchiveWriter.Format.tar), ("shard.tar.gz", .tarGzip), ("shard.zip", .zip)] {
            let path = root.appendingPathComponent(file).path
            let writer = try ArchiveWriter(path: path, format: format)
            for member in members { try writer.add(member.name, bytes: member.bytes) }
            for (name, bytes) in nonMedia { try writer.add(name, bytes: bytes) }
            try writer.close()
            for member in members { expected["\(path)#\(member.name)"] = member.expected }
            sources.append(.path(path))
        }
        self.expected = expected
        self.sources = sources
        skipped = 4 * nonMedia.count
    }

    static func load(_ name: String) throws -> PlanarImage {
        try ImageCodec.decode(try Corpus.bytes(of: Corpus.image(name)))
    }

    static func crop(_ image: PlanarImage, x: Int, y: Int, side: Int) -> PlanarImage {
        let planes = image.planes.map { (plane: [Float]) -> [Float] in
            var out = [Float]()
            out.reserveCapacity(side * side)
            for row in 0..<side {
                let start = (y + row) * image.width + x
                out.append(contentsOf: plane[start..<(start + side)])
            }
            return out
        }
        return PlanarImage(width: side, height: side, colorModel: image.colorModel, planes: planes)
    }

    /// A fresh empty folder for one test's outputs.
    func scratch() throws -> URL {
        let url = root.appendingPathComponent("out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Records collected from a scan's worker threads.
final class RecordCollector: Sendable {
    private let records = Mutex<[ScanRecord]>([])

    func add(_ record: ScanRecord) { records.withLock { $0.append(record) } }
    var all: [ScanRecord] { records.withLock { $0 } }
}

extension CorpusScanner {
    /// Runs the scan and returns its records with its summary.
    func collect(_ sources: [ScanSource], resume: ScanResume = ScanResume()) throws -> ([ScanRecord], ScanSummary) {
        let collector = RecordCollector()
        let summary = try run(sources, resume: resume) { collector.add($0) }
        return (collector.all, summary)
    }

    /// Decodes but does not detect: for tests of enumeration, sharding and resuming, where
    /// detection would only cost time.
    static func fast(shard: ScanShard? = nil) -> CorpusScanner {
        CorpusScanner(detectors: [KeyDetector(key: ScanFixture.keyA)], options: ScanOptions(jobs: 2, shard: shard, decodeOnly: true))
    }
}

/// The JSON lines of a file, decoded.
func readRecords(_ path: String) throws -> [ScanRecord] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { try JSONDecoder().decode(ScanRecord.self, from: Data($0.utf8)) }
}
