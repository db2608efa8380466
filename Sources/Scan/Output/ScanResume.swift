import Foundation

/// What an earlier, interrupted run left in its output file: the items it reported (which a
/// resumed scan does not scan again) and their totals.
public struct ScanResume: Sendable {
    /// Items already reported.
    public var done = ItemNameSet()
    /// Totals of the records read back.
    public var summary = ScanSummary()
    /// Bytes of a torn last line cut off the file (0 when it ended with a whole line).
    public var truncatedBytes = 0
    /// Complete lines that are not a scan record (left in place, their items scanned again).
    public var unreadableLines = 0

    public init() {}

    /// Reads the JSON lines in `path`, streaming, and cuts off a last line without its newline
    /// (a write interrupted part way) so that appending goes on from a whole line. A missing
    /// file is an empty one: the same command line starts a scan and resumes it.
    /// - Complexity: O(file size) time; O(items) memory, 8 bytes per item (``ItemNameSet``).
    public static func load(path: String) throws(ScanError) -> ScanResume {
        var resume = ScanResume()
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return resume }
            throw .output(path: path, reason: "cannot open to resume: \(errnoText())")
        }
        defer { close(fd) }
        let decoder = JSONDecoder()
        var pending: [UInt8] = []
        var consumed = 0  // bytes of whole lines so far
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .output(path: path, reason: "cannot read to resume: \(errnoText())")
            }
            if n == 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                resume.take(pending[start..<newline], decoder: decoder)
                consumed += newline + 1 - start
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty {
            guard ftruncate(fd, off_t(consumed)) == 0 else {
                throw .output(path: path, reason: "cannot cut the torn last line: \(errnoText())")
            }
            resume.truncatedBytes = pending.count
        }
        resume.done.seal()
        return resume
    }

    private mutating func take(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) {
        guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { return }
        guard let record = try? decoder.decode(ScanRecord.self, from: Data(line)) else {
            unreadableLines += 1
            return
        }
        done.insert(record.item)
        summary.add(record)
        summary.resumed += 1
    }
}
