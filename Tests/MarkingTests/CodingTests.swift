import Testing
@testable import Marking

@Suite("CRC and convolutional code")
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

    @Test func encodeDecodeWithoutNoise() {
        var rng = SplitMix(seed: 1)
        for _ in 0..<20 {
            let bits = (0..<80).map { _ in UInt8(rng.next() & 1) }
            let coded = ConvolutionalCode.encode(bits)
            #expect(coded.count == ConvolutionalCode.codedLength(informationBits: 80))
            let soft = coded.map { Float($0) * 2 - 1 }
            #expect(ConvolutionalCode.decode(soft, informationBits: 80) == bits)
        }
    }

    @Test func correctsScatteredHardErrors() {
        // Free distance 15: any 7 hard errors are corrected; spread them over the word.
        var rng = SplitMix(seed: 2)
        for trial in 0..<50 {
            let bits = (0..<80).map { _ in UInt8(rng.next() & 1) }
            var soft = ConvolutionalCode.encode(bits).map { Float($0) * 2 - 1 }
            var flipped = Set<Int>()
            while flipped.count < 7 { flipped.insert(Int(rng.next() % UInt64(soft.count))) }
            for i in flipped { soft[i] = -soft[i] }
            #expect(ConvolutionalCode.decode(soft, informationBits: 80) == bits, "trial \(trial)")
        }
    }

    @Test func softDecodingWorksAtModerateNoise() {
        // Coded-bit SNR μ/σ = 1.5 (Eb/N0 ≈ 5.3 dB): the frame error rate should be a few percent at most.
        var rng = SplitMix(seed: 3)
        var frameErrors = 0
        let trials = 200
        for _ in 0..<trials {
            let bits = (0..<80).map { _ in UInt8(rng.next() & 1) }
            let soft = ConvolutionalCode.encode(bits).map { Float(Double($0) * 2 - 1) * 1.5 + Float(rng.gaussian()) }
            if ConvolutionalCode.decode(soft, informationBits: 80) != bits { frameErrors += 1 }
        }
        #expect(frameErrors <= trials / 10, "frame errors \(frameErrors)/\(trials)")
    }
}

/// A small seeded generator for tests (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func gaussian() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * uniform())
    }
}

import Foundation
