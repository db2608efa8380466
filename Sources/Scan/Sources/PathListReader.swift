import Foundation

/// Reads a list of paths, one per line, from a file or standard input (`-`), in 64 KiB chunks:
/// the list is never held whole. Empty lines are skipped; a trailing `\r` is dropped.
enum PathListReader {
    static func forEachPath(in list: String, shouldStop: () -> Bool,
                            _ body: (String) throws -> Void) throws {
        let fd: Int32 = list == "-" ? STDIN_FILENO : open(list, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanError.io(path: list, reason: errnoText()) }
        defer { if fd != STDIN_FILENO { close(fd) } }

        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func emit(_ line: ArraySlice<UInt8>) throws {
            var line = line
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if !line.isEmpty { try body(String(decoding: line, as: UTF8.self)) }
        }
        while !shouldStop() {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError.io(path: list, reason: "cannot read the list: \(errnoText())")
            }
            if n == 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty, !shouldStop() { try emit(pending[...]) }
    }

    /// The number of lines `forEachPath` would visit whose path `keep` accepts, or `nil` for
    /// standard input (which can be read only once).
    static func count(in list: String, keep: (String) -> Bool) -> Int? {
        guard list != "-" else { return nil }
        var total = 0
        do {
            try forEachPath(in: list, shouldStop: { false }) { if keep($0) { total += 1 } }
        } catch {
            return nil
        }
        return total
    }
}
