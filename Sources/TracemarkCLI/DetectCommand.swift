import ArgumentParser
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark detect FILE... --key K [--json]`.
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look for marks made with a key, and say how likely each answer is a false alarm.",
            discussion: """
                For every file: whether a mark is present, its payload, the probability that a file \
                without this key's mark would give evidence this strong (the false-positive \
                probability), and what synchronisation found. Exit code 0 when every file was read \
                and at least one mark was found, 1 when none was found, 2 when a file failed.

                An image padded to a square or letterboxed is read as it is and as the picture inside \
                the border. Audio of any length is read in 2-minute chunks, so a marked track \
                anywhere in a longer recording is found; its time offsets are reported.
                """
        )

        @Argument(help: "Images and audio files to examine (recognised by content).")
        var files: [String]

        @OptionGroup var keyOption: KeyOption

        @Flag(help: "One JSON object per line instead of text.")
        var json = false

        @Option(help: "Report a mark only when its false-positive probability is at most this.")
        var threshold: Double = ImageDetectOptions.defaultThreshold

        @Flag(help: "Audio: search replay speeds 0.67–1.5 instead of 0.8–1.25 (slower).")
        var wideSpeedSearch = false

        func validate() throws {
            guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        }

        func run() throws {
            let key: MarkKey
            do { key = try keyOption.load() } catch {
                Diagnostics.report(error)
                throw ExitCode(2)
            }
            let detector = ImageDetector(key: key)
            let audioDetector = AudioDetector(key: key)
            var failed = false, found = false
            for path in files {
                do {
                    let report = try detect(path, detector: detector, audioDetector: audioDetector)
                    found = found || report.detected
                    if json { JSONLine.print(report) } else { print(report.text) }
                } catch {
                    failed = true
                    Diagnostics.report(FileFailure(path: path, cause: error))
                }
            }
            if failed { throw ExitCode(2) }
            if !found { throw ExitCode(1) }
        }

        private func detect(_ path: String, detector: ImageDetector, audioDetector: AudioDetector) throws -> DetectReport {
            let start = ContinuousClock.now
            let bytes = try MediaFile.readBytes(atPath: path)
            guard let format = FormatSniffer.format(of: bytes) else { throw CodecError.unrecognizedFormat }
            if format.kind == .audio {
                let speeds: AudioSpeedSearch = wideSpeedSearch ? .wide : .standard
                let result = try AudioChunkedDetection.detect(bytes, speeds: speeds) { analysis in
                    [audioDetector.detect(analysis, options: AudioDetectOptions(threshold: threshold, speeds: speeds))]
                }[0]
                return DetectReport(file: path, audio: result, keyID: audioDetector.codebook.keyID, timeMs: milliseconds(since: start))
            }
            let luma = try ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide)
            let result = detector.detect(luma, options: ImageDetectOptions(threshold: threshold))
            let toFile = Double(luma.metadata.decodeScaleDenominator)
            return DetectReport(file: path, result: result, keyID: detector.codebook.keyID, fileScale: toFile,
                                timeMs: milliseconds(since: start))
        }
    }
}

/// The per-file answer of `detect`, as JSON (`--json`) or one line of text.
struct DetectReport: Encodable {
    var file: String
    var kind: String
    var detected: Bool
    var payload: String?
    var falsePositiveProbability: Double
    var keyID: String
    var sync: SyncReport?
    /// Audio: where blocks of the mark start in the clip (seconds), the replay speed found and the
    /// frequency scale (equal to the speed when resampled, 1 for a tempo change, the factor of
    /// a pitch shift at speed 1).
    var offsets: [Double]?
    var speed: Double?
    var pitch: Double?
    /// Strength of the evidence as the χ² value (with `degreesOfFreedom`) whose tail is the
    /// detector statistic's: about the degrees of freedom without a mark, far above with one.
    var chiSquare: Double
    var degreesOfFreedom: Int
    var timeMs: Double

    struct SyncReport: Encodable {
        var chipSize: Double, tilePeriod: Double, rotation: Double, aspect: Double, mirrored: Bool, offset: [Double]
        enum CodingKeys: String, CodingKey {
            case chipSize = "chip_size_px", tilePeriod = "tile_period_px", rotation = "rotation_deg"
            case aspect, mirrored, offset = "offset_px"
        }
    }

    /// The fields every kind of media reports.
    private init(file: String, kind: String, detected: Bool, payload: Payload?, falsePositiveProbability: Double,
                 keyID: String, chiSquare: Double, degreesOfFreedom: Int, timeMs: Double) {
        self.file = file
        self.kind = kind
        self.detected = detected
        self.payload = payload?.hex
        self.falsePositiveProbability = falsePositiveProbability
        self.keyID = keyID
        self.chiSquare = (chiSquare * 10).rounded() / 10
        self.degreesOfFreedom = degreesOfFreedom
        self.timeMs = timeMs
    }

    init(file: String, result: ImageDetection, keyID: String, fileScale: Double, timeMs: Double) {
        self.init(file: file, kind: "image", detected: result.detected, payload: result.payload,
                  falsePositiveProbability: result.falsePositiveProbability, keyID: keyID,
                  chiSquare: result.chiSquare, degreesOfFreedom: result.degreesOfFreedom, timeMs: timeMs)
        func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        sync = result.sync.map { s in
            SyncReport(chipSize: round2(s.chipSize * fileScale), tilePeriod: round2(s.tilePeriod * fileScale),
                       rotation: round2(s.rotationDegrees), aspect: (s.aspect * 1000).rounded() / 1000,
                       mirrored: s.mirrored, offset: [round2(s.offset.x * fileScale), round2(s.offset.y * fileScale)])
        }
    }

    init(file: String, audio result: AudioDetection, keyID: String, timeMs: Double) {
        self.init(file: file, kind: "audio", detected: result.detected, payload: result.payload,
                  falsePositiveProbability: result.falsePositiveProbability, keyID: keyID,
                  chiSquare: result.chiSquare, degreesOfFreedom: result.degreesOfFreedom, timeMs: timeMs)
        if result.detected {
            offsets = result.offsets.map { ($0 * 1000).rounded() / 1000 }
            speed = result.speed.map { ($0 * 10000).rounded() / 10000 }
            pitch = result.pitch.map { ($0 * 10000).rounded() / 10000 }
        }
    }

    var text: String {
        let probability = String(format: "%.2g", falsePositiveProbability)
        guard detected else { return "\(file): no mark (strongest evidence: false-positive probability \(probability))" }
        let payloadText = payload.map { "payload \($0)" } ?? "payload unreadable"
        var geometry = sync.map { String(format: "; tile %.1f px, rotation %.1f°%@", $0.tilePeriod, $0.rotation, $0.mirrored ? ", mirrored" : "") } ?? ""
        if let first = offsets?.first { geometry += String(format: "; first block at %.3f s", first) }
        if let speed, abs(speed - 1) > 1e-4 {
            geometry += String(format: ", speed %.4f", speed) + (pitch == 1 ? " (tempo, pitch kept)" : "")
        }
        if let pitch, let speed, abs(pitch - speed) > 1e-4, pitch != 1 {
            geometry += String(format: ", pitch ×%.4f", pitch)
        }
        return "\(file): marked, \(payloadText) (false-positive probability \(probability)\(geometry))"
    }

    enum CodingKeys: String, CodingKey {
        case file, kind, detected, payload, sync, offsets, speed, pitch
        case falsePositiveProbability = "false_positive_probability", keyID = "key_id"
        case chiSquare = "chi_square", degreesOfFreedom = "degrees_of_freedom", timeMs = "time_ms"
    }

    /// `payload` is always present in JSON, as null when absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(kind, forKey: .kind)
        try container.encode(detected, forKey: .detected)
        try container.encode(payload, forKey: .payload)
        try container.encode(falsePositiveProbability, forKey: .falsePositiveProbability)
        try container.encode(keyID, forKey: .keyID)
        try container.encodeIfPresent(sync, forKey: .sync)
        try container.encodeIfPresent(offsets, forKey: .offsets)
        try container.encodeIfPresent(speed, forKey: .speed)
        try container.encodeIfPresent(pitch, forKey: .pitch)
        try container.encode(chiSquare, forKey: .chiSquare)
        try container.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
        try container.encode(timeMs, forKey: .timeMs)
    }
}
