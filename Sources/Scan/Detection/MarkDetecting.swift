import Marking
import Media

/// One key's answer for one item.
public struct MarkVerdict: Sendable, Equatable {
    /// The false-positive probability is at most the threshold the detector was asked with.
    public var detected: Bool
    /// The payload, when detected and readable.
    public var payload: Payload?
    /// Probability that an item without this key's mark gives evidence at least this strong.
    public var falsePositiveProbability: Double

    public init(detected: Bool, payload: Payload?, falsePositiveProbability: Double) {
        self.detected = detected
        self.payload = payload
        self.falsePositiveProbability = falsePositiveProbability
    }
}

/// A keyed detector for one kind of media that the scanner can drive. One value serves every
/// worker at once, so it must be safe to call concurrently (build per-key state once, in `init`).
///
/// `Media` is the key-independent part of detection — ``ImageAnalysis`` or ``AudioAnalysis`` —
/// so the scanner analyses each item once and asks every key's detector about that analysis.
/// ``ImageDetector`` and ``AudioDetector`` conform.
public protocol MarkDetecting<Media>: Sendable {
    associatedtype Media
    /// Looks for the mark; `detected` when the false-positive probability is ≤ `threshold`.
    func verdict(for media: Media, threshold: Double) -> MarkVerdict
}

extension ImageDetector: MarkDetecting {
    public func verdict(for analysis: ImageAnalysis, threshold: Double) -> MarkVerdict {
        let result = detect(analysis, options: ImageDetectOptions(threshold: threshold))
        return MarkVerdict(detected: result.detected, payload: result.payload,
                           falsePositiveProbability: result.falsePositiveProbability)
    }
}

/// Everything the scanner checks items against for one key: an image detector and, when one
/// exists, an audio detector.
public struct KeyDetector: Sendable {
    /// The key's public name (``MarkKey/id``), written as `key_id`.
    public var keyID: String
    public var image: any MarkDetecting<ImageAnalysis>
    /// `nil`: audio items are reported with the error "audio detection not available" (when no
    /// key has one).
    public var audio: (any MarkDetecting<AudioAnalysis>)?

    public init(keyID: String, image: any MarkDetecting<ImageAnalysis>, audio: (any MarkDetecting<AudioAnalysis>)?) {
        self.keyID = keyID
        self.image = image
        self.audio = audio
    }

    /// The standard detectors for `key`: image and audio.
    public init(key: MarkKey) {
        self.init(keyID: key.id, image: ImageDetector(key: key), audio: Self.audioDetector(for: key))
    }
}
