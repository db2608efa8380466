/// Reads the orientation tag from a raw EXIF block.
///
/// The block is a TIFF file (TIFF 6.0 §2, Exif 2.3 §4.6.2): a byte-order mark ("II" little-endian
/// or "MM" big-endian), the number 42, then the offset of IFD0, whose 12-byte entries are
/// tag, type, count and a 4-byte value field. Orientation is tag 0x0112, one SHORT.
///
///     offset 0      2      4            8
///            | II/MM | 42  | IFD0 offset | …
///     IFD0:  | count | tag type count value | tag type count value | …
enum ExifOrientation {
    private static let orientationTag: UInt16 = 0x0112
    private static let shortType: UInt16 = 3

    /// The orientation (1–8) in IFD0 of `exif` (TIFF header onwards), or `nil` if absent or invalid.
    /// Every read is bounds-checked: EXIF comes from untrusted files.
    static func read(from exif: [UInt8]) -> Int? {
        guard exif.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (exif[0], exif[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ offset: Int) -> UInt16? {
            guard offset >= 0, offset + 2 <= exif.count else { return nil }
            let a = UInt16(exif[offset]), b = UInt16(exif[offset + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ offset: Int) -> UInt32? {
            guard let low = u16(littleEndian ? offset : offset + 2),
                  let high = u16(littleEndian ? offset + 2 : offset) else { return nil }
            return UInt32(high) << 16 | UInt32(low)
        }
        guard u16(2) == 42, let ifdOffset = u32(4), let entryCount = u16(Int(ifdOffset)) else { return nil }
        for index in 0..<Int(entryCount) {
            let entry = Int(ifdOffset) + 2 + 12 * index
            guard let tag = u16(entry) else { return nil }
            guard tag == orientationTag else { continue }
            // A SHORT value sits left-aligned in the 4-byte value field, in the file's byte order.
            guard u16(entry + 2) == shortType, u32(entry + 4) == 1, let value = u16(entry + 8),
                  (1...8).contains(value) else { return nil }
            return Int(value)
        }
        return nil
    }
}
