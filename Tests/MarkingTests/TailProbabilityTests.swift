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
