import Foundation

/// Writes scan records as JSON lines so that a line is never torn: each line, newline included,
/// goes out in one `write(2)` on a descriptor opened with `O_APPEND`. If the process is killed,
/// the file ends with whole lines — at worst the last one is cut where a `write` was interrupted
/// part way (a full disk), which ``ScanResume`` truncates.
///
/// Lines from several threads must be serialised by the caller (the scanner writes under its
/// lock): a `write` may in principle be partial, and the rest would then follow another line.
public final class JSONLinesWriter: Sendable {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let name: String
    private let encoder: JSONEncoder

    /// Appends to `path` (created if missing, with mode 0644).
    public convenience init(appendingTo path: String) throws(ScanError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output(path: path, reason: "cannot open for writing: \(errnoText())") }
        self.init(descriptor: fd, name: path, owns: true)
    }

    /// Writes to standard output.
    public static func standardOutput() -> JSONLinesWriter {
        JSONLinesWriter(descriptor: STDOUT_FILENO, name: "standard output", owns: false)
    }

    private init(descriptor: Int32, name: String, owns: Bool) {
        fd = descriptor
        ownsDescriptor = owns
        self.name = name
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Writes `record` as one line.
    public func write(_ record: ScanRecord) throws(ScanError) {
        let line: [UInt8]
        do { line = Array(try encoder.encode(record)) + [UInt8(ascii: "\n")] } catch {
            throw .output(path: name, reason: "cannot encode a record: \(error)")
        }
        try write(line)
    }

    private func write(_ line: [UInt8]) throws(ScanError) {
        var failure: Int32 = 0
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure != 0 { throw .output(path: name, reason: "write failed: \(String(cString: strerror(failure)))") }
    }

    /// Flushes the file to disk (a no-op for pipes and terminals).
    public func synchronize() {
        if ownsDescriptor { fsync(fd) }
    }
}
