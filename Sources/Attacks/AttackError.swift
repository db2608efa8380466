import Media

/// Every way an attack spec or an attack can fail. Codec failures inside `jpeg`, `mp3` … are
/// passed on as the codec's own error.
public enum AttackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an attack spec: unknown name, missing or malformed parameter.
    case invalidSpec(String)
    /// The attack is for the other kind of media (`jpeg:75` on audio, `mp3:128` on an image).
    case notApplicable(attack: String, kind: MediaKind)
    /// A parameter is out of range, for the spec or for the media it meets.
    case invalidParameter(String)
    /// An attack that runs another program (`aac` runs `ffmpeg`) could not: the program is
    /// missing or failed; the text says which and why.
    case externalProgram(String)

    public var description: String {
        switch self {
        case let .invalidSpec(reason):
            "invalid attack spec: \(reason)"
        case let .notApplicable(attack, kind):
            "attack \(attack) does not apply to \(kind.rawValue)"
        case let .invalidParameter(reason):
            "invalid attack parameter: \(reason)"
        case let .externalProgram(reason):
            reason
        }
    }
}
