import Foundation
import Media

/// The figures of one attack over every file and trial of a run.
public struct AttackSummary: Sendable, Equatable, Codable {
    /// ``AttackInfo/id``: `image jpeg:75`.
    public var id: String
    public var media: MediaKind
    public var spec: String
    public var label: String?
    public var stretch: Bool
    public var inTable: Bool
    /// (file, trial) pairs the attack was applied to, errors excluded.
    public var trials: Int
    /// Trials whose attack failed (not counted in ``trials``).
    public var errors: Int
    public var detected: Int
    /// Detected with exactly the embedded payload.
    public var recovered: Int
    /// Detected with another payload.
    public var wrongPayloads: Int
    /// Detections on the unmarked original after the attack.
    public var unmarkedFalseAlarms: Int
    /// Detections on the marked copy under a wrong key.
    public var wrongKeyFalseAlarms: Int
    /// ``recovered`` / ``trials``; `nil` when nothing ran.
    public var recoveryRate: Double?
    /// Mean embedding quality of the files behind these trials (PSNR/SSIM for images, SNR for audio).
    public var meanQuality: EmbedQuality
    /// Mean χ² per degree of freedom of the marked copies (about 1 without a mark).
    public var meanChiSquarePerDegree: Double?
    /// Median stated false-positive probability of the marked copies.
    public var medianFalsePositiveProbability: Double?
    public var meanAttackMs: Double
    public var meanDetectMs: Double

    /// Unmarked and wrong-key detections together: must be 0.
    public var falseAlarms: Int { unmarkedFalseAlarms + wrongKeyFalseAlarms }

    /// The label, or the spec.
    public var title: String { label ?? spec }

    enum CodingKeys: String, CodingKey {
        case id, media, spec, label, stretch, inTable = "in_table", trials, errors, detected, recovered
        case wrongPayloads = "wrong_payloads", unmarkedFalseAlarms = "unmarked_false_alarms"
        case wrongKeyFalseAlarms = "wrong_key_false_alarms", recoveryRate = "recovery_rate"
        case meanQuality = "mean_quality", meanChiSquarePerDegree = "mean_chi_square_per_degree"
        case medianFalsePositiveProbability = "median_false_positive_probability", meanAttackMs = "mean_attack_ms"
        case meanDetectMs = "mean_detect_ms"
    }
}

extension AttackSummary {
    /// The summary of `info` over `trials` (all of them for this attack), with the embedding
    /// quality taken from `files`.
    static func summarise(_ info: AttackInfo, trials: [TrialResult], files: [String: FileResult]) -> AttackSummary {
        let ran = trials.filter { $0.error == nil }
        let qualities = ran.compactMap { files[$0.file]?.quality }
        let chi = ran.compactMap { $0.marked.map { $0.chiSquare / Double(max($0.degreesOfFreedom, 1)) } }
        let probabilities = ran.compactMap { $0.marked?.falsePositiveProbability }.sorted()
        let recovered = ran.filter(\.recovered).count
        return AttackSummary(
            id: info.id, media: info.media, spec: info.spec, label: info.label, stretch: info.stretch, inTable: info.inTable,
            trials: ran.count, errors: trials.count - ran.count,
            detected: ran.filter { $0.marked?.detected == true }.count,
            recovered: recovered,
            wrongPayloads: ran.filter(\.wrongPayload).count,
            unmarkedFalseAlarms: ran.filter { $0.unmarked?.detected == true }.count,
            wrongKeyFalseAlarms: ran.filter { $0.wrongKey?.detected == true }.count,
            recoveryRate: ran.isEmpty ? nil : Double(recovered) / Double(ran.count),
            meanQuality: EmbedQuality(psnr: mean(qualities.compactMap(\.psnr)), ssim: mean(qualities.compactMap(\.ssim)),
                                      snr: mean(qualities.compactMap(\.snr))),
            meanChiSquarePerDegree: mean(chi),
            medianFalsePositiveProbability: probabilities.isEmpty ? nil : probabilities[probabilities.count / 2],
            meanAttackMs: rounded(mean(ran.map(\.attackMs)) ?? 0, 0.1),
            meanDetectMs: rounded(mean(ran.map(\.detectMs)) ?? 0, 0.1))
    }
}

/// The mean of the finite values, `nil` when there are none (an infinite SNR of an untouched file
/// would otherwise swamp the mean).
func mean(_ values: [Double]) -> Double? {
    let finite = values.filter(\.isFinite)
    return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
}

func rounded(_ value: Double, _ step: Double) -> Double { (value / step).rounded() * step }
