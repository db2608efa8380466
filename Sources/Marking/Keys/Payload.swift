/// The 64 bits a mark carries (for example creator and asset identifiers), written as 16 hex
/// digits.
public struct Payload: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public static let bitCount = 64

    public init(_ value: UInt64) { self.value = value }

    /// Exactly 16 hexadecimal digits, optionally prefixed with `0x`.
    public init(hex: String) throws(MarkError) {
        var digits = Substring(hex)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard digits.count == 16, let value = UInt64(digits, radix: 16) else {
            throw .invalidPayload("'\(hex)' is not 16 hexadecimal digits (64 bits)")
        }
        self.value = value
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    public var description: String { hex }

    /// The bits, most significant first, as 0/1.
    public var bits: [UInt8] { (0..<64).map { UInt8(truncatingIfNeeded: value >> (63 - $0)) & 1 } }

    /// The payload from 64 bits, most significant first.
    public init(bits: some Collection<UInt8>) {
        precondition(bits.count == 64, "a payload has 64 bits")
        self.value = bits.reduce(0) { $0 << 1 | UInt64($1 & 1) }
    }

    /// Big-endian bytes, the form the CRC protects.
    public var bytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
}
