import Foundation
import Spectral

/// The textbook O(n²) DFT in Double, the reference the FFT is checked against.
///
/// `X[k] = Σₙ x[n] · e^(sign · 2πi · kn / N)`; 2-D shapes are done as 1-D DFTs over the rows, then
/// over the columns (the 2-D DFT is separable). Twiddles are indexed by `kn mod N`, so large
/// products do not lose precision in the angle.
enum ReferenceDFT {
    struct Complex {
        var re: Double
        var im: Double
    }

    static func transform(_ x: [Complex], shape: [Int], sign: Double) -> [Complex] {
        if shape.count == 1 { return transform1D(x, sign: sign) }
        let (rows, columns) = (shape[0], shape[1])
        var result = x
        for r in 0..<rows {
            let row = transform1D(Array(result[r * columns ..< (r + 1) * columns]), sign: sign)
            result.replaceSubrange(r * columns ..< (r + 1) * columns, with: row)
        }
        for c in 0..<columns {
            let column = transform1D((0..<rows).map { result[$0 * columns + c] }, sign: sign)
            for r in 0..<rows { result[r * columns + c] = column[r] }
        }
        return result
    }

    static func transform1D(_ x: [Complex], sign: Double) -> [Complex] {
        let n = x.count
        let twiddles = (0..<n).map { j in
            let angle = sign * 2 * Double.pi * Double(j) / Double(n)
            return Complex(re: cos(angle), im: sin(angle))
        }
        return (0..<n).map { k in
            var sum = Complex(re: 0, im: 0)
            for j in 0..<n {
                let w = twiddles[(k * j) % n]
                sum.re += x[j].re * w.re - x[j].im * w.im
                sum.im += x[j].re * w.im + x[j].im * w.re
            }
            return sum
        }
    }

    /// Forward DFT of a real signal, cut to FFTW's half spectrum (last dimension `n/2 + 1`).
    static func realForward(_ x: [Float], shape: [Int]) -> [ComplexFloat] {
        let full = transform(x.map { Complex(re: Double($0), im: 0) }, shape: shape, sign: -1)
        let columns = shape[shape.count - 1]
        let rows = x.count / columns
        let kept = columns / 2 + 1
        return (0..<rows).flatMap { r in (0..<kept).map { c in full[r * columns + c] } }.map(narrow)
    }

    static func complexTransform(_ x: [ComplexFloat], shape: [Int], sign: Double) -> [ComplexFloat] {
        transform(x.map { Complex(re: Double($0.re), im: Double($0.im)) }, shape: shape, sign: sign).map(narrow)
    }

    static func narrow(_ z: Complex) -> ComplexFloat { ComplexFloat(re: Float(z.re), im: Float(z.im)) }
}

/// Largest difference relative to the largest magnitude of `expected`, for complex data; reports
/// expected, observed and the error at the worst bin so a failure can be read without a debugger.
struct ComplexComparison: CustomStringConvertible {
    var relativeError: Double = 0
    var worstIndex = 0
    var expected = ComplexFloat.zero
    var observed = ComplexFloat.zero

    init(_ observed: [ComplexFloat], _ expected: [ComplexFloat]) {
        precondition(observed.count == expected.count)
        var maxDiff = 0.0, maxMagnitude = 0.0
        for i in expected.indices {
            let d = hypot(Double(observed[i].re) - Double(expected[i].re), Double(observed[i].im) - Double(expected[i].im))
            if d > maxDiff { (maxDiff, worstIndex) = (d, i) }
            maxMagnitude = max(maxMagnitude, Double(expected[i].magnitude))
        }
        relativeError = maxMagnitude == 0 ? maxDiff : maxDiff / maxMagnitude
        if !expected.isEmpty { (self.expected, self.observed) = (expected[worstIndex], observed[worstIndex]) }
    }

    var description: String {
        "worst bin \(worstIndex): expected \(expected), observed \(observed), relative error \(relativeError)"
    }
}
