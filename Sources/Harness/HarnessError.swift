/// Every way a robustness run can fail before it produces a report: a suite or gate that does not
/// parse, an input that cannot be walked. Failures of single files during a run are recorded in
/// the report (``RobustnessReport/failures``), not thrown.
public enum HarnessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A suite file or built-in suite name that cannot be used; the text says where and why.
    case invalidSuite(String)
    /// A gate file that cannot be used.
    case invalidGate(String)
    /// An input path that does not exist or cannot be listed.
    case input(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSuite(reason): "invalid suite: \(reason)"
        case let .invalidGate(reason): "invalid gate: \(reason)"
        case let .input(path, reason): "\(path): \(reason)"
        }
    }
}
