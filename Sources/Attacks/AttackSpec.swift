/// Reading attack specs: `name` or `name:parameter[:parameter]`, names lower case, numbers in
/// plain decimal (`75`, `0.8`, `-2.5`, `1e-3`).
extension Attack {
    /// Every spec name, in the order of ``parameterHelp``.
    public static var specNames: [String] { parameterHelp.map(\.name) }

    /// Parses one spec such as `jpeg:75` or `rotate:5:crop`.
    ///
    /// `noise:X` always gives ``noise(sigma:)``, whichever media it will meet.
    /// - Throws: ``AttackError/invalidSpec(_:)`` for an unknown name or a malformed parameter,
    ///   ``AttackError/invalidParameter(_:)`` for a value out of range.
    public init(parsing spec: String) throws(AttackError) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var reader = SpecReader(spec: spec, parts: parts)
        self = try reader.attack()
    }
}

/// Walks the `:`-separated fields of one spec.
private struct SpecReader {
    let spec: String
    let parts: [String]

    mutating func attack() throws(AttackError) -> Attack {
        let name = parts[0].lowercased()
        let attack: Attack
        switch name {
        case "jpeg", "jpg":
            attack = .jpeg(quality: try int(1, in: 1...100, "JPEG quality"))
        case "png":
            attack = .png
        case "webp":
            attack = .webp(quality: try int(1, in: 1...100, "WebP quality"))
        case "resize":
            attack = .resize(factor: try double(1, in: 0.01...16, "resize factor"))
        case "resize-short":
            attack = .resizeShort(pixels: try int(1, in: 1...65_536, "short side"))
        case "border":
            attack = .border(pixels: try int(1, in: 1...65_536, "square side"))
        case "pad-edge":
            attack = .padEdge(pixels: try int(1, in: 1...65_536, "square side"))
        case "crop":
            attack = .crop(area: try double(1, in: 0.0001...1, "crop area fraction"))
        case "center-crop":
            let (width, height) = try size(1)
            attack = .centerCrop(width: width, height: height)
        case "resize-to":
            let (width, height) = try outputSize(1, name)
            attack = .resizeTo(width: width, height: height)
        case "blur-fill":
            let (width, height) = try outputSize(1, name)
            attack = .blurFill(width: width, height: height)
        case "rotate":
            return try rotate()
        case "shear":
            attack = .shear(degrees: try double(1, in: -60...60, "shear angle"))
        case "keystone":
            attack = .keystone(fraction: try double(1, in: 0...0.45, "keystone fraction"))
        case "flip":
            attack = .flip
        case "aspect":
            attack = .aspect(factor: try double(1, in: 0.01...16, "aspect factor"))
        case "noise":
            attack = .noise(sigma: try double(1, in: 0...1000, "noise level"))
        case "blur":
            attack = .blur(sigma: try double(1, in: 0...100, "blur sigma"))
        case "median":
            let size = try int(1, in: 1...31, "median size")
            guard size % 2 == 1 else { throw .invalidParameter("median size must be odd, not \(size)") }
            attack = .median(size: size)
        case "brightness":
            attack = .brightness(factor: try double(1, in: 0...100, "brightness factor"))
        case "contrast":
            attack = .contrast(factor: try double(1, in: 0...100, "contrast factor"))
        case "gamma":
            attack = .gamma(try double(1, in: 0.01...100, "gamma"))
        case "mp3":
            let kbps = try int(1, in: 8...320, "MP3 bitrate")
            guard AudioCodecAttack.mp3Bitrates.contains(kbps) else {
                let allowed = AudioCodecAttack.mp3Bitrates.map(String.init).joined(separator: ", ")
                throw .invalidParameter("MP3 bitrate \(kbps) kbit/s is not an MPEG layer III bitrate (\(allowed))")
            }
            attack = .mp3(kbps: kbps)
        case "ogg", "vorbis":
            attack = .ogg(quality: try double(1, in: 0...1, "Vorbis quality"))
        case "opus":
            attack = .opus(kbps: try int(1, in: 6...2048, "Opus bitrate"))
        case "aac":
            attack = .aac(kbps: try int(1, in: 8...512, "AAC bitrate"))
        case "resample":
            attack = .resample(hz: try int(1, in: 1000...768_000, "sample rate"))
        case "lowpass":
            attack = .lowpass(hz: try double(1, in: 1...400_000, "low-pass cut-off"))
        case "reverb":
            attack = .reverb(rt60: try double(1, in: 0.01...10, "reverberation time"))
        case "highpass":
            attack = .highpass(hz: try double(1, in: 1...400_000, "high-pass cut-off"))
        case "volume":
            attack = .volume(gain: try double(1, in: 0...1000, "volume gain"))
        case "excerpt":
            attack = .excerpt(seconds: try double(1, in: 0.001...86_400, "excerpt length"))
        case "surround":
            attack = .surround(seconds: try double(1, in: 0.001...3_600, "surrounding length"))
        case "shift":
            attack = .shift(samples: try int(1, in: -100_000_000...100_000_000, "shift"))
        case "speed":
            attack = .speed(factor: try double(1, in: 0.1...10, "speed factor"))
        case "tempo":
            attack = .tempo(factor: try double(1, in: 0.25...4, "tempo factor"))
        case "pitch":
            attack = .pitch(cents: try double(1, in: -2400...2400, "pitch shift"))
        case "mono":
            attack = .mono
        case "invert":
            attack = .invert
        default:
            let known = Attack.specNames.joined(separator: ", ")
            throw .invalidSpec("unknown attack \"\(parts[0])\" in \"\(spec)\" (known: \(known))")
        }
        try expectFieldCount(attack.parameterCount + 1)
        return attack
    }

