import Spectral

/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"): a
/// tiny seeded generator, so test data is the same on every run and platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` values uniform in `-1..<1`.
    mutating func signal(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &self) }
    }

    mutating func complexSignal(_ count: Int) -> [ComplexFloat] {
        (0..<count).map { _ in ComplexFloat(re: .random(in: -1..<1, using: &self), im: .random(in: -1..<1, using: &self)) }
    }
}

/// A seed per test case, so cases do not share data and a failing one can be rerun alone.
func seed(for shape: [Int], salt: UInt64 = 0) -> UInt64 {
    shape.reduce(0x7261_6365 ^ salt) { $0 &* 1_000_003 &+ UInt64($1) }
}
