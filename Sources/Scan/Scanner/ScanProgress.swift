/// A snapshot of a running scan, for a progress line.
public struct ScanProgress: Sendable {
    /// Items reported so far, including those read back from the output on resume.
    public var items: Int
    /// Items scanned in this run.
    public var scanned: Int
    public var marked: Int
    public var errors: Int
    public var skipped: Int
    public var elapsedSeconds: Double
    /// Inputs (files and archives, after sharding) finished, and how many there are when known
    /// in advance (a list of files; not a folder walk or standard input).
    public var inputsDone: Int
    public var inputsTotal: Int?

    /// Items scanned per second in this run.
    public var itemsPerSecond: Double { elapsedSeconds > 0 ? Double(scanned) / elapsedSeconds : 0 }

    /// Seconds left, from the rate inputs are finished at; `nil` when the total is not known.
    public var etaSeconds: Double? {
        guard let inputsTotal, inputsDone > 0, elapsedSeconds > 0 else { return nil }
        return elapsedSeconds * Double(max(0, inputsTotal - inputsDone)) / Double(inputsDone)
    }
}
