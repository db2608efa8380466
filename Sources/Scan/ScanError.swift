import Codecs

/// Every way a scan or one of its items can fail. Item failures become a JSON line with `error`
/// and `error_kind` (``ErrorKind``); the others stop the scan.
public enum ScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input cannot be read: missing, permission denied, a folder that cannot be listed.
    case io(path: String, reason: String)
    /// An archive is damaged, truncated, or not a tar/zip libarchive can read.
    case archive(path: String, reason: String)
    /// An item is larger than ``ScanOptions/maxItemBytes``; refused before reading it.
    case itemTooLarge(bytes: Int, limit: Int)
    /// An audio item, and no key's detector reads audio.
    case audioUnavailable
    /// The output file cannot be read back (resume) or written: fatal.
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case let .archive(path, reason): "\(path): archive: \(reason)"
        case let .itemTooLarge(bytes, limit): "item of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .audioUnavailable: "audio detection not available"
        case let .output(path, reason): "\(path): \(reason)"
        }
    }

    /// The message that goes into an item's `error` field: without the path, which the line's
    /// `item` already names.
    var itemMessage: String {
        switch self {
        case let .io(_, reason): reason
        case let .archive(_, reason): "archive: \(reason)"
        default: description
        }
    }
}

/// Why an item failed, grouped coarsely enough to count: the `error_kind` of a JSON line and the
/// keys of the summary's `errors_by_cause`.
public enum ErrorKind: String, Sendable, Codable, CaseIterable {
    /// The media file is damaged or truncated.
    case corrupt
    /// A valid file tracemark does not handle (12-bit JPEG, too many channels).
    case unsupported
    /// Too many pixels or bytes; refused before decoding.
    case tooLarge = "too_large"
    /// The file could not be opened or read.
    case io
    /// The archive around the item is damaged.
    case archive
    /// An audio item with no audio detector.
    case audioUnavailable = "audio_unavailable"
    /// Anything else (a detector or decoder error with no better class).
    case other

    /// The kind and the message of an item failure.
    static func classify(_ error: any Error) -> (kind: ErrorKind, message: String) {
        switch error {
        case let error as ScanError:
            switch error {
            case .io, .output: return (.io, error.itemMessage)
            case .archive: return (.archive, error.itemMessage)
            case .itemTooLarge: return (.tooLarge, error.itemMessage)
            case .audioUnavailable: return (.audioUnavailable, error.itemMessage)
            }
        case let error as CodecError:
            switch error {
            case .corrupt, .unrecognizedFormat: return (.corrupt, error.description)
            case .unsupported: return (.unsupported, error.description)
            case .tooLarge: return (.tooLarge, error.description)
            case .io: return (.io, error.description)
            case .encodeFailed: return (.other, error.description)
            }
        default:
            return (.other, "\(error)")
        }
    }
}
