import Foundation

/// Window functions for framing signals before a transform.
public enum Window {
    /// The Hann window `w[i] = 0.5 − 0.5 cos(2πi / D)` of `count` samples.
    ///
    /// - Parameter periodic: `true` (the default) uses `D = count`, the form for spectral analysis
    ///   and overlap-add: windows hopped by `count / 2` sum to exactly 1 (Harris 1978, "On the use
    ///   of windows for harmonic analysis with the DFT", Proc. IEEE 66(1)). `false` uses
    ///   `D = count − 1`, the symmetric form for filter design, which ends in zeros at both ends.
    /// - Complexity: O(count).
    public static func hann(count: Int, periodic: Bool = true) -> [Float] {
        precondition(count >= 0, "window size must not be negative")
        if count == 1 { return [1] }
        let denominator = Double(periodic ? count : count - 1)
        return (0..<count).map { i in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(i) / denominator)) }
    }
}
