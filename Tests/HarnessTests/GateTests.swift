@testable import Harness
import Media
import Testing

@Suite("Gate")
struct GateTests {
    static func summary(_ media: MediaKind, _ spec: String, recovered: Int, of trials: Int, unmarked: Int = 0,
                        wrongKey: Int = 0, errors: Int = 0) -> AttackSummary {
        AttackSummary(id: "\(media.rawValue) \(spec)", media: media, spec: spec, label: nil, stretch: false, inTable: true,
                      trials: trials, errors: errors, detected: recovered, recovered: recovered, wrongPayloads: 0,
                      unmarkedFalseAlarms: unmarked, wrongKeyFalseAlarms: wrongKey,
                      recoveryRate: trials == 0 ? nil : Double(recovered) / Double(trials),
                      meanQuality: EmbedQuality(), meanChiSquarePerDegree: nil, medianFalsePositiveProbability: nil,
                      meanAttackMs: 0, meanDetectMs: 0)
    }

    static func report(_ summaries: [AttackSummary]) -> RobustnessReport {
        RobustnessReport(suite: "test", seed: 0, keyID: "k", wrongKeyID: "w", threshold: 1e-9, jobs: 1, elapsedSeconds: 0,
                         attacks: [], sweeps: [], files: [], trials: [], summaries: summaries, failures: [], skipped: [])
    }

    static let gateText = """
        {"description": "test gate",
         "default": {"min_recovery": 0.5},
         "attacks": [
           {"attack": "jpeg:75", "media": "image", "min_recovery": 0.9},
           {"attack": "JPG:40", "min_recovery": 0.75, "max_false_alarms": 1},
           {"attack": "none", "min_recovery": 1}
         ]}
        """

    @Test func passesWhenEveryLimitHolds() throws {
        let gate = try Gate(json: Array(Self.gateText.utf8), name: "gate.json")
        let evaluation = gate.evaluate(Self.report([
            Self.summary(.image, "none", recovered: 4, of: 4), Self.summary(.audio, "none", recovered: 3, of: 3),
            Self.summary(.image, "jpeg:75", recovered: 9, of: 10), Self.summary(.image, "jpeg:40", recovered: 3, of: 4, unmarked: 1),
            Self.summary(.image, "crop:0.5", recovered: 1, of: 2),
        ]))
        #expect(evaluation.passed, "\(evaluation.reasons)")
        #expect(evaluation.reasons.isEmpty)
        // `none` without media is checked on both; crop:0.5 by the default.
        #expect(evaluation.checks.map(\.attack) == ["image jpeg:75", "image jpeg:40", "image none", "audio none", "image crop:0.5"])
        #expect(evaluation.checks.last?.minRecovery == 0.5)
    }

    @Test func failsWithAReasonPerBrokenLimit() throws {
        let gate = try Gate(json: Array(Self.gateText.utf8), name: "gate.json")
        let evaluation = gate.evaluate(Self.report([
            Self.summary(.image, "none", recovered: 4, of: 4), Self.summary(.audio, "none", recovered: 2, of: 3),
            Self.summary(.image, "jpeg:75", recovered: 8, of: 10, wrongKey: 1),
            Self.summary(.image, "crop:0.5", recovered: 2, of: 2, errors: 1),
        ]))
        #expect(!evaluation.passed)
        #expect(evaluation.reasons == [
            "image jpeg:75: recovery 80% < 90% (8 of 10)",
            "image jpeg:75: 1 false alarm > 0 (unmarked 0, wrong key 1)",
            "jpeg:40: not in the report (suite test)",
            "audio none: recovery 66.7% < 100% (2 of 3)",
            "image crop:0.5: 1 trial failed to apply the attack",
        ])
        #expect(evaluation.checks.filter { !$0.passed }.map(\.attack) == ["image jpeg:75", "audio none", "image crop:0.5"])
    }

    @Test func withoutADefaultUnnamedAttacksMustStillRaiseNoFalseAlarm() {
        let gate = Gate(attacks: [])
        #expect(gate.evaluate(Self.report([Self.summary(.audio, "mp3:64", recovered: 0, of: 5)])).passed)
        let alarm = gate.evaluate(Self.report([Self.summary(.audio, "mp3:64", recovered: 5, of: 5, unmarked: 1)]))
        #expect(!alarm.passed)
        #expect(alarm.reasons == ["audio mp3:64: 1 false alarm > 0 (unmarked 1, wrong key 0)"])
    }

    @Test func roundTripsThroughItsFile() throws {
        let gate = try Gate(json: Array(Self.gateText.utf8), name: "gate.json")
        #expect(try Gate(json: gate.encoded(), name: "again") == gate)
        #expect(String(decoding: gate.encoded(), as: UTF8.self).contains("\"min_recovery\""))
    }

    @Test(arguments: [
        (#"{"attacks": [{"attack": "jpeg:0"}]}"#, "jpeg:0"),
        (#"{"attacks": [{"attack": "jpeg:75", "min_recovery": 95}]}"#, "min_recovery must be 0...1"),
        (#"{"attacks": [{"min_recovery": 1}]}"#, "missing \"attack\""),
        (#"{"rules": []}"#, "missing \"attacks\""),
    ])
    func badGatesSayWhy(text: String, reason: String) {
        #expect {
            try Gate(json: Array(text.utf8), name: "bad")
        } throws: { error in
            guard case let HarnessError.invalidGate(message) = error else { return false }
            return message.contains(reason)
        }
    }
}
