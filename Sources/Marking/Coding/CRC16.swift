/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR).
///
/// It guards the decoded payload: a random 80-bit word passes with probability exactly 2⁻¹⁶,
/// which the false-positive model multiplies in (see ``CodedBitEvidence/logFalsePositive``).
public enum CRC16 {
    public static let bitCount = 16

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}

/// The information word a mark carries: the payload's 64 bits followed by their 16-bit CRC.
public enum PayloadFrame {
    public static let bitCount = Payload.bitCount + CRC16.bitCount

    /// 80 bits, most significant first: payload then CRC.
    public static func bits(of payload: Payload) -> [UInt8] {
        let crc = CRC16.checksum(payload.bytes)
        return payload.bits + (0..<16).map { UInt8(truncatingIfNeeded: crc >> (15 - $0)) & 1 }
    }

    /// The payload if the CRC matches, else `nil`.
    public static func payload(from bits: [UInt8]) -> Payload? {
        precondition(bits.count == bitCount)
        let payload = Payload(bits: bits[0..<64])
        let crc = bits[64..<80].reduce(UInt16(0)) { $0 << 1 | UInt16($1 & 1) }
        return CRC16.checksum(payload.bytes) == crc ? payload : nil
    }
}
