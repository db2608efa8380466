import Codecs
import Media

/// What the first bytes of a file say it is: media (by ``FormatSniffer``), an archive, or neither.
enum SniffedContent: Equatable {
    case media(ContainerFormat)
    case archive
    case other
}

enum ContentSniffer {
    /// Bytes to read from the start of a file: enough for a tar header's `ustar` magic at 257.
    static let headerLength = 512

    static func sniff(_ head: some Collection<UInt8>) -> SniffedContent {
        if let format = FormatSniffer.format(of: head) { return .media(format) }
        return isArchive(Array(head.prefix(headerLength))) ? .archive : .other
    }

    /// tar (POSIX `ustar` or GNU), zip, and the compressions libarchive undoes around a tar:
    /// gzip, bzip2, xz, zstd. A compressed file that holds no archive fails in the reader and is
    /// reported as a damaged archive.
    static func isArchive(_ head: [UInt8]) -> Bool {
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        return starts(Array("ustar".utf8), at: 257)          // tar: POSIX "ustar\0", GNU "ustar  "
            || starts([0x50, 0x4B, 0x03, 0x04])              // zip local file header
            || starts([0x50, 0x4B, 0x05, 0x06])              // empty zip
            || starts([0x1F, 0x8B])                          // gzip
            || starts(Array("BZh".utf8))                     // bzip2
            || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])  // xz
            || starts([0x28, 0xB5, 0x2F, 0xFD])              // zstd
    }
}
