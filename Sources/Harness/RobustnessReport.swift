import Foundation
import Media

/// Everything a robustness run found, as written to `--json` and drawn by the HTML report.
///
/// Field names are stable, spelled out in each type's `CodingKeys` (snake case: `recovery_rate`,
/// `false_positive_probability` …). ``encoded()`` and ``init(json:)`` also fix how infinities are
/// written.
public struct RobustnessReport: Sendable, Equatable, Codable {
    /// Bumped when a field changes meaning or disappears.
    public var formatVersion = 1
    public var suite: String
    public var seed: UInt64
    public var keyID: String
    public var wrongKeyID: String
    /// The detectors' false-positive threshold (per file).
    public var threshold: Double
    /// What stands in for raw bit errors (the detectors do not expose them).
    public var bitErrorsNote = "raw bit errors before correction are not exposed by the detectors; chi_square (with degrees_of_freedom) and false_positive_probability are recorded instead"
    public var jobs: Int
    public var elapsedSeconds: Double
    /// The suite's attacks, in order.
    public var attacks: [AttackInfo]
    public var sweeps: [Sweep]
    public var files: [FileResult]
    /// One per (file, attack, trial), ordered by file, then attack, then trial.
    public var trials: [TrialResult]
    public var summaries: [AttackSummary]
    /// Inputs that could not be read, decoded or marked.
    public var failures: [InputFailure]
    /// Walked files that are not media (by content), and media whose mark is not available.
    public var skipped: [SkippedInput]
    /// Set when a gate was evaluated.
    public var gate: GateEvaluation?

    public init(suite: String, seed: UInt64, keyID: String, wrongKeyID: String, threshold: Double, jobs: Int,
                elapsedSeconds: Double, attacks: [AttackInfo], sweeps: [Sweep], files: [FileResult],
                trials: [TrialResult], summaries: [AttackSummary], failures: [InputFailure], skipped: [SkippedInput]) {
        self.suite = suite
        self.seed = seed
        self.keyID = keyID
        self.wrongKeyID = wrongKeyID
        self.threshold = threshold
        self.jobs = jobs
        self.elapsedSeconds = elapsedSeconds
        self.attacks = attacks
        self.sweeps = sweeps
        self.files = files
        self.trials = trials
        self.summaries = summaries
        self.failures = failures
        self.skipped = skipped
    }

    /// Pretty-printed JSON with sorted keys; infinities (the SNR of an unchanged file) as strings.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else {
            preconditionFailure("a report holds only plain values; encoding cannot fail")
        }
        return [UInt8](data)
    }

    /// Reads a report written by ``encoded()``.
    public init(json: [UInt8]) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self = try decoder.decode(RobustnessReport.self, from: Data(json))
    }

    /// The summary of one attack, by ``SuiteEntry/id`` (`image jpeg:75`).
    public func summary(_ id: String) -> AttackSummary? { summaries.first { $0.id == id } }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", suite, seed, keyID = "key_id", wrongKeyID = "wrong_key_id", threshold
        case bitErrorsNote = "bit_errors_note", jobs, elapsedSeconds = "elapsed_seconds", attacks, sweeps, files
        case trials, summaries, failures, skipped, gate
    }
}

/// One attack of the suite, as the report lists it.
public struct AttackInfo: Sendable, Equatable, Codable {
    /// `image jpeg:75`.
    public var id: String
    public var media: MediaKind
    public var spec: String
    public var label: String?
    public var trials: Int
    public var stretch: Bool
    public var inTable: Bool

    /// The label, or the spec.
    public var title: String { label ?? spec }

    public init(_ entry: SuiteEntry) {
        id = entry.id
        media = entry.media
        spec = entry.spec
        label = entry.label
        trials = entry.trials
        stretch = entry.stretch
        inTable = entry.inTable
    }

    enum CodingKeys: String, CodingKey {
        case id, media, spec, label, trials, stretch, inTable = "in_table"
    }
}

/// One input file: what was embedded and at what cost.
public struct FileResult: Sendable, Equatable, Codable {
    /// The path as found (given, or under a given folder).
    public var file: String
    public var media: MediaKind
    /// `1920×1080` or `30.0 s, 44100 Hz, 2 ch`.
    public var size: String
    /// 16 hex digits, seeded from the file name and `--seed`.
    public var payload: String
    public var quality: EmbedQuality
    public var embedMs: Double

    enum CodingKeys: String, CodingKey {
        case file, media, size, payload, quality, embedMs = "embed_ms"
    }
}

/// One (file, attack, trial).
public struct TrialResult: Sendable, Equatable, Codable {
    public var file: String
    public var media: MediaKind
    /// ``AttackInfo/id``.
    public var attack: String
    public var trial: Int
    /// The seed the attack chain ran with.
    public var seed: UInt64
    /// Set when the attack could not be applied; the detections are then absent.
    public var error: String?
    /// The attacked copy's size (`512×288`, `15.0 s, 44100 Hz, 2 ch`).
    public var attackedSize: String?
    /// The marked copy after the attack, under the run's key.
    public var marked: DetectionOutcome?
    /// The unmarked original after the same attack (same seed), under the run's key: must be silent.
    public var unmarked: DetectionOutcome?
    /// The marked copy after the attack, under a wrong key: must be silent.
    public var wrongKey: DetectionOutcome?
    /// Detected with exactly the embedded payload.
    public var recovered: Bool
    /// Detected with another payload.
    public var wrongPayload: Bool
    public var attackMs: Double
    public var detectMs: Double

    /// Any detection that should not have happened (unmarked original or wrong key).
    public var falseAlarms: Int {
        (unmarked?.detected == true ? 1 : 0) + (wrongKey?.detected == true ? 1 : 0)
    }

    enum CodingKeys: String, CodingKey {
        case file, media, attack, trial, seed, error, attackedSize = "attacked_size", marked, unmarked
        case wrongKey = "wrong_key", recovered, wrongPayload = "wrong_payload", attackMs = "attack_ms"
        case detectMs = "detect_ms"
    }
}

/// An input that could not be used.
public struct InputFailure: Sendable, Equatable, Codable {
    public var file: String
    public var error: String
}

/// An input left out, and why (`not media`, `no audio mark available`).
public struct SkippedInput: Sendable, Equatable, Codable {
    public var file: String
    public var reason: String
}
