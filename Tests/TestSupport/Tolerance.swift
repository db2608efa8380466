import Foundation

/// Measures for comparing float signals in tests, so that failures print expected, observed and
/// the error rather than a bare `false`.
public enum Measure {
    /// Peak signal-to-noise ratio in dB for signals with the given peak value.
    public static func psnr(_ a: [Float], _ b: [Float], peak: Double = 1) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var sum = 0.0
        for i in a.indices { let d = Double(a[i]) - Double(b[i]); sum += d * d }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(peak * peak / mse)
    }

    /// Largest absolute difference relative to the largest magnitude in `expected`.
    public static func relativeMaxError(_ observed: [Float], _ expected: [Float]) -> Double {
        precondition(observed.count == expected.count)
        var maxDiff = 0.0, maxMag = 0.0
        for i in observed.indices {
            maxDiff = max(maxDiff, abs(Double(observed[i]) - Double(expected[i])))
            maxMag = max(maxMag, abs(Double(expected[i])))
        }
        return maxMag == 0 ? maxDiff : maxDiff / maxMag
    }
}
