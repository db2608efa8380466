import Foundation
import Synchronization
import Tracemark

/// What the benchmark corpus holds, item by item: written next to the corpus as `manifest.tsv`
/// (`name<TAB>marked PAYLOAD | clean | broken`).
enum Expectation: Equatable {
    case marked(String)
    case clean
    case broken
}

/// Builds the benchmark corpus: `count` JPEGs of 512×512 cropped and rescaled from the shared
/// corpus, 10 % marked, 2 % truncated or damaged, every other one packed in tar shards
/// (WebDataset style, with a `.txt` and a `.json` member beside each image), the rest as files.
struct CorpusBuilder {
    static let side = 512
    static let shardSize = 1000

    let directory: String
    let count: Int
    let key: MarkKey

    static func payload(for index: Int) -> Payload { Payload(0x7ace_0000_0000_0000 | UInt64(index % 4)) }

    static func expectation(for index: Int) -> Expectation {
        if index % 50 == 7 || index % 50 == 33 { return .broken }
        if index % 10 == 0 { return .marked(payload(for: index).hex) }
        return .clean
    }

    func build(sources: [URL]) throws {
        let images = try loadSources(sources)
        let marker = ImageMarker(key: key)
        let groups = (count + Self.shardSize - 1) / Self.shardSize
        try FileManager.default.createDirectory(atPath: "\(directory)/shards", withIntermediateDirectories: true)
        let manifests = Mutex([String](repeating: "", count: groups))
        let failures = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: groups) { group in
            do {
                let text = try buildGroup(group, images: images, marker: marker)
                manifests.withLock { $0[group] = text }
            } catch {
                failures.withLock { $0.append("group \(group): \(error)") }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw CorpusError(failure) }
        let manifest = manifests.withLock { $0.joined() }
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(directory)/manifest.tsv"))
    }

    /// Items `group*1000 ..< (group+1)*1000`: even ones into `shards/NNNNN.tar`, odd ones into
    /// `files/NNNNN/`.
    private func buildGroup(_ group: Int, images: [PlanarImage], marker: ImageMarker) throws -> String {
        let folder = "\(directory)/files/\(String(format: "%05d", group))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shardPath = "\(directory)/shards/\(String(format: "%05d", group)).tar"
        let shard = try ArchiveWriter(path: shardPath, format: .tar)
        var manifest = ""
        for index in (group * Self.shardSize)..<min(count, (group + 1) * Self.shardSize) {
            var random = SplitMix64(seed: UInt64(index))
            var expectation = Self.expectation(for: index)
            var image = Self.crop(images[index % images.count], random: &random)
            if case .marked = expectation {
                // The embedder refuses a crop whose own payload does not come back (the only
                // error a 512² crop can meet): it stays unmarked and is expected as clean.
                if let embedding = try? marker.embed(image, payload: Self.payload(for: index)) {
                    image = embedding.image
                } else {
                    expectation = .clean
                }
            }
            let quality = 85 + Int(random.next() % 11)
            var bytes = try ImageCodec.encode(image, as: .jpeg, options: ImageEncodeOptions(quality: quality))
            if expectation == .broken { bytes = Self.damage(bytes, index: index, random: &random) }
            let base = String(format: "%08d", index)
            let name: String
            if index.isMultiple(of: 2) {
                try shard.add("\(base).jpg", bytes: bytes)
                try shard.add("\(base).txt", bytes: Array("caption of item \(index)\n".utf8))
                try shard.add("\(base).json", bytes: Array("{\"index\":\(index)}\n".utf8))
                name = "\(shardPath)#\(base).jpg"
            } else {
                name = "\(folder)/\(base).jpg"
                try Data(bytes).write(to: URL(fileURLWithPath: name))
            }
            switch expectation {
            case let .marked(payload): manifest += "\(name)\tmarked \(payload)\n"
            case .clean: manifest += "\(name)\tclean\n"
            case .broken: manifest += "\(name)\tbroken\n"
            }
        }
        try shard.close()
        return manifest
    }

    /// Half truncated at 20–80 % of their length, half with their tables overwritten (the JPEG
    /// signature kept, so they are still recognised as JPEG and must fail to decode).
    private static func damage(_ bytes: [UInt8], index: Int, random: inout SplitMix64) -> [UInt8] {
        if index % 50 == 7 {
            let keep = bytes.count * (20 + Int(random.next() % 61)) / 100
            return Array(bytes.prefix(keep))
        }
        var damaged = bytes
        for i in 20..<min(600, damaged.count) { damaged[i] = UInt8(truncatingIfNeeded: random.next()) }
        return damaged
    }

    /// A random square crop of at least half the short side, rescaled to 512×512.
    private static func crop(_ image: PlanarImage, random: inout SplitMix64) -> PlanarImage {
        let shortSide = min(image.width, image.height)
        let cropSide = shortSide / 2 + Int(random.next() % UInt64(shortSide - shortSide / 2 + 1))
        let x = Int(random.next() % UInt64(image.width - cropSide + 1))
        let y = Int(random.next() % UInt64(image.height - cropSide + 1))
        return Resample.area(image, x: x, y: y, cropSide: cropSide, to: side)
    }

    /// Sources decoded once and reduced to a short side of 1024 at most, RGB.
    private func loadSources(_ urls: [URL]) throws -> [PlanarImage] {
        try urls.compactMap { url in
            let image = try ImageCodec.decode([UInt8](try Data(contentsOf: url)))
            guard min(image.width, image.height) >= Self.side else { return nil }
            let rgb = Resample.rgb(image)
            let shortSide = min(rgb.width, rgb.height)
            guard shortSide > 1024 else { return rgb }
            let scale = 1024.0 / Double(shortSide)
            return Resample.area(rgb, width: Int(Double(rgb.width) * scale), height: Int(Double(rgb.height) * scale))
        }
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Seeded, reproducible randomness (Steele, Lea, Flood 2014).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
