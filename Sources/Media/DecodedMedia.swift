/// Either kind of decoded media, as read from a file whose kind is known only from its content.
public enum DecodedMedia: Sendable {
    case image(PlanarImage)
    case audio(AudioBuffer)

    public var kind: MediaKind {
        switch self {
        case .image: .image
        case .audio: .audio
        }
    }
}
