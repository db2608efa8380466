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

    /// The x at which ln P(χ²_dof ≥ x) = `logTail` (the upper quantile), by bisection on the
    /// monotone tail; used to express another statistic's evidence on the χ² scale.
    public static func chiSquareQuantile(logTail: Double, degreesOfFreedom: Int) -> Double {
        guard logTail < 0 else { return 0 }
        var low = 0.0, high = Double(degreesOfFreedom) + 10
        while logChiSquare(high, degreesOfFreedom: degreesOfFreedom) > logTail { low = high; high *= 2 }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if logChiSquare(middle, degreesOfFreedom: degreesOfFreedom) > logTail { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// ln P(X ≥ x) for X ~ N(0, 1), for any x (beyond erfc's range by the asymptotic series).
    public static func logNormal(_ x: Double) -> Double {
        guard x > 37 else { return log(normal(x)) }
        return logNormalDensity(x) + log(millsRatio(x))
    }

    /// ln P(Σ vᵢ Zᵢ² ≥ x) for independent Zᵢ ~ N(0, 1) and weights vᵢ ≥ 0 (a "generalised χ²";
    /// all weights 1 is χ² with that many degrees of freedom).
    ///
    /// Lugannani–Rice saddlepoint approximation (Lugannani & Rice 1980; Butler 2007, §1.2) of the
    /// exact distribution: with K(t) = −½ Σ ln(1 − 2t vᵢ) the cumulant generating function and t̂
    /// the root of K′(t̂) = x, w = √(2(t̂x − K(t̂))), u = t̂ √K″(t̂):
    /// P ≈ 1 − Φ(w) + φ(w)(1/u − 1/w). Its relative error is O(1/n) and shrinks further into the
    /// tail; on χ²₂₅₈ it agrees with the exact tail to 6 digits from 1e-1 to 1e-17 (tests compare
    /// it with exact values for unequal weights too). Below the mean plus 0.05 standard deviations,
    /// where the formula is singular and no decision depends on precision, the normal
    /// approximation is used.
    public static func logWeightedChiSquare(_ x: Double, weights: [Double]) -> Double {
        var mean = 0.0, variance = 0.0, largest = 0.0
        for v in weights {
            precondition(v >= 0, "weights must be non-negative")
            mean += v; variance += 2 * v * v; largest = max(largest, v)
        }
        guard largest > 0 else { return 0 }
        let z = (x - mean) / variance.squareRoot()
        guard z > 0.05 else { return min(0, logNormal(z)) }
        // K′ rises, convex, from K′(0) = mean to +∞ at the pole t = 1/(2 max v). Bisection brings
        // the upper end near the root; Newton steps from a point right of the root of a convex
        // increasing function stay right of it and converge quadratically.
        func slope(_ t: Double) -> Double { weights.reduce(0) { $0 + $1 / (1 - 2 * t * $1) } }
        let pole = 1 / (2 * largest)
        var low = 0.0, high = pole
        // At least 12 halvings, and on until the upper end has left the pole (strong evidence puts
        // the root very close to it).
        var halvings = 0
        while (halvings < 12 || high == pole) && halvings < 1100 {
            let middle = (low + high) / 2
            if slope(middle) < x { low = middle } else { high = middle }
            halvings += 1
        }
        var t = high
        for _ in 0..<50 {
            var first = 0.0, second = 0.0
            for v in weights {
                let r = 1 / (1 - 2 * t * v)
                first += v * r
                second += 2 * v * v * r * r
            }
            let step = (first - x) / second
            if !(step > 0) || t - step <= low { break }
            t -= step
            if step <= 1e-15 * t { break }
        }
        var cumulant = 0.0, curvature = 0.0
        for v in weights {
            let r = 1 - 2 * t * v
            cumulant -= 0.5 * log(r)
            curvature += 2 * v * v / (r * r)
        }
        let w = (2 * max(t * x - cumulant, 0)).squareRoot()
        let u = t * curvature.squareRoot()
        guard w > 1e-6, u > 1e-12 else { return min(0, logNormal(z)) }
        // ln[(1 − Φ(w)) + φ(w)(1/u − 1/w)] = ln φ(w) + ln[R(w) − 1/w + 1/u], R the Mills ratio.
        let bracket = millsRatioMinusReciprocal(w) + 1 / u
        return min(0, logNormalDensity(w) + log(max(bracket, .leastNormalMagnitude)))
    }

    private static func logNormalDensity(_ x: Double) -> Double { -0.5 * x * x - 0.5 * log(2 * Double.pi) }

    /// R(x) = (1 − Φ(x)) / φ(x).
    private static func millsRatio(_ x: Double) -> Double {
        guard x > 8 else { return exp(log(normal(x)) - logNormalDensity(x)) }
        return 1 / x + millsRatioMinusReciprocal(x)
    }

    /// R(x) − 1/x without cancellation: the asymptotic series −1/x³ + 3/x⁵ − 15/x⁷ + 105/x⁹ beyond
    /// x = 8 (first omitted term 6e-5 of the sum there, and falling as x⁻⁸), directly below.
    private static func millsRatioMinusReciprocal(_ x: Double) -> Double {
        guard x > 8 else { return exp(log(normal(x)) - logNormalDensity(x)) - 1 / x }
        let inverse2 = 1 / (x * x)
        return -(1 / (x * x * x)) * (1 - inverse2 * (3 - inverse2 * (15 - inverse2 * 105)))
    }
}
