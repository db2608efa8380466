internal import CSndFile

/// A read-only, seekable "file" over a byte array, for `sf_open_virtual`.
///
/// libsndfile calls back through `@convention(c)` functions that get this object back from the
/// `user_data` pointer. The pointer is unretained: whoever opens a `SNDFILE*` with it must keep
/// this object alive until `sf_close` (``SoundFile`` holds it for exactly that reason).
final class MemoryReadStream {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The callback table and the `user_data` pointer for `sf_open_virtual`. libsndfile copies
    /// the table when it opens, so only `self` needs to outlive the handle.
    func virtualIO() -> (io: SF_VIRTUAL_IO, userData: UnsafeMutableRawPointer) {
        let io = SF_VIRTUAL_IO(
            get_filelen: { userData in sf_count_t(MemoryReadStream.from(userData).bytes.count) },
            seek: { offset, whence, userData in MemoryReadStream.from(userData).seek(offset, whence) },
            read: { destination, count, userData in MemoryReadStream.from(userData).read(into: destination, count) },
            write: { _, _, _ in 0 },  // opened for reading only
            tell: { userData in sf_count_t(MemoryReadStream.from(userData).position) }
        )
        return (io, Unmanaged.passUnretained(self).toOpaque())
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> MemoryReadStream {
        Unmanaged<MemoryReadStream>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// `lseek` semantics; a position before the start is refused, one past the end is allowed
    /// (reads there return 0 bytes, which is how libsndfile learns a file is truncated).
    private func seek(_ offset: sf_count_t, _ whence: Int32) -> sf_count_t {
        let base: Int
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: return -1
        }
        let (target, overflow) = base.addingReportingOverflow(Int(offset))
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return sf_count_t(target)
    }

    private func read(into destination: UnsafeMutableRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let destination, count > 0, position < bytes.count else { return 0 }
        let length = min(Int(count), bytes.count - position)
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + position, byteCount: length)
        }
        position += length
        return sf_count_t(length)
    }
}
