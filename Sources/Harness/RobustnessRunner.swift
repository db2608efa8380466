import Attacks
import Codecs
import Foundation
import Marking
import Media

/// How a robustness run is made.
public struct RobustnessOptions: Sendable {
    /// Seeds the payloads, the attacks' randomness and the wrong key.
    public var seed: UInt64
    /// (file, attack) trials run at once.
    public var jobs: Int
    /// The detectors' false-positive threshold.
    public var threshold: Double

    public init(seed: UInt64 = 0, jobs: Int = 1, threshold: Double = ImageDetectOptions.defaultThreshold) {
        self.seed = seed
        self.jobs = max(1, jobs)
        self.threshold = threshold
    }
}

/// Where a run is: trials finished out of the total known so far.
public struct RobustnessProgress: Sendable {
    public var completed: Int
    public var total: Int
    /// The file of the trial just finished.
    public var file: String
}

/// Runs a suite over files: per file, embed a seeded random payload and measure the quality; per
/// attack (and trial), attack the marked copy and detect under the key and under a wrong key, and
/// attack the unmarked original the same way (same seed) and detect under the key. A trial is
/// *recovered* when the marked copy gives exactly the embedded payload, and every detection on
/// the unmarked original or under the wrong key is a *false alarm*.
///
/// Trials run in parallel (``RobustnessOptions/jobs`` at a time) in a task group; every seed comes
/// from names (``HarnessSeed``), so the report is the same for any number of jobs except for the
/// timings.
public struct RobustnessRunner: Sendable {
    public let suite: Suite
    public let options: RobustnessOptions
    let keyID: String
    let wrongKeyID: String
    let marks: [MediaKind: any MarkUnderTest]

    /// A runner for the image and audio marks under `key`.
    public init(key: MarkKey, suite: Suite, options: RobustnessOptions = .init()) {
        let wrong = key.wrongKey(seed: options.seed)
        self.init(suite: suite, options: options, keyID: key.id, wrongKeyID: wrong.id, marks: [
            ImageMarkUnderTest(key: key, wrongKey: wrong, threshold: options.threshold),
            AudioMarkUnderTest(key: key, wrongKey: wrong, threshold: options.threshold),
        ])
    }

