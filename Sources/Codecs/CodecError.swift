import Media

/// Every way reading or writing media can fail. Cases carry the cause; ``FileFailure`` adds the
/// file name at the boundary where a path is known.
public enum CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a format tracemark reads (magic bytes not recognised, or empty).
    case unrecognizedFormat
    /// The file is recognised but damaged: truncated, bad checksum, invalid structure.
    case corrupt(format: ContainerFormat, reason: String)
    /// A valid file that tracemark does not handle (e.g. a CMYK JPEG to mark, 9 audio channels).
    case unsupported(format: ContainerFormat, reason: String)
    /// The header claims more pixels than the configured limit; refused before allocating.
    case tooLarge(width: Int, height: Int, limit: Int)
    /// Encoding failed (bad parameters for the target format, or the library refused).
    case encodeFailed(format: ContainerFormat, reason: String)
    /// Reading or writing the file system failed.
    case io(reason: String)

    public var description: String {
        switch self {
        case .unrecognizedFormat:
            "not a PNG, JPEG, WebP, GIF, BMP, TIFF, WAV, FLAC, Ogg, MP3, M4A/MP4, WebM or AAC file"
        case let .corrupt(format, reason):
            "corrupt \(format.rawValue.uppercased()): \(reason)"
        case let .unsupported(format, reason):
            "unsupported \(format.rawValue.uppercased()): \(reason)"
        case let .tooLarge(width, height, limit):
            "image of \(width)×\(height) pixels exceeds the limit of \(limit) pixels"
        case let .encodeFailed(format, reason):
            "cannot encode \(format.rawValue.uppercased()): \(reason)"
        case let .io(reason):
            reason
        }
    }
}

/// A failure tied to a file: what the CLI prints as one line, `path: cause`.
public struct FileFailure: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var cause: any Error & Sendable

    public init(path: String, cause: any Error & Sendable) {
        self.path = path
        self.cause = cause
    }

    public var description: String { "\(path): \(cause)" }
}
