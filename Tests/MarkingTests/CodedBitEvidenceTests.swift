import Foundation
import Testing
import TestSupport
@testable import Marking

/// The exact-null claim behind every stated false-positive probability: without the mark, given
/// any chip values, the tail p of the statistic is uniform — for the pooled statistic too, whose
/// tail comes from the saddlepoint formula rather than a closed form.
@Suite("Coded-bit evidence")
struct CodedBitEvidenceTests {
    static let bits = PolarCode.length, perBit = 3

    /// Chip values with a host-like spread: most chips ordinary, a few (edges) 10× stronger, some
    /// empty — the unequal energies the pooled statistic's weights must account for.
    static func hostChips(_ random: inout SplitMix64) -> [Float] {
        (0..<(bits * perBit)).map { _ in
            let u = random.uniform()
            let scale = u < 0.05 ? 10.0 : (u < 0.1 ? 0 : 1)
            return Float(scale * random.gaussian())
        }
    }

    static func evidence(chips: [Float], weights: [Float]) -> CodedBitEvidence {
        CodedBitEvidence(value: { chips[$0] }, chips: Array(0..<chips.count), weights: weights, chipsPerCodedBit: perBit)
    }

    /// ln P(χ² ≥ Σ (cᵢ / ‖yᵢ‖)²): the per-bit statistic, exactly χ² without a mark (the reference).
    static func perBitLogTail(chips: [Float], weights: [Float]) -> Double {
        var sum = 0.0, dof = 0
        for bit in 0..<bits {
            var c = 0.0, e = 0.0
            for k in (bit * perBit)..<(bit * perBit + perBit) { c += Double(weights[k] * chips[k]); e += Double(chips[k] * chips[k]) }
            if e > 0 { sum += c * c / e; dof += 1 }
        }
        return TailProbability.logChiSquare(sum, degreesOfFreedom: dof)
    }

    /// 4000 unmarked trials (fresh weights = a random key, fresh host): the fraction whose tail is
    /// below 5 % (1 %) must be 5 % (1 %) within sampling error (±4.5σ: 200 ± 62, 40 ± 28).
    @Test func tailIsUniformWithoutAMark() {
        var random = SplitMix64(seed: 7)
        var below5 = 0, below1 = 0
        let trials = 4000
        for _ in 0..<trials {
            let chips = Self.hostChips(&random)
            let weights = (0..<chips.count).map { _ in Float(random.gaussian()) }
            let p = exp(Self.evidence(chips: chips, weights: weights).logTail)
            if p <= 0.05 { below5 += 1 }
            if p <= 0.01 { below1 += 1 }
        }
        #expect((138...262).contains(below5), "\(below5) of \(trials) below 5 %")
        #expect((12...68).contains(below1), "\(below1) of \(trials) below 1 %")
    }

    /// A weak mark in equal noise: the pooled statistic's tail is over 10× smaller than the
    /// per-bit one's (measured: e^-14.5 against e^-10.8) and the payload decodes.
    @Test func pooledScaleIsStrongerOnEqualNoise() {
        var random = SplitMix64(seed: 11)
        let payload = Payload(0x0123_4567_89ab_cdef)
        let coded = PolarCode.encode(PayloadFrame.bits(of: payload))
        let weights = (0..<(Self.bits * Self.perBit)).map { _ in Float(random.gaussian()) }
        let chips = weights.enumerated().map { index, g -> Float in
            let sign: Float = coded[index / Self.perBit] == 1 ? 1 : -1
            return 0.6 * sign * min(2, max(-2, g)) + Float(random.gaussian())
        }
        let pooled = Self.evidence(chips: chips, weights: weights)
        let perBit = Self.perBitLogTail(chips: chips, weights: weights)
        #expect(pooled.payload == payload)
        #expect(pooled.logTail < perBit - log(10), "pooled \(pooled.logTail), per bit \(perBit)")
        #expect(pooled.chiSquare > Double(Self.bits), "the χ²-equivalent of strong evidence exceeds its mean")
    }
}
