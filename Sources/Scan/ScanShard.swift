/// One of `count` disjoint shares of a corpus: `--shard I/N`, with `index` in `0..<count`.
///
/// The share of an input is decided by its name alone — FNV-1a 64 (``ItemHash/fnv1a64(_:)``) of
/// the path as given, modulo `count` — so N machines given the same list of paths split it with no
/// coordination, and together cover every item exactly once. An archive is one unit: all its
/// members belong to the archive's shard, so each machine opens only its own shards.
public struct ScanShard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(ScanShardError) {
        guard count >= 1, (0..<count).contains(index) else { throw ScanShardError(text: "\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`, e.g. `0/3`.
    public init(parsing text: String) throws(ScanShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ScanShardError(text: text)
        }
        try self.init(index: index, count: count)
    }

    /// Whether the unit (a file or an archive) named `name` belongs to this shard.
    public func contains(_ name: String) -> Bool {
        count == 1 || ItemHash.fnv1a64(name) % UInt64(count) == UInt64(index)
    }

    public var description: String { "\(index)/\(count)" }
}

/// A shard that is not `I/N` with `0 ≤ I < N`.
public struct ScanShardError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { "invalid shard '\(text)': expected I/N with 0 ≤ I < N, e.g. 0/4" }
}
