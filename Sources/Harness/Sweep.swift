import Attacks
import Media

/// A family of attacks of growing strength, drawn as one recovery-vs-strength curve
/// (JPEG quality 95…20, scale 1…0.2, MP3 bitrate …). Resolved: media fixed, specs canonical.
public struct Sweep: Sendable, Equatable, Codable {
    /// `JPEG quality`.
    public var name: String
    public var media: MediaKind
    /// The x axis: `quality`, `scale factor`, `dB SNR` ….
    public var axis: String
    public var points: [Point]

    public struct Point: Sendable, Equatable, Codable {
        /// Canonical spec of the attack at this strength.
        public var spec: String
        /// The strength, on the x axis.
        public var value: Double

        public init(spec: String, value: Double) {
            self.spec = spec
            self.value = value
        }
    }

    public init(name: String, media: MediaKind, axis: String, points: [Point]) {
        self.name = name
        self.media = media
        self.axis = axis
        self.points = points
    }

    /// `image jpeg:75`, the ``SuiteEntry/id`` of a point.
    public func entryID(_ point: Point) -> String { SuiteEntry.id(media: media, spec: point.spec) }
}

/// A sweep as written in a suite. A point's value defaults to the main parameter of the last step
/// of its spec (75 for `jpeg:75`, 0.5 for `resize:0.5`), so a plain list of specs is enough.
public struct SweepDefinition: Sendable, Equatable, Codable {
    public var name: String
    /// `nil`: inferred from the points (they must all apply to one media).
    public var media: MediaKind?
    public var axis: String?
    /// Trials for points that are not also listed attacks (those keep their own).
    public var trials: Int
    public var points: [PointDefinition]

    public struct PointDefinition: Sendable, Equatable, Codable {
        public var spec: String
        public var value: Double?
        public var trials: Int?

        public init(_ spec: String, value: Double? = nil, trials: Int? = nil) {
            self.spec = spec
            self.value = value
            self.trials = trials
        }

        /// A point is a bare spec string or `{"spec": …, "value": …, "trials": …}`.
        public init(from decoder: any Decoder) throws {
            if let spec = try? decoder.singleValueContainer().decode(String.self) {
                self.init(spec)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(try container.decode(String.self, forKey: .spec),
                      value: try container.decodeIfPresent(Double.self, forKey: .value),
                      trials: try container.decodeIfPresent(Int.self, forKey: .trials))
        }
    }

    public init(name: String, media: MediaKind? = nil, axis: String? = nil, trials: Int = 1, points: [PointDefinition]) {
        self.name = name
        self.media = media
        self.axis = axis
        self.trials = trials
        self.points = points
    }

    /// `SweepDefinition(name, media:, axis:, specs: ["jpeg:95", "jpeg:90", …])`.
    public init(_ name: String, media: MediaKind, axis: String, trials: Int = 1, specs: [String]) {
        self.init(name: name, media: media, axis: axis, trials: trials, points: specs.map { PointDefinition($0) })
    }

    enum CodingKeys: String, CodingKey { case name, media, axis, trials, points }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  media: try container.decodeIfPresent(MediaKind.self, forKey: .media),
                  axis: try container.decodeIfPresent(String.self, forKey: .axis),
                  trials: try container.decodeIfPresent(Int.self, forKey: .trials) ?? 1,
                  points: try container.decode([PointDefinition].self, forKey: .points))
    }

    func resolved() throws(HarnessError) -> Sweep {
        guard !points.isEmpty else { throw .invalidSuite("sweep \"\(name)\" has no points") }
        var media = self.media
        var resolved: [Sweep.Point] = []
        for point in points {
            let chain = try Suite.chain(point.spec)
            let kinds = try SuiteAttack.kinds(of: chain, named: media, spec: point.spec)
            guard kinds.count == 1 else {
                throw .invalidSuite("sweep \"\(name)\": say which media \"\(point.spec)\" is for (\"media\": \"image\" or \"audio\")")
            }
            media = kinds[0]
            guard let value = point.value ?? chain.steps.last?.strength else {
                throw .invalidSuite("sweep \"\(name)\": \"\(point.spec)\" needs a \"value\"")
            }
            resolved.append(Sweep.Point(spec: chain.description, value: value))
        }
        return Sweep(name: name, media: media!, axis: axis ?? "strength", points: resolved)
    }
}

extension Attack {
    /// The attack's main parameter, the natural x value on a strength curve; `nil` for attacks
    /// without one (`flip`, `png`, `mono`, `invert`, `center-crop`, `resize-to`, `blur-fill`).
    var strength: Double? {
        switch self {
        case let .jpeg(quality), let .webp(quality): Double(quality)
        case let .resize(factor), let .aspect(factor), let .brightness(factor), let .contrast(factor),
             let .speed(factor), let .tempo(factor): factor
        case let .resizeShort(pixels), let .border(pixels), let .padEdge(pixels): Double(pixels)
        case let .crop(area): area
        case let .keystone(fraction): fraction
        case let .rotate(degrees, _), let .shear(degrees): degrees
        case let .noise(level): level
        case let .blur(sigma): sigma
        case let .median(size): Double(size)
        case let .gamma(gamma): gamma
        case let .mp3(kbps), let .opus(kbps), let .aac(kbps): Double(kbps)
        case let .ogg(quality): quality
        case let .resample(hz): Double(hz)
        case let .lowpass(hz), let .highpass(hz): hz
        case let .reverb(rt60): rt60
        case let .audioNoise(snr): snr
        case let .pitch(cents): cents
        case let .volume(gain): gain
        case let .excerpt(seconds), let .surround(seconds): seconds
        case let .shift(samples): Double(samples)
        case .png, .centerCrop, .resizeTo, .blurFill, .flip, .mono, .invert: nil
        }
    }
}