    /// `rotate:DEG` or `rotate:DEG:crop`.
    private func rotate() throws(AttackError) -> Attack {
        let degrees = try double(1, in: -360...360, "rotation angle")
        if parts.count == 3 {
            guard parts[2].lowercased() == "crop" else {
                throw .invalidSpec("\"\(spec)\": the third field of rotate can only be \"crop\"")
            }
            return .rotate(degrees: degrees, cropToValid: true)
        }
        try expectFieldCount(2)
        return .rotate(degrees: degrees, cropToValid: false)
    }

    private func field(_ index: Int, _ what: String) throws(AttackError) -> String {
        guard index < parts.count, !parts[index].isEmpty else {
            throw .invalidSpec("\"\(spec)\" needs a \(what)")
        }
        return parts[index]
    }

    private func int(_ index: Int, in range: ClosedRange<Int>, _ what: String) throws(AttackError) -> Int {
        let text = try field(index, what)
        guard let value = Int(text) else {
            throw .invalidSpec("\"\(spec)\": \(what) \"\(text)\" is not a whole number")
        }
        guard range.contains(value) else {
            throw .invalidParameter("\(what) must be \(range.lowerBound)...\(range.upperBound), not \(value)")
        }
        return value
    }

    private func double(_ index: Int, in range: ClosedRange<Double>, _ what: String) throws(AttackError) -> Double {
        let text = try field(index, what)
        guard let value = Double(text), value.isFinite else {
            throw .invalidSpec("\"\(spec)\": \(what) \"\(text)\" is not a number")
        }
        guard range.contains(value) else {
            let f = SpecNumber.format
            throw .invalidParameter("\(what) must be \(f(range.lowerBound))...\(f(range.upperBound)), not \(text)")
        }
        return value
    }

    /// `WIDTHxHEIGHT`.
    private func size(_ index: Int) throws(AttackError) -> (Int, Int) {
        let text = try field(index, "size WIDTHxHEIGHT")
        let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]) else {
            throw .invalidSpec("\"\(spec)\": size \"\(text)\" is not WIDTHxHEIGHT")
        }
        guard width > 0, height > 0 else {
            throw .invalidParameter("\(parts[0]) size must be positive, not \(width)x\(height)")
        }
        return (width, height)
    }

    /// `WIDTHxHEIGHT` of an image the attack makes, at most 65536 on a side (as `resize-short`'s).
    private func outputSize(_ index: Int, _ name: String) throws(AttackError) -> (Int, Int) {
        let (width, height) = try size(index)
        guard width <= 65_536, height <= 65_536 else {
            throw .invalidParameter("\(name) size must be at most 65536x65536, not \(width)x\(height)")
        }
        return (width, height)
    }

    private func expectFieldCount(_ count: Int) throws(AttackError) {
        guard parts.count == count else {
            let expected = count == 1 ? "no parameter" : "\(count - 1) parameter\(count == 2 ? "" : "s")"
            throw .invalidSpec("\"\(spec)\": \(parts[0]) takes \(expected)")
        }
    }
}

extension Attack {
    /// The number of `:`-separated parameters in the spec (rotate's `:crop` not counted).
    fileprivate var parameterCount: Int {
        switch self {
        case .png, .flip, .mono, .invert: 0
        default: 1
        }
    }
}

/// Numbers in specs: written as short as they can be read back exactly.
enum SpecNumber {
    /// `5` rather than `5.0`; otherwise Swift's shortest round-tripping form (`0.75`, `1e-05`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}
