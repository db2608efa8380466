/// Every way marking or detection can fail before it produces a result.
public enum MarkError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKey(String)
    case invalidPayload(String)
    /// The media is too small (or too short) to carry a mark.
    case mediaTooSmall(String)
    case invalidParameter(String)
    /// Marking ran but the mark could not be read back from the result (the media cannot hold it).
    case unreadable(String)

    public var description: String {
        switch self {
        case let .invalidKey(reason): "invalid key: \(reason)"
        case let .invalidPayload(reason): "invalid payload: \(reason)"
        case let .mediaTooSmall(reason): "too small to mark: \(reason)"
        case let .invalidParameter(reason): "invalid parameter: \(reason)"
        case let .unreadable(reason): "cannot hold a readable mark: \(reason)"
        }
    }
}
