import Marking
import Media

extension AudioDetector: MarkDetecting {
    public func verdict(for analysis: AudioAnalysis, threshold: Double) -> MarkVerdict {
        let result = detect(analysis, options: AudioDetectOptions(threshold: threshold))
        return MarkVerdict(detected: result.detected, payload: result.payload,
                           falsePositiveProbability: result.falsePositiveProbability)
    }
}

extension KeyDetector {
    /// The audio detector for `key`.
    static func audioDetector(for key: MarkKey) -> (any MarkDetecting<AudioAnalysis>)? {
        AudioDetector(key: key)
    }
}
