import Testing
import TestSupport
@testable import Marking

@Suite("CRC and polar code")
struct CodingTests {
    @Test func crcMatchesTheCatalogueCheckValue() {
        // CRC-16/CCITT-FALSE check value for "123456789".
        #expect(CRC16.checksum(Array("123456789".utf8)) == 0x29B1)
    }

    @Test func frameRoundTripAndCorruptionIsCaught() {
        let payload = Payload(0xDEAD_BEEF_0123_4567)
        var bits = PayloadFrame.bits(of: payload)
        #expect(bits.count == 80)
        #expect(PayloadFrame.payload(from: bits) == payload)
        bits[17] ^= 1
        #expect(PayloadFrame.payload(from: bits) == nil)
    }

    static func randomWord(_ rng: inout SplitMix) -> [UInt8] { (0..<80).map { _ in UInt8(rng.next() & 1) } }

    /// Coded bits as ±μ plus unit Gaussian noise (positive means 1).
    static func channel(_ coded: [UInt8], amplitude: Float, _ rng: inout SplitMix) -> [Float] {
        coded.map { Float(Int($0) * 2 - 1) * amplitude + Float(rng.gaussian()) }
    }

    @Test func informationPositionsAreEightyDistinctChannels() {
        let positions = PolarCode.informationPositions
        #expect(positions.count == PolarCode.informationBits)
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 }, "ascending, distinct")
        #expect(positions.allSatisfy { (0..<PolarCode.length).contains($0) })
        // The last bit channel is the most reliable one of any polar code; the first the least.
        #expect(positions.last == PolarCode.length - 1 && positions.first != 0)
    }

    /// The table is what the Gaussian approximation of density evolution gives at Es/N0 = −3 dB
    /// (Trifonov 2012, with the φ of Chung, Richardson & Urbanke 2001): recomputed here, so a typo
    /// in the table cannot pass. The 80th and 81st channels' mean LLRs are 11.73 and 11.45: no tie.
    @Test func informationPositionsAreTheGaussianApproximationsBest() {
        func phi(_ x: Double) -> Double {
            x < 10 ? exp(-0.4527 * pow(x, 0.86) + 0.0218) : (Double.pi / x).squareRoot() * exp(-x / 4) * (1 - 10 / (7 * x))
        }
        func phiInverse(_ y: Double) -> Double {  // φ decreases: bisection
            var low = 1e-9, high = 1e4
            for _ in 0..<100 {
                let middle = (low + high) / 2
                if phi(middle) > y { low = middle } else { high = middle }
            }
            return (low + high) / 2
        }
        let esN0 = pow(10, -3.0 / 10)
        var means = [2 / (1 / (2 * esN0))]  // channel LLR mean 2/σ², σ² = 1/(2 Es/N0)
        for _ in 0..<PolarCode.depth {
            means = means.flatMap { m in [phiInverse(1 - pow(1 - phi(m), 2)), 2 * m] }  // u⊕v, then v
        }
        let best = means.indices.sorted { means[$0] > means[$1] }.prefix(PolarCode.informationBits).sorted()
        #expect(Array(best) == PolarCode.informationPositions)
    }

    @Test func encodeDecodeWithoutNoise() {
        var rng = SplitMix(seed: 1)
        for _ in 0..<20 {
            let bits = Self.randomWord(&rng)
            let coded = PolarCode.encode(bits)
            #expect(coded.count == PolarCode.length)
            let soft = coded.map { Float($0) * 2 - 1 }
            #expect(PolarCode.listDecode(soft, listSize: 1) == [bits])
            #expect(PolarCode.listDecode(soft).first == bits)
        }
    }

    @Test func encodingIsLinear() {
        var rng = SplitMix(seed: 4)
        let a = Self.randomWord(&rng), b = Self.randomWord(&rng)
        let sum = zip(a, b).map { $0 ^ $1 }
        #expect(PolarCode.encode(sum) == zip(PolarCode.encode(a), PolarCode.encode(b)).map { $0 ^ $1 })
    }

    /// The false-positive model rests on this (``CodedBitEvidence/logFalsePositive``): flipping the
    /// soft values' signs where a codeword has ones maps the decoder's list onto itself plus that
    /// codeword's information word, so without a mark every listed word is uniform.
    @Test func listDecodingIsEquivariantUnderCodewordSignFlips() {
        var rng = SplitMix(seed: 8)
        for _ in 0..<20 {
            let soft = (0..<PolarCode.length).map { _ in Float(rng.gaussian()) }
            let word = Self.randomWord(&rng)
            let codeword = PolarCode.encode(word)
            let flipped = zip(soft, codeword).map { $1 == 1 ? -$0 : $0 }
            let list = PolarCode.listDecode(soft), flippedList = PolarCode.listDecode(flipped)
            #expect(list.count == PolarCode.listSize)
            #expect(flippedList == list.map { zip($0, word).map { $0 ^ $1 } })
            #expect(Set(list.map { $0.map(String.init).joined() }).count == list.count, "words are distinct")
        }
    }

    @Test func correctsNoiseWellAboveTheThreshold() {
        // μ/σ = 1.2 per coded bit (Eb/N0 ≈ 3.6 dB): every frame decodes, first in the list.
        var rng = SplitMix(seed: 3)
        for trial in 0..<100 {
            let bits = Self.randomWord(&rng)
            let soft = Self.channel(PolarCode.encode(bits), amplitude: 1.2, &rng)
            #expect(PolarCode.listDecode(soft).first == bits, "trial \(trial)")
        }
    }

    @Test func aListWithTheCRCFindsTheWordNearTheThreshold() {
        // μ/σ = 0.89 per coded bit, Eb/N0 = 1 dB: successive cancellation alone (a list of 1) misses
        // about a quarter of the frames; a list of 8 with the CRC picking misses about one in a hundred
        // (measured here: SC 75, CRC-aided list 99 of 100).
        var rng = SplitMix(seed: 6)
        var successiveCancellation = 0, crcAided = 0
        let trials = 100
        for _ in 0..<trials {
            let bits = PayloadFrame.bits(of: Payload(rng.next()))
            let soft = Self.channel(PolarCode.encode(bits), amplitude: 0.89, &rng)
            if PolarCode.listDecode(soft, listSize: 1) == [bits] { successiveCancellation += 1 }
            if PolarCode.listDecode(soft).first(where: { PayloadFrame.payload(from: $0) != nil }) == bits { crcAided += 1 }
        }
        #expect(crcAided >= 90, "CRC-aided list \(crcAided) of \(trials)")
        #expect(crcAided >= successiveCancellation + 15, "list \(crcAided), successive cancellation \(successiveCancellation)")
    }
}

/// The shared seeded generator (TestSupport), under the name these tests use.
typealias SplitMix = SplitMix64

import Foundation
