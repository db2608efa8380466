import Foundation

/// The totals of a scan: what `--summary` holds and the last lines on standard error.
///
/// After a resume, the item counts cover the whole output file (records read back plus records
/// written now); `scanned`, `elapsed_s` and `items_per_second` are this run's.
public struct ScanSummary: Sendable, Codable, Equatable {
    /// Items reported (one JSON line each): marked, unmarked and failed.
    public var items = 0
    public var marked = 0
    /// Marked items per payload (hex), `"unreadable"` for a mark whose payload did not decode.
    public var markedByPayload: [String: Int] = [:]
    /// Marked items per key id (the best key of each item).
    public var markedByKey: [String: Int] = [:]
    public var errors = 0
    /// Failed items per ``ErrorKind``.
    public var errorsByCause: [String: Int] = [:]
    /// Files and archive members passed over because their content is not media.
    public var skipped = 0
    /// Skipped items per lower-cased file extension (`"(none)"`, and `"(other)"` past 64 kinds).
    public var skippedByExtension: [String: Int] = [:]
    /// Items already in the output file (``ScanOptions`` `--resume`), not scanned again.
    public var resumed = 0
    /// Items scanned in this run.
    public var scanned = 0
    public var elapsedSeconds = 0.0
    /// `scanned / elapsedSeconds`.
    public var itemsPerSecond = 0.0
    /// Worker time per stage, summed over workers, seconds: where the time goes. `analyse` is the
    /// key-independent part of image detection (done once per image), `detect` the per-key part.
    public var stageSeconds = StageSeconds()
    public var keys: [String] = []
    public var threshold = 0.0
    public var shard: String?
    public var jobs = 0

    public struct StageSeconds: Sendable, Codable, Equatable {
        public var read = 0.0, decode = 0.0, analyse = 0.0, detect = 0.0
    }

    public init() {}

    /// Counts one reported item.
    public mutating func add(_ record: ScanRecord) {
        items += 1
        if let kind = record.errorKind {
            errors += 1
            errorsByCause[kind.rawValue, default: 0] += 1
        } else if record.failed {
            errors += 1
            errorsByCause[ErrorKind.other.rawValue, default: 0] += 1
        }
        if record.detected {
            marked += 1
            markedByPayload[record.payload ?? "unreadable", default: 0] += 1
            if let key = record.keyID { markedByKey[key, default: 0] += 1 }
        }
    }

    /// Counts one item passed over as not media.
    public mutating func addSkipped(_ name: String) {
        skipped += 1
        let last = name.split(separator: "/").last.map(String.init) ?? name
        let member = last.split(separator: "#").last.map(String.init) ?? last
        var ext = "(none)"
        if let dot = member.lastIndex(of: "."), dot != member.startIndex {
            ext = String(member[member.index(after: dot)...]).lowercased()
            if ext.isEmpty || ext.count > 12 { ext = "(other)" }
        }
        if skippedByExtension[ext] == nil && skippedByExtension.count >= 64 { ext = "(other)" }
        skippedByExtension[ext, default: 0] += 1
    }

    enum CodingKeys: String, CodingKey {
        case items, marked, errors, skipped, resumed, scanned, keys, threshold, shard, jobs
        case markedByPayload = "marked_by_payload", markedByKey = "marked_by_key"
        case errorsByCause = "errors_by_cause", skippedByExtension = "skipped_by_extension"
        case elapsedSeconds = "elapsed_s", itemsPerSecond = "items_per_second", stageSeconds = "stage_seconds"
    }

    /// The summary as a JSON document (keys sorted).
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
    }

    /// A few lines for a person, as printed on standard error at the end.
    public var text: String {
        func counts(_ table: [String: Int]) -> String {
            table.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines = ["scan: \(items) items (\(scanned) scanned now, \(resumed) from the output), "
            + "\(marked) marked, \(errors) failed, \(skipped) skipped as not media"]
        if marked > 0 { lines.append("  marked by payload: \(counts(markedByPayload))") }
        if errors > 0 { lines.append("  failed by cause: \(counts(errorsByCause))") }
        if skipped > 0 { lines.append("  skipped by extension: \(counts(skippedByExtension))") }
        lines.append(String(format: "  %.1f s, %.1f items/s with %d jobs", elapsedSeconds, itemsPerSecond, jobs))
        return lines.joined(separator: "\n")
    }
}
