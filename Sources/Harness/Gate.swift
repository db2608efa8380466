import Attacks
import Foundation
import Media

/// What a robustness run must achieve: per attack, a minimum recovery rate and a maximum number of
/// false alarms (zero).
///
/// ```json
/// {
///   "default": {"min_recovery": 0, "max_false_alarms": 0},
///   "attacks": [
///     {"attack": "jpeg:75", "media": "image", "min_recovery": 0.9},
///     {"attack": "mp3:128", "min_recovery": 1}
///   ]
/// }
/// ```
/// A rule names an attack by its spec (any spelling that parses to the same chain) and, when the
/// spec applies to both, its `media`; without `media` it holds for every media the report ran it
/// on. A rule's attack must be in the report. Attacks no rule names are held to `default`. Fields
/// left out are `min_recovery` 0, `max_false_alarms` 0, `max_wrong_payloads` 0, `max_errors` 0:
/// unless a gate says otherwise, no attack may raise a false alarm, decode a wrong payload or fail.
public struct Gate: Sendable, Equatable, Codable {
    public var description: String?
    public var `default`: Limits?
    public var attacks: [Rule]

    public struct Limits: Sendable, Equatable, Codable {
        public var minRecovery: Double?
        public var maxFalseAlarms: Int?
        public var maxWrongPayloads: Int?
        public var maxErrors: Int?

        public init(minRecovery: Double? = nil, maxFalseAlarms: Int? = nil, maxWrongPayloads: Int? = nil, maxErrors: Int? = nil) {
            self.minRecovery = minRecovery
            self.maxFalseAlarms = maxFalseAlarms
            self.maxWrongPayloads = maxWrongPayloads
            self.maxErrors = maxErrors
        }

        /// `self`, with fields left out taken from `fallback`.
        func over(_ fallback: Limits?) -> Limits {
            Limits(minRecovery: minRecovery ?? fallback?.minRecovery, maxFalseAlarms: maxFalseAlarms ?? fallback?.maxFalseAlarms,
                   maxWrongPayloads: maxWrongPayloads ?? fallback?.maxWrongPayloads, maxErrors: maxErrors ?? fallback?.maxErrors)
        }
    }

    public struct Rule: Sendable, Equatable, Codable {
        public var attack: String
        public var media: MediaKind?
        public var minRecovery: Double?
        public var maxFalseAlarms: Int?
        public var maxWrongPayloads: Int?
        public var maxErrors: Int?

        public init(attack: String, media: MediaKind? = nil, minRecovery: Double? = nil, maxFalseAlarms: Int? = nil,
                    maxWrongPayloads: Int? = nil, maxErrors: Int? = nil) {
            self.attack = attack
            self.media = media
            self.minRecovery = minRecovery
            self.maxFalseAlarms = maxFalseAlarms
            self.maxWrongPayloads = maxWrongPayloads
            self.maxErrors = maxErrors
        }

        var limits: Limits {
            Limits(minRecovery: minRecovery, maxFalseAlarms: maxFalseAlarms, maxWrongPayloads: maxWrongPayloads, maxErrors: maxErrors)
        }
    }

    public init(description: String? = nil, default: Limits? = nil, attacks: [Rule]) {
        self.description = description
        self.default = `default`
        self.attacks = attacks
    }

    /// Reads a gate file's content.
    /// - Throws: ``HarnessError/invalidGate(_:)`` for bad JSON, a spec that does not parse or a
    ///   limit out of range.
    public init(json: [UInt8], name: String) throws(HarnessError) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(Gate.self, from: Data(json))
        } catch {
            throw .invalidGate("\(name): \(Suite.describe(error))")
        }
        for limits in [self.default].compactMap({ $0 }) + attacks.map(\.limits) {
            if let rate = limits.minRecovery, !(0...1).contains(rate) {
                throw .invalidGate("\(name): min_recovery must be 0...1, not \(rate)")
            }
        }
        for rule in attacks {
            do { _ = try AttackChain(parsing: rule.attack) } catch {
                throw .invalidGate("\(name): \"\(rule.attack)\": \(error)")
            }
        }
    }

    /// The gate as a file: pretty JSON with snake-case keys.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return [UInt8]((try? encoder.encode(self)) ?? Data())
    }
}

