import Foundation
@testable import Harness
import Marking
import Media
import Testing
import TestSupport

/// The runner on one small real image (Samples/, 451×300) with three attacks, run once with one
/// job and once with two; every test below reads these two reports.
let sampleRuns = Task { () async throws -> (oneJob: RobustnessReport, twoJobs: RobustnessReport) in
    let suite = try Suite(name: "test", attacks: [SuiteAttack("none", media: .image), SuiteAttack("jpeg:75"),
                                                  SuiteAttack("crop:0.5", trials: 2)])
    let key = try MarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
    let files = [InputFile(path: Corpus.sample("images/skimage_chelsea_cat.png").path, explicit: true)]
    let one = await RobustnessRunner(key: key, suite: suite, options: RobustnessOptions(seed: 3, jobs: 1)).run(files)
    let two = await RobustnessRunner(key: key, suite: suite, options: RobustnessOptions(seed: 3, jobs: 2)).run(files)
    return (one, two)
}

extension RobustnessReport {
    /// The report without what depends on the machine and the scheduling.
    var withoutTimings: RobustnessReport {
        var copy = self
        copy.elapsedSeconds = 0
        copy.jobs = 0
        for i in copy.files.indices { copy.files[i].embedMs = 0 }
        for i in copy.trials.indices {
            copy.trials[i].attackMs = 0
            copy.trials[i].detectMs = 0
        }
        for i in copy.summaries.indices {
            copy.summaries[i].meanAttackMs = 0
            copy.summaries[i].meanDetectMs = 0
        }
        return copy
    }
}

@Suite("Runner")
struct RunnerTests {
    @Test func marksAttacksAndDetects() async throws {
        let report = try await sampleRuns.value.oneJob
        #expect(report.failures.isEmpty && report.skipped.isEmpty)
        let file = try #require(report.files.first)
        #expect(file.media == .image && file.size == "451×300" && file.payload.count == 16)
        #expect((file.quality.psnr ?? 0) > 35 && (file.quality.ssim ?? 0) > 0.95)
        #expect(report.trials.map(\.attack) == ["image none", "image jpeg:75", "image crop:0.5", "image crop:0.5"])
        #expect(report.trials.map(\.trial) == [0, 0, 0, 1])
        let none = try #require(report.summary("image none"))
        #expect(none.recovered == 1 && none.recoveryRate == 1, "the untouched marked copy must give its payload back")
        #expect(report.trials[2].attackedSize != report.trials[0].attackedSize, "a crop changes the size")
        #expect(report.trials[2].seed != report.trials[3].seed, "trials draw different crops")
    }

    @Test func resultsDoNotDependOnTheNumberOfJobs() async throws {
        let (one, two) = try await sampleRuns.value
        #expect(one.withoutTimings == two.withoutTimings)
    }

    @Test func wrongKeyAndUnmarkedOriginalStaySilent() async throws {
        let report = try await sampleRuns.value.oneJob
        for trial in report.trials {
            #expect(trial.wrongKey?.detected == false, "\(trial.attack)")
            #expect(trial.wrongKey?.payload == nil)
            #expect(trial.unmarked?.detected == false, "\(trial.attack)")
            #expect(!trial.wrongPayload)
        }
        #expect(report.summaries.allSatisfy { $0.falseAlarms == 0 })
        #expect(report.wrongKeyID != report.keyID)
    }

    @Test func jsonRoundTrip() async throws {
        var report = try await sampleRuns.value.oneJob
        report.gate = Gate(attacks: [.init(attack: "none", minRecovery: 1)]).evaluate(report)
        let json = report.encoded()
        #expect(try RobustnessReport(json: json) == report)
        let text = String(decoding: json, as: UTF8.self)
        for field in ["\"recovery_rate\"", "\"false_positive_probability\"", "\"wrong_key\"", "\"unmarked\"", "\"payload\"",
                      "\"chi_square\"", "\"psnr\"", "\"summaries\"", "\"trials\"", "\"gate\""] {
            #expect(text.contains(field), "\(field)")
        }
    }

