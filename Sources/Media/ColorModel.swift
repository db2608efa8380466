/// How the planes of a ``PlanarImage`` are to be read.
public enum ColorModel: String, Sendable, Codable, CaseIterable {
    case gray
    case grayAlpha = "gray+alpha"
    case rgb
    case rgba

    /// Number of planes an image in this model holds.
    public var channelCount: Int {
        switch self {
        case .gray: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// Whether the last plane is an alpha (opacity) plane.
    public var hasAlpha: Bool { self == .grayAlpha || self == .rgba }

    /// Number of colour planes, alpha excluded.
    public var colorChannelCount: Int { hasAlpha ? channelCount - 1 : channelCount }

    /// The model with the same colours and no alpha plane.
    public var withoutAlpha: ColorModel {
        switch self {
        case .gray, .grayAlpha: .gray
        case .rgb, .rgba: .rgb
        }
    }

    /// The model for a plane count, assuming the usual order (gray, gray+alpha, RGB, RGBA).
    public init?(channelCount: Int) {
        switch channelCount {
        case 1: self = .gray
        case 2: self = .grayAlpha
        case 3: self = .rgb
        case 4: self = .rgba
        default: return nil
        }
    }
}
