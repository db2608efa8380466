import Crypto

/// A deterministic stream of pseudo-random values derived from a ``MarkKey`` and a purpose.
///
/// HMAC-SHA256 in counter mode (a PRF-based generator, cf. NIST SP 800-108 KDF in counter mode):
/// block *i* is `HMAC(key, "tracemark/" + purpose + "/" + i)`. Each use of randomness has its own
/// named purpose, so changing one use never shifts another (the audiowmark habit of named streams).
/// Without the key the stream is indistinguishable from random, which is what makes the mark
/// unreadable and its false-positive model exact (see `docs/image-mark.md`).
public struct KeyedStream {
    private let key: SymmetricKey
    private let purpose: [UInt8]
    private var counter: UInt64 = 0
    private var block: [UInt8] = []
    private var offset = 0
    private var spareGaussian: Double?

    public init(key: MarkKey, purpose: String) {
        self.key = SymmetricKey(data: key.bytes)
        self.purpose = Array("tracemark/\(purpose)/".utf8)
    }

    private mutating func refill() {
        var message = purpose
        withUnsafeBytes(of: counter.bigEndian) { message.append(contentsOf: $0) }
        block = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        counter += 1
        offset = 0
    }

    /// 64 uniformly random bits.
    public mutating func nextUInt64() -> UInt64 {
        if offset + 8 > block.count { refill() }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(block[offset + i]) }
        offset += 8
        return value
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    public mutating func nextUniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1p-53
    }

    /// Uniform integer in `0..<bound` without modulo bias (Lemire's method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = nextUInt64().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = nextUInt64().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A standard normal variate (Box–Muller; both values of each pair are used).
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        var u = nextUniform()
        while u == 0 { u = nextUniform() }
        let v = nextUniform()
        let radius = (-2 * log(u)).squareRoot()
        spareGaussian = radius * sin(2 * .pi * v)
        return radius * cos(2 * .pi * v)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(of count: Int) -> [Int] {
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, nextInt(below: i + 1))
        }
        return order
    }
}

import Foundation
