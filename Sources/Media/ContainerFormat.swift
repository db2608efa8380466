/// The kind of media a file holds.
public enum MediaKind: String, Sendable, Codable {
    case image
    case audio
}

/// A file container tracemark reads and writes, recognised from content (magic bytes).
public enum ContainerFormat: String, Sendable, Codable, CaseIterable {
    case png
    case jpeg
    /// WebP, lossy (VP8) or lossless (VP8L), read and written through libwebp.
    case webp
    case wav
    case flac
    /// Ogg with a Vorbis stream.
    case ogg
    /// Ogg with an Opus stream.
    case opus
    case mp3
    /// MPEG-4 audio (AAC or ALAC) in an MP4 / M4A / MOV file, read through libavformat; not written.
    case m4a
    /// Audio (Opus or Vorbis) in a Matroska or WebM file, read through libavformat; not written.
    case webm
    /// Raw AAC in ADTS frames (an `.aac` file), read through libavformat; not written.
    case aac

    /// GIF (its first frame), read through libavcodec; not written.
    case gif
    /// BMP, read through libavcodec; not written.
    case bmp
    /// TIFF (its first page), read through libavcodec; not written.
    case tiff

    public var kind: MediaKind {
        switch self {
        case .png, .jpeg, .webp, .gif, .bmp, .tiff: .image
        case .wav, .flac, .ogg, .opus, .mp3, .m4a, .webm, .aac: .audio
        }
    }

    /// Whether tracemark writes this container (``m4a``, ``webm``, ``aac``, ``gif``, ``bmp`` and
    /// ``tiff`` are read only).
    public var isWritable: Bool {
        switch self {
        case .m4a, .webm, .aac, .gif, .bmp, .tiff: false
        default: true
        }
    }

    /// The container implied by a file name's extension (case-insensitive), used only to choose an
    /// *output* format; inputs are always recognised by content.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg", "jpe", "jfif": self = .jpeg
        case "webp": self = .webp
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .ogg
        case "opus": self = .opus
        case "mp3": self = .mp3
        default: return nil
        }
    }
}
