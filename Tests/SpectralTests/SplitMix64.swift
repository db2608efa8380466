import Spectral
import TestSupport

extension SplitMix64 {
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
