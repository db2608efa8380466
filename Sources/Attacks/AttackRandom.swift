import Foundation

/// The seeded randomness of attacks: SplitMix64 (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014), the generator Java's `SplittableRandom` uses.
///
/// Deliberately not `RandomNumberGenerator`: the standard library's `random(in:using:)` may change
/// its algorithm between Swift releases, and an attack must give the same output for the same
/// seed forever, so every draw goes through the functions here.
struct AttackRandom {
    private var state: UInt64
    /// The second value of the last Box–Muller pair, not yet returned.
    private var spareGaussian: Double?

    init(seed: UInt64) {
        state = seed
    }

    /// A seed for stream `stream` derived from `seed`: chain step `i` uses stream `i`, so that
    /// inserting a step changes the randomness of later steps only through their index.
    static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var generator = AttackRandom(seed: seed ^ ((stream &+ 1) &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// 64 uniformly random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, 53 random bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `0...upperBound` (inclusive), by the multiply-high method. The bias is below
    /// 2⁻⁴⁰ for the bounds used here (image and audio offsets), far below anything measurable.
    mutating func nextInt(through upperBound: Int) -> Int {
        precondition(upperBound >= 0, "upper bound must not be negative")
        let range = UInt64(upperBound) + 1
        return Int(next().multipliedFullWidth(by: range).high)
    }

    /// Standard normal (mean 0, variance 1), by the Box–Muller transform.
    mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        let radius = (-2 * log(1 - nextUnit())).squareRoot()
        let angle = 2 * Double.pi * nextUnit()
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }
}