    @Test func htmlIsOneSelfContainedFile() async throws {
        let report = try await sampleRuns.value.oneJob
        let html = HTMLReport.render(report)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<svg"))
        #expect(html.contains("skimage_chelsea_cat.png"))
        for reference in ["http://", "https://", "<script", "<link", "src="] {
            #expect(!html.contains(reference), "\(reference)")
        }
        #expect(SummaryText.render(report).contains("crop:0.5"))
    }
}

/// A mark that finds a payload everywhere: every detection is a false alarm or a wrong payload.
struct AlwaysDetects: MarkUnderTest {
    var kind: MediaKind { .image }
    func embed(_ media: DecodedMedia, payload: Payload) throws -> MarkedMedia {
        MarkedMedia(media: media, quality: EmbedQuality(psnr: .infinity, ssim: 1))
    }
    func detect(_ media: DecodedMedia, wrongKey: Bool) -> Detections {
        let outcome = DetectionOutcome(detected: true, payload: "0123456789abcdef", falsePositiveProbability: 1e-20,
                                       chiSquare: 900, degreesOfFreedom: 100)
        return Detections(key: outcome, wrongKey: wrongKey ? outcome : nil, keyMs: 0)
    }
}

@Suite("False alarms and inputs")
struct FalseAlarmTests {
    @Test func everyUnwantedDetectionIsCounted() async throws {
        let suite = try Suite(name: "t", attacks: [SuiteAttack("none", media: .image), SuiteAttack("flip", trials: 2)])
        let runner = RobustnessRunner(suite: suite, options: RobustnessOptions(), keyID: "k", wrongKeyID: "w",
                                      marks: [AlwaysDetects()])
        let report = await runner.run([InputFile(path: Corpus.sample("images/skimage_chelsea_cat.png").path, explicit: true)])
        let flip = try #require(report.summary("image flip"))
        #expect(flip.trials == 2 && flip.detected == 2 && flip.recovered == 0 && flip.wrongPayloads == 2)
        #expect(flip.unmarkedFalseAlarms == 2 && flip.wrongKeyFalseAlarms == 2 && flip.falseAlarms == 4)
        #expect(flip.meanQuality.psnr == nil, "an infinite PSNR is left out of the mean")
        let evaluation = Gate(attacks: []).evaluate(report)
        #expect(!evaluation.passed)
        #expect(evaluation.reasons.contains("image flip: 4 false alarms > 0 (unmarked 2, wrong key 2)"))
        #expect(evaluation.reasons.contains("image flip: 2 wrong payloads decoded"))
    }

    @Test func foldersAreWalkedAndOtherFilesSkipped() async throws {
        let samples = Corpus.sample("").path
        let inputs = try InputFiles.collect([samples, Corpus.sample("images/skimage_rocket.jpg").path])
        #expect(inputs.count == 9, "4 images, 4 audio files, SOURCES.md; the rocket only once")
        #expect(inputs.map(\.name).contains("SOURCES.md"))
        #expect(inputs.allSatisfy { !$0.explicit })
        let suite = try Suite(name: "t", attacks: [SuiteAttack("none", media: .image)])
        let runner = RobustnessRunner(suite: suite, options: RobustnessOptions(jobs: 2), keyID: "k", wrongKeyID: "w",
                                      marks: [AlwaysDetects()])
        let report = await runner.run(inputs + [InputFile(path: Corpus.sample("SOURCES.md").path, explicit: true)])
        #expect(report.files.count == 4)
        #expect(report.skipped.filter { $0.reason == "not an image or audio file" }.count == 1)
        #expect(report.skipped.filter { $0.reason == "the audio mark is not available" }.count == 4)
        #expect(report.failures.map { ($0.file as NSString).lastPathComponent } == ["SOURCES.md"], "named explicitly: a failure")
        #expect(throws: HarnessError.self) { try InputFiles.collect(["/no/such/folder"]) }
    }
}
