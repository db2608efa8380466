import Foundation
import Synchronization

/// The state every thread of a scan shares: the output (records are written one at a time, under
/// the lock, so lines never interleave), the running summary, and the stop signal raised by a
/// fatal error.
final class ScanReporter: Sendable {
    private struct State {
        var summary: ScanSummary
        var failure: ScanError?
        var inputsDone = 0
        var stages = ItemInspector.StageTimes()
    }

    private let state: Mutex<State>
    private let stopped = Atomic<Bool>(false)
    private let emit: @Sendable (ScanRecord) throws -> Void
    private let queue: BoundedQueue<WorkItem>

    init(summary: ScanSummary, queue: BoundedQueue<WorkItem>, emit: @escaping @Sendable (ScanRecord) throws -> Void) {
        state = Mutex(State(summary: summary))
        self.queue = queue
        self.emit = emit
    }

    /// A fatal error happened: enumerator and workers stop at their next item.
    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Writes `record` and counts it.
    func report(_ record: ScanRecord) {
        let failed = state.withLock { state -> Bool in
            guard state.failure == nil else { return false }
            do {
                try emit(record)
            } catch {
                state.failure = error as? ScanError ?? .output(path: "output", reason: "\(error)")
                return true
            }
            state.summary.add(record)
            state.summary.scanned += 1
            return false
        }
        if failed { stop() }
    }

    func reportSkipped(_ name: String) {
        state.withLock { $0.summary.addSkipped(name) }
    }

    func take(_ outcome: ItemInspector.Outcome) {
        switch outcome {
        case let .record(record): report(record)
        case let .skipped(name): reportSkipped(name)
        }
    }

    func inputDone() {
        state.withLock { $0.inputsDone += 1 }
    }

    func addStageTimes(_ times: ItemInspector.StageTimes) {
        state.withLock { state in
            state.stages.read += times.read
            state.stages.decode += times.decode
            state.stages.analyse += times.analyse
            state.stages.detect += times.detect
        }
    }

    /// Stops the scan because of `error` (the first such error is the one thrown).
    func fail(_ error: ScanError) {
        state.withLock { state in
            if state.failure == nil { state.failure = error }
        }
        stop()
    }

    private func stop() {
        stopped.store(true, ordering: .relaxed)
        queue.cancel()
    }

    var failure: ScanError? { state.withLock { $0.failure } }

    func progress(elapsed: Double, inputsTotal: Int?) -> ScanProgress {
        state.withLock { state in
            ScanProgress(items: state.summary.items, scanned: state.summary.scanned, marked: state.summary.marked,
                         errors: state.summary.errors, skipped: state.summary.skipped, elapsedSeconds: elapsed,
                         inputsDone: state.inputsDone, inputsTotal: inputsTotal)
        }
    }

    func summary(elapsed: Double) -> ScanSummary {
        state.withLock { state in
            var summary = state.summary
            summary.elapsedSeconds = elapsed
            summary.itemsPerSecond = elapsed > 0 ? Double(summary.scanned) / elapsed : 0
            summary.stageSeconds = .init(read: state.stages.read.seconds, decode: state.stages.decode.seconds,
                                         analyse: state.stages.analyse.seconds, detect: state.stages.detect.seconds)
            return summary
        }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
