/// Seeds derived from names, never from scheduling: the payload of a file and the randomness of
/// each attack trial depend only on the file's name, the attack spec, the trial number and the
/// run's `--seed`, so a run gives the same results with any number of jobs and in any order.
///
/// FNV-1a over the UTF-8 text, finished with the SplitMix64 mixer (Steele, Lea & Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014). Swift's `Hasher` is randomly
/// seeded per process, so it cannot be used here.
public enum HarnessSeed {
    /// A 64-bit seed from `parts` and `seed`.
    public static func derive(_ seed: UInt64, _ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3  // separator: ("ab", "c") ≠ ("a", "bc")
        }
        return mix(hash ^ mix(seed &+ 0x9e37_79b9_7f4a_7c15))
    }

    /// The SplitMix64 finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// `count` bytes of a SplitMix64 stream started at `seed`.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            state &+= 0x9e37_79b9_7f4a_7c15
            var word = mix(state)
            for _ in 0..<8 where out.count < count {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}
