import Foundation

/// Tail probabilities of the distributions the detectors' statistics follow under "no mark".
public enum TailProbability {
    /// P(X ≥ x) for X ~ N(0, 1), accurate far into the tail (erfc keeps relative precision).
    public static func normal(_ x: Double) -> Double {
        0.5 * erfc(x / 2.squareRoot())
    }

    /// P(X ≥ x) for X ~ χ² with `degreesOfFreedom` degrees of freedom: the regularised upper
    /// incomplete gamma function Q(k/2, x/2), evaluated by its series below the mean and by
    /// Lentz's continued fraction above it (Numerical Recipes §6.2), in logarithms so that
    /// probabilities down to 1e-300 keep their relative precision.
    public static func chiSquare(_ x: Double, degreesOfFreedom: Int) -> Double {
        exp(logChiSquare(x, degreesOfFreedom: degreesOfFreedom))
    }

    /// The natural logarithm of ``chiSquare(_:degreesOfFreedom:)``.
    public static func logChiSquare(_ x: Double, degreesOfFreedom: Int) -> Double {
        precondition(degreesOfFreedom > 0)
        guard x > 0 else { return 0 }
        let a = Double(degreesOfFreedom) / 2
        let z = x / 2
        let logPrefix = -z + a * log(z) - lgamma(a)
        if z < a + 1 {
            // Lower series: P(a, z) = e^{-z} z^a / Γ(a) · Σ z^n / (a (a+1) … (a+n)).
            var term = 1 / a
            var sum = term
            var n = 1.0
            while n < 10_000 {
                term *= z / (a + n)
                sum += term
                if term < sum * 1e-16 { break }
                n += 1
            }
            let lower = exp(logPrefix + log(sum))
            return log(max(1 - lower, .leastNonzeroMagnitude))
        }
        // Upper continued fraction, modified Lentz.
        let tiny = 1e-300
        var b = z + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 10_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
            i += 1
        }
        return logPrefix + log(h)
    }
}
