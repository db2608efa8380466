import Testing
import TestSupport
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

    @Test func listDecodingStartsWithViterbisWordAndListsDistinctWords() {
        var rng = SplitMix(seed: 5)
        for _ in 0..<20 {
            let bits = (0..<80).map { _ in UInt8(rng.next() & 1) }
            let soft = ConvolutionalCode.encode(bits).map { Float(Double($0) * 2 - 1) * 0.8 + Float(rng.gaussian()) }
            let list = ConvolutionalCode.listDecode(soft, informationBits: 80, listSize: 8)
            #expect(list.count == 8)
            #expect(list.first == ConvolutionalCode.decode(soft, informationBits: 80))
            #expect(Set(list.map { $0.map(String.init).joined() }).count == list.count, "words are distinct")
            // Best first: the path metrics Σ (2c − 1)·soft do not increase down the list.
            let metrics = list.map { word in
                zip(ConvolutionalCode.encode(word), soft).reduce(Float(0)) { $0 + (Float($1.0) * 2 - 1) * $1.1 }
            }
            #expect(zip(metrics, metrics.dropFirst()).allSatisfy { $0 >= $1 - 1e-3 }, "\(metrics)")
        }
    }

    @Test func aListFindsTheWordMoreOftenNearTheThreshold() {
        // At μ/σ = 0.9 per coded bit plain Viterbi misses about a fifth of the frames; the right
        // word is most often further down the list, where a CRC can pick it (81 → 96 of 100 here).
        var rng = SplitMix(seed: 6)
        var first = 0, inList = 0
        let trials = 100
        for _ in 0..<trials {
            let bits = (0..<80).map { _ in UInt8(rng.next() & 1) }
            let soft = ConvolutionalCode.encode(bits).map { Float(Double($0) * 2 - 1) * 0.9 + Float(rng.gaussian()) }
            let list = ConvolutionalCode.listDecode(soft, informationBits: 80, listSize: 8)
            if list.first == bits { first += 1 }
            if list.contains(bits) { inList += 1 }
        }
        #expect(inList >= first + 5, "in the list \(inList), first \(first) of \(trials)")
    }
}

/// The shared seeded generator (TestSupport), under the name these tests use.
typealias SplitMix = SplitMix64

import Foundation