    /// A runner for the given marks (one per kind; a kind without one is skipped as not available).
    public init(suite: Suite, options: RobustnessOptions, keyID: String, wrongKeyID: String, marks: [any MarkUnderTest]) {
        self.suite = suite
        self.options = options
        self.keyID = keyID
        self.wrongKeyID = wrongKeyID
        self.marks = Dictionary(marks.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Runs the suite over `inputs` and summarises. Files that fail are recorded, not thrown.
    /// - Parameter progress: called after every trial, from the run's own task.
    public func run(_ inputs: [InputFile], progress: (@Sendable (RobustnessProgress) -> Void)? = nil) async -> RobustnessReport {
        let start = ContinuousClock.now
        let plannedTotal = inputs.reduce(0) { total, input in
            guard let kind = InputFiles.sniff(input.path)?.kind, marks[kind] != nil else { return total }
            return total + suite.entries(for: kind).reduce(0) { $0 + $1.trials }
        }
        var collector = Collector()
        await withTaskGroup(of: (Int, TrialResult).self) { group in
            var running = 0, submitted = 0, completed = 0
            func take(_ finished: (Int, TrialResult)?) {
                guard let finished else { return }
                running -= 1
                completed += 1
                collector.trials.append(finished)
                progress?(RobustnessProgress(completed: completed, total: plannedTotal, file: finished.1.file))
            }
            for input in inputs {
                guard let prepared = prepare(input, into: &collector) else { continue }
                for entry in suite.entries(for: prepared.mark.kind) {
                    for trial in 0..<entry.trials {
                        if running >= options.jobs { take(await group.next()) }
                        let order = submitted
                        let seed = options.seed
                        group.addTask { (order, Self.runTrial(prepared, entry: entry, trial: trial, seed: seed)) }
                        running += 1
                        submitted += 1
                    }
                }
            }
            while running > 0 { take(await group.next()) }
        }
        return report(collector, elapsed: start)
    }

    /// What the trials of one file share: the original, the marked copy, the mark.
    struct PreparedFile: Sendable {
        var input: InputFile
        var result: FileResult
        var original: DecodedMedia
        var marked: DecodedMedia
        var mark: any MarkUnderTest
    }

    struct Collector {
        var files: [FileResult] = []
        var failures: [InputFailure] = []
        var skipped: [SkippedInput] = []
        var trials: [(Int, TrialResult)] = []
    }

    /// Reads, decodes and marks one input; `nil` (recorded in `collector`) when it cannot be used.
    private func prepare(_ input: InputFile, into collector: inout Collector) -> PreparedFile? {
        let media: DecodedMedia
        do {
            let bytes = try MediaFile.readBytes(atPath: input.path)
            guard let format = FormatSniffer.format(of: bytes.prefix(64)) else {
                if input.explicit {
                    collector.failures.append(InputFailure(file: input.path, error: "\(CodecError.unrecognizedFormat)"))
                } else {
                    collector.skipped.append(SkippedInput(file: input.path, reason: "not an image or audio file"))
                }
                return nil
            }
            guard marks[format.kind] != nil else {
                collector.skipped.append(SkippedInput(file: input.path, reason: "the \(format.kind.rawValue) mark is not available"))
                return nil
            }
            media = try MediaFile.decode(bytes)
        } catch {
            collector.failures.append(InputFailure(file: input.path, error: "\(error)"))
            return nil
        }
        guard let mark = marks[media.kind] else { return nil }  // the sniffed kind, checked above
        let payload = Payload(HarnessSeed.derive(options.seed, "payload", input.name))
        let start = ContinuousClock.now
        do {
            let marked = try mark.embed(media, payload: payload)
            let result = FileResult(file: input.path, media: media.kind, size: Self.size(of: media), payload: payload.hex,
                                    quality: marked.quality, embedMs: milliseconds(since: start))
            collector.files.append(result)
            return PreparedFile(input: input, result: result, original: media, marked: marked.media, mark: mark)
        } catch {
            collector.failures.append(InputFailure(file: input.path, error: "cannot mark: \(error)"))
            return nil
        }
    }

    /// One (file, attack, trial): attack the marked copy and the original with the same seed, then
    /// detect on both (and under the wrong key on the marked copy).
    static func runTrial(_ file: PreparedFile, entry: SuiteEntry, trial: Int, seed: UInt64) -> TrialResult {
        let trialSeed = HarnessSeed.derive(seed, file.input.name, entry.id, String(trial))
        var result = TrialResult(file: file.input.path, media: entry.media, attack: entry.id, trial: trial, seed: trialSeed,
                                 recovered: false, wrongPayload: false, attackMs: 0, detectMs: 0)
        let start = ContinuousClock.now
        let attackedMarked: DecodedMedia, attackedOriginal: DecodedMedia
        do {
            attackedMarked = try entry.chain.apply(to: file.marked, seed: trialSeed)
            attackedOriginal = try entry.chain.apply(to: file.original, seed: trialSeed)
        } catch {
            result.error = "\(error)"
            return result
        }
        result.attackMs = milliseconds(since: start) / 2
        result.attackedSize = size(of: attackedMarked)
        let marked = file.mark.detect(attackedMarked, wrongKey: true)
        let unmarked = file.mark.detect(attackedOriginal, wrongKey: false)
        result.detectMs = marked.keyMs
        result.marked = marked.key
        result.wrongKey = marked.wrongKey
        result.unmarked = unmarked.key
        result.recovered = marked.key.detected && marked.key.payload == file.result.payload
        result.wrongPayload = marked.key.detected && marked.key.payload != nil && marked.key.payload != file.result.payload
        return result
    }

    private func report(_ collector: Collector, elapsed start: ContinuousClock.Instant) -> RobustnessReport {
        let trials = collector.trials.sorted { $0.0 < $1.0 }.map(\.1)
        let attacks = suite.entries.map(AttackInfo.init)
        let files = Dictionary(collector.files.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        let byAttack = Dictionary(grouping: trials, by: \.attack)
        let kinds = Set(collector.files.map(\.media))
        let summaries = attacks.filter { kinds.contains($0.media) }.map {
            AttackSummary.summarise($0, trials: byAttack[$0.id] ?? [], files: files)
        }
        return RobustnessReport(
            suite: suite.name, seed: options.seed, keyID: keyID, wrongKeyID: wrongKeyID, threshold: options.threshold,
            jobs: options.jobs, elapsedSeconds: rounded(milliseconds(since: start) / 1000, 0.01), attacks: attacks,
            sweeps: suite.sweeps, files: collector.files, trials: trials, summaries: summaries,
            failures: collector.failures, skipped: collector.skipped)
    }

    /// `1920×1080` or `30.0 s, 44100 Hz, 2 ch`.
    static func size(of media: DecodedMedia) -> String {
        switch media {
        case let .image(image): "\(image.width)×\(image.height)"
        case let .audio(audio): String(format: "%.1f s, %d Hz, %d ch", audio.duration, audio.sampleRate, audio.channelCount)
        }
    }
}

/// Milliseconds since `start`, rounded to 0.1.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
    return (ms * 10).rounded() / 10
}
