import Foundation

/// Whole-file and header reads with plain POSIX calls: one `open`, an `fstat` for the size, reads
/// straight into the array (no `Data` round trip), and the errno text as the cause.
enum FileReader {
    /// The first `count` bytes of `path` (fewer if the file is shorter).
    static func head(of path: String, count: Int) throws(ScanError) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        return try read(fd, path: path, upTo: count)
    }

    /// All of `path`, refused when larger than `limit` bytes.
    static func contents(of path: String, limit: Int) throws(ScanError) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, reason: errnoText()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .io(path: path, reason: "is a directory") }
        let size = Int(info.st_size)
        if size > limit { throw .itemTooLarge(bytes: size, limit: limit) }
        return try read(fd, path: path, upTo: size)
    }

    private static func open(_ path: String) throws(ScanError) -> Int32 {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: errnoText()) }
        return fd
    }

    private static func read(_ fd: Int32, path: String, upTo count: Int) throws(ScanError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let n = Foundation.read(fd, buffer.baseAddress! + initialized, count - initialized)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                initialized += n
            }
        }
        if failure != 0 { throw .io(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }
}

/// The text of the current `errno`, e.g. "No such file or directory".
func errnoText() -> String { String(cString: strerror(errno)) }