/// The verdict of a gate on a report.
public struct GateEvaluation: Sendable, Equatable, Codable {
    public var passed: Bool
    /// One line per failed check: `image jpeg:40: recovery 85% < 90%`.
    public var reasons: [String]
    public var checks: [Check]

    public struct Check: Sendable, Equatable, Codable {
        /// ``AttackSummary/id``.
        public var attack: String
        public var recoveryRate: Double?
        public var minRecovery: Double
        public var falseAlarms: Int
        public var maxFalseAlarms: Int
        public var passed: Bool

        enum CodingKeys: String, CodingKey {
            case attack, recoveryRate = "recovery_rate", minRecovery = "min_recovery", falseAlarms = "false_alarms"
            case maxFalseAlarms = "max_false_alarms", passed
        }
    }
}

extension Gate {
    /// Checks every attack of `report` against its rule (or the default).
    public func evaluate(_ report: RobustnessReport) -> GateEvaluation {
        var reasons: [String] = []
        var checks: [GateEvaluation.Check] = []
        var ruled = Set<String>()
        for rule in attacks {
            let spec = (try? AttackChain(parsing: rule.attack).description) ?? rule.attack
            let matching = report.summaries.filter { $0.spec == spec && (rule.media == nil || $0.media == rule.media) }
            if matching.isEmpty {
                let name = rule.media.map { "\($0.rawValue) \(spec)" } ?? spec
                reasons.append("\(name): not in the report (suite \(report.suite))")
            }
            for summary in matching {
                ruled.insert(summary.id)
                checks.append(Self.check(summary, rule.limits.over(self.default), reasons: &reasons))
            }
        }
        for summary in report.summaries where !ruled.contains(summary.id) {
            checks.append(Self.check(summary, self.default ?? Limits(), reasons: &reasons))
        }
        return GateEvaluation(passed: reasons.isEmpty, reasons: reasons, checks: checks)
    }

    private static func check(_ summary: AttackSummary, _ limits: Limits, reasons: inout [String]) -> GateEvaluation.Check {
        let minRecovery = limits.minRecovery ?? 0
        let maxFalseAlarms = limits.maxFalseAlarms ?? 0
        var failed: [String] = []
        let rate = summary.recoveryRate ?? 0
        if summary.trials == 0, minRecovery > 0 {
            failed.append("no trial ran")
        } else if rate < minRecovery - 1e-12 {
            failed.append("recovery \(percent(rate)) < \(percent(minRecovery)) (\(summary.recovered) of \(summary.trials))")
        }
        if summary.falseAlarms > maxFalseAlarms {
            failed.append("\(summary.falseAlarms) false alarm\(summary.falseAlarms == 1 ? "" : "s") > \(maxFalseAlarms) "
                + "(unmarked \(summary.unmarkedFalseAlarms), wrong key \(summary.wrongKeyFalseAlarms))")
        }
        if summary.wrongPayloads > (limits.maxWrongPayloads ?? 0) {
            failed.append("\(summary.wrongPayloads) wrong payload\(summary.wrongPayloads == 1 ? "" : "s") decoded")
        }
        if summary.errors > (limits.maxErrors ?? 0) {
            failed.append("\(summary.errors) trial\(summary.errors == 1 ? "" : "s") failed to apply the attack")
        }
        reasons += failed.map { "\(summary.id): \($0)" }
        return GateEvaluation.Check(attack: summary.id, recoveryRate: summary.recoveryRate, minRecovery: minRecovery,
                                    falseAlarms: summary.falseAlarms, maxFalseAlarms: maxFalseAlarms, passed: failed.isEmpty)
    }
}

/// `95%`, `97.5%`.
func percent(_ rate: Double) -> String {
    let value = rate * 100
    return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
}
