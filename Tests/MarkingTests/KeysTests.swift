import Foundation
import Testing
@testable import Marking

@Suite("Keys, payloads and keyed streams")
struct KeysTests {
    let key = try! MarkKey(bytes: (0..<32).map { UInt8($0 * 7 &+ 3) })

    @Test func keyFileRoundTrip() throws {
        let parsed = try MarkKey(fileText: key.fileText)
        #expect(parsed == key)
        #expect(key.id.count == 8)
    }

    @Test(arguments: ["", "# only a comment\n", "tracemark-key-v1 abcd\n", "tracemark-key-v2 " + String(repeating: "a", count: 64), "tracemark-key-v1 " + String(repeating: "g", count: 64)])
    func malformedKeyFilesAreRejected(text: String) {
        #expect(throws: MarkError.self) { try MarkKey(fileText: text) }
    }

    @Test func generatedKeysDiffer() {
        #expect(MarkKey.generate() != MarkKey.generate())
    }

    @Test(arguments: [("0123456789abcdef", UInt64(0x0123_4567_89AB_CDEF)), ("0xFFFFFFFFFFFFFFFF", .max), ("0000000000000000", 0)])
    func payloadHex(text: String, value: UInt64) throws {
        let payload = try Payload(hex: text)
        #expect(payload.value == value)
        #expect(try Payload(hex: payload.hex) == payload)
        #expect(Payload(bits: payload.bits) == payload)
    }

    @Test(arguments: ["123", "0123456789abcdeg", "0123456789abcdef0", ""])
    func badPayloadHexIsRejected(text: String) {
        #expect(throws: MarkError.self) { try Payload(hex: text) }
    }

    @Test func streamsAreDeterministicPerKeyAndPurpose() {
        var a = KeyedStream(key: key, purpose: "test/a")
        var b = KeyedStream(key: key, purpose: "test/a")
        var c = KeyedStream(key: key, purpose: "test/b")
        var d = KeyedStream(key: MarkKey.generate(), purpose: "test/a")
        let sa = (0..<20).map { _ in a.nextUInt64() }
        #expect(sa == (0..<20).map { _ in b.nextUInt64() })
        #expect(sa != (0..<20).map { _ in c.nextUInt64() })
        #expect(sa != (0..<20).map { _ in d.nextUInt64() })
    }

    @Test func gaussianStreamHasUnitMoments() {
        var stream = KeyedStream(key: key, purpose: "test/gauss")
        let n = 100_000
        var sum = 0.0, sumSquares = 0.0, beyond3 = 0
        for _ in 0..<n {
            let g = stream.nextGaussian()
            sum += g; sumSquares += g * g
            if abs(g) > 3 { beyond3 += 1 }
        }
        let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.02, "mean \(mean)")
        #expect(abs(variance - 1) < 0.02, "variance \(variance)")
        // P(|g| > 3) = 0.0027: expect 270 ± ~50
        #expect((170...370).contains(beyond3), "beyond 3σ: \(beyond3)")
    }

    @Test func permutationIsAPermutation() {
        var stream = KeyedStream(key: key, purpose: "test/perm")
        let order = stream.permutation(of: 1000)
        #expect(Set(order).count == 1000 && order.min() == 0 && order.max() == 999)
        #expect(order != Array(0..<1000))
    }
}
