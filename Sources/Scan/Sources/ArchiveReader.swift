import Foundation
internal import CArchive

/// A tar or zip archive read as a stream through libarchive (tar optionally gzip, bzip2, xz or
/// zstd compressed): members come one after the other and their bytes go straight into memory,
/// never to disk. The only owner of its `struct archive *`, freed in `deinit`.
final class ArchiveReader {
    /// A regular-file member: its path inside the archive and, when the header says, its size.
    struct Member {
        var path: String
        var size: Int?
    }

    let path: String
    private let handle: OpaquePointer

    /// Block size libarchive reads the file in.
    private static let blockSize = 1 << 16

    init(path: String) throws(ScanError) {
        guard let handle = archive_read_new() else { throw .archive(path: path, reason: "out of memory") }
        self.handle = handle
        self.path = path
        try check(archive_read_support_filter_all(handle))
        try check(archive_read_support_format_tar(handle))
        try check(archive_read_support_format_gnutar(handle))
        try check(archive_read_support_format_zip(handle))
        try check(archive_read_open_filename(handle, path, Self.blockSize))
    }

    deinit { archive_read_free(handle) }

    /// The next regular-file member (folders, links and devices are passed over), or `nil` at
    /// the end of the archive. Throws when the archive is damaged: the rest cannot be read.
    func nextMember() throws(ScanError) -> Member? {
        while true {
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { return nil }
            if status == ARCHIVE_RETRY { continue }
            try check(status)
            guard let entry else { throw .archive(path: path, reason: "member without a header") }
            guard archive_entry_filetype(entry) & ArchiveFileType.mask == ArchiveFileType.regular else { continue }
            let name: String
            if let utf8 = archive_entry_pathname_utf8(entry) {
                name = String(cString: utf8)
            } else if let raw = archive_entry_pathname(entry) {
                name = String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self)
            } else {
                name = "(unnamed)"
            }
            let size = archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil
            return Member(path: name, size: size)
        }
    }

    /// Up to `count` more bytes of the current member (fewer only at its end).
    func read(upTo count: Int) throws(ScanError) -> [UInt8] {
        var failure: ScanError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let n = archive_read_data(handle, buffer.baseAddress! + initialized, count - initialized)
                if n == 0 { return }
                if n < 0 {
                    if n == ARCHIVE_RETRY || n == ARCHIVE_WARN { continue }
                    failure = .archive(path: path, reason: errorText)
                    return
                }
                initialized += n
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// The rest of the current member, after `head`; refused beyond `limit` bytes in all.
    func readRest(after head: [UInt8], expectedSize: Int?, limit: Int) throws(ScanError) -> [UInt8] {
        var bytes = head
        bytes.reserveCapacity(min(expectedSize ?? 0, limit))
        while true {
            let chunk = try read(upTo: max(Self.blockSize, (expectedSize ?? 0) - bytes.count))
            if chunk.isEmpty { return bytes }
            bytes += chunk
            if bytes.count > limit { throw .itemTooLarge(bytes: expectedSize ?? bytes.count, limit: limit) }
        }
    }

    /// Passes over the rest of the current member without decompressing more than needed.
    func skipRest() throws(ScanError) {
        try check(archive_read_data_skip(handle))
    }

    private var errorText: String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// Every libarchive status goes through here: warnings pass, failures throw with the cause.
    private func check(_ status: Int32) throws(ScanError) {
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN || status == ARCHIVE_EOF else {
            throw .archive(path: path, reason: errorText)
        }
    }
}

/// libarchive's file types (`AE_IFMT`, `AE_IFREG`: macros with casts, not imported).
enum ArchiveFileType {
    static let mask: UInt32 = 0o170000
    static let regular: UInt32 = 0o100000
}
