import Marking
import Media

/// What the harness needs of a mark: embed a payload, and detect with the run's key and with a
/// wrong one. One conformance per kind of media; a kind with none is reported as not available.
public protocol MarkUnderTest: Sendable {
    var kind: MediaKind { get }
    /// Marks `media` (of ``kind``) with `payload`.
    func embed(_ media: DecodedMedia, payload: Payload) throws -> MarkedMedia
    /// Detection under the run's key and, when `wrongKey` is set, under the wrong key too (from one
    /// shared key-independent analysis).
    func detect(_ media: DecodedMedia, wrongKey: Bool) -> Detections
}

/// The answers for one attacked copy.
public struct Detections: Sendable {
    public var key: DetectionOutcome
    public var wrongKey: DetectionOutcome?
    /// Time of the analysis and the detection under the run's key (not the wrong key's), ms.
    public var keyMs: Double

    public init(key: DetectionOutcome, wrongKey: DetectionOutcome?, keyMs: Double) {
        self.key = key
        self.wrongKey = wrongKey
        self.keyMs = keyMs
    }

    /// One key-independent analysis, then `detect(analysis, false)` under the run's key (timed with
    /// the analysis) and, when `wrongKey` is set, `detect(analysis, true)` under the wrong key.
    static func timed<Analysis>(analysis: () -> Analysis, wrongKey: Bool,
                                detect: (Analysis, _ wrongKey: Bool) -> DetectionOutcome) -> Detections {
        let start = ContinuousClock.now
        let analysed = analysis()
        let keyed = detect(analysed, false)
        let keyMs = milliseconds(since: start)
        return Detections(key: keyed, wrongKey: wrongKey ? detect(analysed, true) : nil, keyMs: keyMs)
    }
}

/// A marked copy and what marking cost.
public struct MarkedMedia: Sendable {
    public var media: DecodedMedia
    public var quality: EmbedQuality

    public init(media: DecodedMedia, quality: EmbedQuality) {
        self.media = media
        self.quality = quality
    }
}

/// Quality of a marked file against its original: PSNR and SSIM for images, SNR for audio.
public struct EmbedQuality: Sendable, Equatable, Codable {
    /// dB, colour planes.
    public var psnr: Double?
    /// Mean SSIM of the luma.
    public var ssim: Double?
    /// dB, all channels.
    public var snr: Double?

    public init(psnr: Double? = nil, ssim: Double? = nil, snr: Double? = nil) {
        self.psnr = psnr
        self.ssim = ssim
        self.snr = snr
    }
}

/// One detector answer, as the report records it.
///
/// The detectors do not expose the raw bit errors before error correction; the χ² statistic of the
/// payload chips (about its degrees of freedom without a mark, far above with one) and the stated
/// false-positive probability are recorded instead.
public struct DetectionOutcome: Sendable, Equatable, Codable {
    public var detected: Bool
    /// 16 hex digits, when detected and the CRC holds.
    public var payload: String?
    public var falsePositiveProbability: Double
    public var chiSquare: Double
    public var degreesOfFreedom: Int

    public init(detected: Bool, payload: String?, falsePositiveProbability: Double, chiSquare: Double, degreesOfFreedom: Int) {
        self.detected = detected
        self.payload = payload
        self.falsePositiveProbability = falsePositiveProbability
        self.chiSquare = chiSquare
        self.degreesOfFreedom = degreesOfFreedom
    }

    enum CodingKeys: String, CodingKey {
        case detected, payload, falsePositiveProbability = "false_positive_probability", chiSquare = "chi_square"
        case degreesOfFreedom = "degrees_of_freedom"
    }
}

/// The image mark (``ImageMarker``, ``ImageDetector``).
public struct ImageMarkUnderTest: MarkUnderTest {
    let marker: ImageMarker
    let detector: ImageDetector
    let wrongDetector: ImageDetector
    let options: ImageDetectOptions

    public init(key: MarkKey, wrongKey: MarkKey, threshold: Double = ImageDetectOptions.defaultThreshold) {
        let codebook = ImageMarkCodebook(key: key)
        marker = ImageMarker(codebook: codebook)
        detector = ImageDetector(codebook: codebook)
        wrongDetector = ImageDetector(key: wrongKey)
        options = ImageDetectOptions(threshold: threshold)
    }

    public var kind: MediaKind { .image }

    public func embed(_ media: DecodedMedia, payload: Payload) throws -> MarkedMedia {
        guard case let .image(image) = media else { throw MarkError.invalidParameter("not an image") }
        let embedding = try marker.embed(image, payload: payload)
        return MarkedMedia(media: .image(embedding.image), quality: EmbedQuality(psnr: embedding.psnr, ssim: embedding.ssim))
    }

    public func detect(_ media: DecodedMedia, wrongKey: Bool) -> Detections {
        guard case let .image(image) = media else { preconditionFailure("the runner passes images only") }
        return Detections.timed(analysis: { ImageAnalysis(image) }, wrongKey: wrongKey) { analysis, wrong in
            let d = (wrong ? wrongDetector : detector).detect(analysis, options: options)
            return DetectionOutcome(detected: d.detected, payload: d.payload?.hex, falsePositiveProbability: d.falsePositiveProbability,
                                    chiSquare: d.chiSquare, degreesOfFreedom: d.degreesOfFreedom)
        }
    }
}

/// The audio mark (``AudioMarker``, ``AudioDetector``).
public struct AudioMarkUnderTest: MarkUnderTest {
    let marker: AudioMarker
    let detector: AudioDetector
    let wrongDetector: AudioDetector
    let options: AudioDetectOptions

    public init(key: MarkKey, wrongKey: MarkKey, threshold: Double = AudioDetectOptions.defaultThreshold) {
        let codebook = AudioMarkCodebook(key: key)
        marker = AudioMarker(codebook: codebook)
        detector = AudioDetector(codebook: codebook)
        wrongDetector = AudioDetector(key: wrongKey)
        options = AudioDetectOptions(threshold: threshold)
    }

    public var kind: MediaKind { .audio }

    public func embed(_ media: DecodedMedia, payload: Payload) throws -> MarkedMedia {
        guard case let .audio(audio) = media else { throw MarkError.invalidParameter("not audio") }
        let embedding = try marker.embed(audio, payload: payload)
        return MarkedMedia(media: .audio(embedding.audio), quality: EmbedQuality(snr: embedding.snr))
    }

    public func detect(_ media: DecodedMedia, wrongKey: Bool) -> Detections {
        guard case let .audio(audio) = media else { preconditionFailure("the runner passes audio only") }
        return Detections.timed(analysis: { AudioAnalysis(audio) }, wrongKey: wrongKey) { analysis, wrong in
            let d = (wrong ? wrongDetector : detector).detect(analysis, options: options)
            return DetectionOutcome(detected: d.detected, payload: d.payload?.hex, falsePositiveProbability: d.falsePositiveProbability,
                                    chiSquare: d.chiSquare, degreesOfFreedom: d.degreesOfFreedom)
        }
    }
}

extension MarkKey {
    /// A key that is not `self`, derived from its id and `seed`: the harness's wrong key.
    public func wrongKey(seed: UInt64) -> MarkKey {
        var bytes = HarnessSeed.bytes(MarkKey.byteCount, seed: HarnessSeed.derive(seed, "wrong key", id))
        if bytes == self.bytes { bytes[0] ^= 1 }
        return try! MarkKey(bytes: bytes)  // byteCount bytes by construction
    }
}
