import Codecs
import Media

/// The files codec attacks write. A codec attack encodes and decodes again; these give the
/// encoded bytes themselves, so that saving an attacked file in the attack's own format (`jpeg:75`
/// to a `.jpg`) writes exactly the file the attack made instead of encoding it a second time.
extension Attack {
    /// The container a codec attack writes: `.jpeg`, `.png`, `.mp3`, `.ogg`, `.opus`; `nil` for
    /// every other attack.
    public var codecFormat: ContainerFormat? {
        switch self {
        case .jpeg: .jpeg
        case .png: .png
        case .webp: .webp
        case .mp3: .mp3
        case .ogg: .ogg
        case .opus: .opus
        default: nil
        }
    }

    /// The file this codec attack's encoder writes for `media`, before decoding: JPEG at the
    /// attack's quality with 4:2:0 chroma, 8-bit PNG, or the audio (resampled to a rate the codec
    /// takes, if needed) encoded at the attack's bitrate or quality.
    /// - Throws: ``AttackError/notApplicable(attack:kind:)`` when this is not a codec attack for
    ///   `media`'s kind; the codec's error when encoding fails.
    public func encodedFile(for media: DecodedMedia) throws -> [UInt8] {
        switch (self, media) {
        case let (.jpeg(quality), .image(image)):
            return try ImageCodecAttack.encodeJPEG(image, quality: quality)
        case let (.png, .image(image)):
            return try ImageCodecAttack.encodePNG(image)
        case let (.webp(quality), .image(image)):
            return try ImageCodecAttack.encodeWebP(image, quality: quality)
        case (.mp3, .audio(let audio)), (.ogg, .audio(let audio)), (.opus, .audio(let audio)):
            return try AudioCodecAttack.encode(audio, for: self)
        default:
            throw AttackError.notApplicable(attack: description, kind: media.kind)
        }
    }
}
