import Crypto
import Foundation

/// A secret 256-bit marking key. Everything a mark is made of (patterns, chip order, weights) is
/// derived from it through ``KeyedStream``; without it a mark can be neither read nor written.
///
/// Key files are text: comment lines starting with `#`, and one line `tracemark-key-v1 <64 hex>`.
public struct MarkKey: Sendable, Hashable {
    /// The raw key material.
    public let bytes: [UInt8]

    public static let byteCount = 32
    static let fileTag = "tracemark-key-v1"

    public init(bytes: [UInt8]) throws(MarkError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidKey("a key has \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A fresh key from the system's cryptographically secure generator (getrandom on Linux).
    public static func generate() -> MarkKey {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try! MarkKey(bytes: bytes)  // exactly byteCount bytes by construction
    }

    /// Parses the text of a key file.
    public init(fileText: String) throws(MarkError) {
        for rawLine in fileText.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, fields[0] == Self.fileTag else {
                throw .invalidKey("expected a line '\(Self.fileTag) <64 hex digits>'")
            }
            guard let bytes = HexCoding.decode(String(fields[1])), bytes.count == Self.byteCount else {
                throw .invalidKey("the key must be \(Self.byteCount * 2) hexadecimal digits")
            }
            try self.init(bytes: bytes)
            return
        }
        throw .invalidKey("no '\(Self.fileTag)' line found")
    }

    /// The key file's text (see ``init(fileText:)``).
    public var fileText: String {
        """
        # tracemark marking key: keep it secret (anyone holding it can read and forge marks)
        \(Self.fileTag) \(HexCoding.encode(bytes))

        """
    }

    /// A short public name for the key (8 hex digits of a hash): safe to print and store in scan
    /// results, reveals nothing of the key.
    public var id: String {
        var hasher = SHA256()
        hasher.update(data: Array("tracemark key id".utf8))
        hasher.update(data: bytes)
        return HexCoding.encode(Array(hasher.finalize().prefix(4)))
    }
}

enum HexCoding {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }
}
