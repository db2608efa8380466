internal import CSndFile

/// A growable, seekable "file" in memory, for `sf_open_virtual` in write mode.
///
/// Writers seek back to patch headers (WAV sizes, FLAC STREAMINFO, the LAME info frame), so
/// seek, tell and overwrite must behave like a real file, including a write past the end
/// (the gap reads as zeros, as on a sparse file).
///
/// As with ``MemoryReadStream``, the `user_data` pointer is unretained; ``SoundFile`` keeps this
/// object alive while the handle is open.
final class MemoryWriteStream {
    private(set) var bytes: [UInt8] = []
    private var position = 0

    init(expectedSize: Int = 0) {
        bytes.reserveCapacity(max(0, expectedSize))
    }

    /// The callback table and the `user_data` pointer for `sf_open_virtual`.
    func virtualIO() -> (io: SF_VIRTUAL_IO, userData: UnsafeMutableRawPointer) {
        let io = SF_VIRTUAL_IO(
            get_filelen: { userData in sf_count_t(MemoryWriteStream.from(userData).bytes.count) },
            seek: { offset, whence, userData in MemoryWriteStream.from(userData).seek(offset, whence) },
            read: { destination, count, userData in MemoryWriteStream.from(userData).read(into: destination, count) },
            write: { source, count, userData in MemoryWriteStream.from(userData).write(from: source, count) },
            tell: { userData in sf_count_t(MemoryWriteStream.from(userData).position) }
        )
        return (io, Unmanaged.passUnretained(self).toOpaque())
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> MemoryWriteStream {
        Unmanaged<MemoryWriteStream>.fromOpaque(userData!).takeUnretainedValue()
    }

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

    /// Some writers read back what they wrote (libsndfile's header code does for WAV and FLAC).
    private func read(into destination: UnsafeMutableRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let destination, count > 0, position < bytes.count else { return 0 }
        let length = min(Int(count), bytes.count - position)
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + position, byteCount: length)
        }
        position += length
        return sf_count_t(length)
    }

    private func write(from source: UnsafeRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let source, count > 0 else { return 0 }
        let length = Int(count)
        if position > bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: position - bytes.count))
        }
        // Overwrite what already exists (a header being patched), append the rest. Array growth
        // is geometric, so appending chunk by chunk stays amortised O(n).
        let overwritten = min(length, bytes.count - position)
        if overwritten > 0 {
            bytes.withUnsafeMutableBytes { destination in
                (destination.baseAddress! + position).copyMemory(from: source, byteCount: overwritten)
            }
        }
        if overwritten < length {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: source + overwritten, count: length - overwritten))
        }
        position += length
        return count
    }
}
