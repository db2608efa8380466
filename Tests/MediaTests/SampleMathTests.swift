import Foundation
import Media
import Testing

/// The SIMD reductions agree with their plain definitions on every length (whole lanes, a tail,
/// fewer samples than a lane) and on signs, NaN and blocks.
@Suite("Sample reductions")
struct SampleMathTests {
    /// Seeded samples in −1…1 with a few large ones.
    static func samples(_ count: Int) -> [Float] {
        var state: UInt64 = 7
        return (0..<count).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Float(state >> 40) / Float(1 << 23) - 1
            return i % 97 == 3 ? v * 40 : v
        }
    }

    @Test("Σ x² and gain match the loop", arguments: [0, 1, 7, 8, 9, 4095, 4096, 4097, 10_003])
    func sumsOfSquares(count: Int) {
        let x = Self.samples(count)
        let expected = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        let sum = SampleMath.sumOfSquares(x)
        #expect(abs(sum - expected) <= 1e-5 * max(1, expected))

        var scaled = x
        let scaledSum = scaled.withUnsafeMutableBufferPointer { p -> Double in
            guard let base = p.baseAddress else { return 0 }
            return SampleMath.scale(base, count: p.count, by: 0.5)
        }
        #expect(scaled == x.map { $0 * 0.5 })
        #expect(abs(scaledSum - expected / 4) <= 1e-5 * max(1, expected))
    }

    @Test("largest magnitude matches the loop, negatives and tails included", arguments: [1, 7, 8, 9, 1024, 1031])
    func largestMagnitude(count: Int) {
        var x = Self.samples(count)
        x[count - 1] = -50  // the largest, negative, in the tail when there is one
        let expected = x.map(abs).max()!
        #expect(x.withUnsafeBufferPointer { SampleMath.maximumMagnitude($0.baseAddress!, count: count) } == expected)
        x[count - 1] = 0
        let rest = x.map(abs).max()!
        #expect(x.withUnsafeBufferPointer { SampleMath.maximumMagnitude($0.baseAddress!, count: count) } == rest)
    }

    @Test("a NaN sample is passed over, not returned")
    func nanIsPassedOver() {
        var x = [Float](repeating: 0.25, count: 20)
        x[5] = .nan
        x[17] = -0.75
        #expect(x.withUnsafeBufferPointer { SampleMath.maximumMagnitude($0.baseAddress!, count: 20) } == 0.75)
    }
}
