/// Stable hashes of item names: the same on every machine, every run and every Swift version
/// (unlike `Hasher`, which is seeded per process). FNV-1a over the name's UTF-8 bytes
/// (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/).
public enum ItemHash {
    /// FNV-1a, 64 bits. What ``ScanShard`` takes the remainder of; to reproduce it elsewhere:
    /// `h = 0xcbf29ce484222325; for b in utf8: h = ((h ^ b) * 0x100000001b3) mod 2^64`.
    public static func fnv1a64(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// FNV-1a, 128 bits. Its high half is the key of ``ItemNameSet`` (the low half mixes poorly:
    /// the prime's low 64 bits are only 0x13b).
    public static func fnv1a128(_ name: String) -> UInt128 {
        let prime: UInt128 = (1 << 88) | 0x13b
        var hash: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
        for byte in name.utf8 {
            hash = (hash ^ UInt128(byte)) &* prime
        }
        return hash
    }
}

/// A set of item names kept as a sorted array of 64-bit hashes (the high half of
/// ``ItemHash/fnv1a128(_:)``): 8 bytes per item however long its name, so resuming a scan of
/// ten million items costs 80 MB. Two names share a hash with probability 2⁻⁶⁴; among 10⁷ done
/// and 10⁷ new items the chance that any new one is wrongly taken as done is about 5·10⁻⁶.
///
/// Filled with ``insert(_:)``, then ``seal()``ed once before ``contains(_:)``.
public struct ItemNameSet: Sendable {
    private var hashes: [UInt64] = []
    private var sealed = true

    public init() {}

    public var count: Int { hashes.count }

    public mutating func insert(_ name: String) {
        hashes.append(Self.key(name))
        sealed = false
    }

    /// Sorts the hashes. - Complexity: O(n log n), once.
    public mutating func seal() {
        hashes.sort()
        sealed = true
    }

    /// - Complexity: O(log n).
    public func contains(_ name: String) -> Bool {
        precondition(sealed, "ItemNameSet.seal() must be called after the last insert")
        let key = Self.key(name)
        var low = 0, high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == key
    }

    private static func key(_ name: String) -> UInt64 { UInt64(truncatingIfNeeded: ItemHash.fnv1a128(name) >> 64) }
}
