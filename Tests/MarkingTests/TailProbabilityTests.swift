import Foundation
import Testing
@testable import Marking

@Suite("Tail probabilities")
struct TailProbabilityTests {
    @Test(arguments: [
        // (x, dof, survival) from scipy.stats.chi2.sf
        (3.84145882, 1, 0.05), (10.0, 10, 0.44049328), (300.0, 258, 0.037036803),
        (400.0, 258, 3.3157909e-08), (600.0, 258, 2.7338224e-29), (0.5, 4, 0.97350098),
    ])
    func chiSquareMatchesReference(x: Double, dof: Int, expected: Double) {
        let observed = TailProbability.chiSquare(x, degreesOfFreedom: dof)
        let relative = abs(observed - expected) / expected
        #expect(relative < 1e-5, "χ²(\(x); \(dof)): expected \(expected), observed \(observed), relative error \(relative)")
    }

    @Test func normalTail() {
        #expect(abs(TailProbability.normal(0) - 0.5) < 1e-12)
        let q6 = TailProbability.normal(6)
        #expect(abs(q6 - 9.8658765e-10) / 9.8658765e-10 < 1e-6, "Q(6) = \(q6)")
    }
}

@Suite("Weighted χ² tail (saddlepoint)")
struct WeightedChiSquareTailTests {
    /// Equal weights are χ²: the saddlepoint must agree with the exact incomplete-gamma tail.
    @Test(arguments: [290.0, 330.0, 400.0, 500.0, 700.0])
    func equalWeightsAreChiSquare(x: Double) {
        let exact = TailProbability.logChiSquare(x, degreesOfFreedom: 258)
        let saddle = TailProbability.logWeightedChiSquare(x, weights: [Double](repeating: 1, count: 258))
        #expect(abs(exp(saddle - exact) - 1) < 1e-3, "x \(x): exact \(exact), saddlepoint \(saddle)")
    }

    /// 0.6·χ²₁₅₀ + 1.8·χ²₁₀₈, exact tails by numerical integration (scipy: ∫ f_χ²₁₅₀(s)
    /// sf_χ²₁₀₈((x − 0.6 s)/1.8) ds, relative tolerance 1e-12).
    @Test(arguments: [(350.0, 0.015107845382065724), (420.0, 1.821049896059485e-05),
                      (500.0, 5.449863433999634e-10), (600.0, 7.365179233474406e-17)])
    func unequalWeightsMatchExactTail(x: Double, expected: Double) {
        let weights = [Double](repeating: 0.6, count: 150) + [Double](repeating: 1.8, count: 108)
        let observed = exp(TailProbability.logWeightedChiSquare(x, weights: weights))
        let relative = abs(observed - expected) / expected
        #expect(relative < 1e-3, "x \(x): expected \(expected), observed \(observed)")
    }

    @Test func belowTheMeanIsNotSmall() {
        let weights = [Double](repeating: 1, count: 100)
        #expect(TailProbability.logWeightedChiSquare(50, weights: weights) > log(0.99))
        #expect(TailProbability.logWeightedChiSquare(100, weights: weights) > log(0.4))
        #expect(TailProbability.logWeightedChiSquare(5, weights: [0, 0]) == 0)
    }

    @Test func logNormalFarTail() {
        // ln Q(40) = −804.6084420137538 (mpmath)
        #expect(abs(TailProbability.logNormal(40) - -804.6084420137538) < 1e-6)
        #expect(abs(TailProbability.logNormal(6) - log(9.8658765e-10)) < 1e-6)
    }
}

@Suite("Weighted χ² tail, far out")
struct WeightedChiSquareFarTailTests {
    /// Strong evidence puts the saddlepoint right next to the pole: still finite, still χ².
    @Test(arguments: [1500.0, 5000.0, 20000.0])
    func veryStrongEvidenceStaysFiniteAndExact(x: Double) {
        let exact = TailProbability.logChiSquare(x, degreesOfFreedom: 258)
        let saddle = TailProbability.logWeightedChiSquare(x, weights: [Double](repeating: 1, count: 258))
        #expect(saddle.isFinite)
        #expect(abs(saddle - exact) < 1e-3 * abs(exact), "x \(x): exact \(exact), saddlepoint \(saddle)")
    }
}
