import Dispatch
import Foundation

/// Scans files, folders, lists of paths and archives for marks, in parallel.
///
/// ```
///            enumerator (calling thread)          workers (jobs threads)           reporter (lock)
/// sources ─→ walk · list · unpack · sniff ─→ [bounded queue] ─→ read · decode · detect ─→ emit line + count
/// ```
///
/// Each worker decodes one item at a time and the queue holds at most
/// ``ScanOptions/queueDepth`` items, so memory does not grow with the corpus. Threads, not tasks:
/// the work is blocking file I/O and long CPU runs, which would starve Swift's cooperative pool,
/// and `jobs` may exceed the core count. All threads are joined before ``run(_:resume:progress:emit:)``
/// returns.
public struct CorpusScanner: Sendable {
    public let detectors: [KeyDetector]
    public let options: ScanOptions

    /// - Precondition: at least one key.
    public init(detectors: [KeyDetector], options: ScanOptions = ScanOptions()) {
        precondition(!detectors.isEmpty, "a scan needs at least one key")
        self.detectors = detectors
        self.options = options
    }

    /// Stack of each worker thread (decoders recurse little, but the default is small).
    private static let workerStackSize = 8 << 20
    private static let progressInterval = 0.5

    /// Scans `sources`, passing each item's record to `emit` (one call at a time, from any
    /// thread), skipping the items `resume` already holds.
    ///
    /// - Parameters:
    ///   - progress: called about twice a second from a separate thread, and once at the end.
    ///   - emit: writes a record; if it throws, the scan stops and `run` throws that error.
    /// - Returns: the totals, including the records `resume` read back.
    /// - Throws: ``ScanError`` when the scan cannot go on: `emit` failed, or a list of paths
    ///   could not be read. Bad items never throw: they are records with an `error`.
    public func run(_ sources: [ScanSource], resume: ScanResume = ScanResume(),
                    progress: (@Sendable (ScanProgress) -> Void)? = nil,
                    emit: @escaping @Sendable (ScanRecord) throws -> Void) throws(ScanError) -> ScanSummary {
        let start = ContinuousClock.now
        func elapsed() -> Double { (ContinuousClock.now - start).seconds }

        var initial = resume.summary
        initial.keys = detectors.map(\.keyID)
        initial.threshold = options.threshold
        initial.shard = options.shard?.description
        initial.jobs = options.jobs
        let queue = BoundedQueue<WorkItem>(capacity: options.queueDepth)
        let reporter = ScanReporter(summary: initial, queue: queue, emit: emit)
        let inspector = ItemInspector(detectors: detectors, options: options)

        let workers = DispatchGroup()
        for _ in 0..<options.jobs {
            workers.enter()
            let thread = Thread {
                var times = ItemInspector.StageTimes()
                while let item = queue.pop() {
                    reporter.take(inspector.inspect(item, times: &times))
                    if case .file = item { reporter.inputDone() }
                }
                reporter.addStageTimes(times)
                workers.leave()
            }
            thread.stackSize = Self.workerStackSize
            thread.start()
        }

        let ticker = progress.map { progress in
            startTicker(reporter: reporter, total: progressTotal(sources), start: start, progress: progress)
        }

        let enumerator = ItemEnumerator(options: options, done: resume.done, queue: queue, reporter: reporter)
        do {
            try enumerator.run(sources)
        } catch {
            reporter.fail(error)
        }
        queue.close()
        workers.wait()
        ticker?.stop()
        if let progress {
            progress(reporter.progress(elapsed: elapsed(), inputsTotal: ticker?.total))
        }
        if let failure = reporter.failure { throw failure }
        return reporter.summary(elapsed: elapsed())
    }

    /// The number of inputs, when it can be known without walking folders or reading standard
    /// input: for the ETA of the progress line.
    private func progressTotal(_ sources: [ScanSource]) -> Int? {
        var total = 0
        let inShard = { (name: String) in options.shard?.contains(name) ?? true }
        for source in sources {
            switch source {
            case let .path(path):
                var info = stat()
                if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return nil }
                if inShard(path) { total += 1 }
            case let .pathList(list):
                guard let count = PathListReader.count(in: list, keep: inShard) else { return nil }
                total += count
            }
        }
        return total
    }

    private func startTicker(reporter: ScanReporter, total: Int?, start: ContinuousClock.Instant,
                             progress: @escaping @Sendable (ScanProgress) -> Void) -> ProgressTicker {
        let ticker = ProgressTicker(total: total)
        let thread = Thread {
            while !ticker.waitForStop(seconds: Self.progressInterval) {
                progress(reporter.progress(elapsed: (ContinuousClock.now - start).seconds, inputsTotal: total))
            }
        }
        thread.start()
        return ticker
    }
}

/// The progress thread's stop signal.
final class ProgressTicker: Sendable {
    let total: Int?
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(total: Int?) { self.total = total }

    /// Waits up to `seconds`; `true` once ``stop()`` was called.
    func waitForStop(seconds: Double) -> Bool {
        if stopped.wait(timeout: .now() + seconds) == .success {
            finished.signal()
            return true
        }
        return false
    }

    /// Stops the thread and waits until it has made its last call.
    func stop() {
        stopped.signal()
        finished.wait()
    }
}
