import Foundation
internal import CArchive

/// Writes small tar, tar.gz and zip archives: what the tests and the benchmark pack their
/// corpora with. The only owner of its `struct archive *`, freed in `deinit`.
public final class ArchiveWriter {
    public enum Format: Sendable {
        case tar, tarGzip, zip
    }

    private let handle: OpaquePointer
    private let path: String
    private var closed = false

    public init(path: String, format: Format) throws(ScanError) {
        guard let handle = archive_write_new() else { throw .archive(path: path, reason: "out of memory") }
        self.handle = handle
        self.path = path
        switch format {
        case .tar:
            try check(archive_write_set_format_pax_restricted(handle))
        case .tarGzip:
            try check(archive_write_set_format_pax_restricted(handle))
            try check(archive_write_add_filter_gzip(handle))
        case .zip:
            try check(archive_write_set_format_zip(handle))
        }
        try check(archive_write_open_filename(handle, path))
    }

    deinit {
        if !closed { archive_write_close(handle) }
        archive_write_free(handle)
    }

    /// Adds a regular file named `name` holding `bytes`.
    public func add(_ name: String, bytes: [UInt8]) throws(ScanError) {
        guard let entry = archive_entry_new() else { throw .archive(path: path, reason: "out of memory") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, ArchiveFileType.regular)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, Int64(bytes.count))
        try check(archive_write_header(handle, entry))
        let written = bytes.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .archive(path: path, reason: errorText) }
    }

    /// Finishes the archive (trailer, compression flush) and closes the file.
    public func close() throws(ScanError) {
        closed = true
        try check(archive_write_close(handle))
    }

    private var errorText: String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    private func check(_ status: Int32) throws(ScanError) {
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { throw .archive(path: path, reason: errorText) }
    }
}
