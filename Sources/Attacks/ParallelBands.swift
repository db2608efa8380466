import Dispatch
import Foundation

/// Runs `body` over `0..<count` split into contiguous bands, in parallel for large counts.
///
/// `DispatchQueue.concurrentPerform` rather than a task group: the attacks are synchronous
/// functions. `body` must be safe to run on several bands at once; every caller in this module
/// reads shared inputs that nobody writes during the call, writes only the output rows of its own
/// band, and keeps any scratch memory local to the band. That contract is what makes the
/// `nonisolated(unsafe)` below sound: the closure is not `Sendable` only because it captures
/// pointers.
func forEachBand(count: Int, minimumBand: Int = 16, _ body: (Range<Int>) -> Void) {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let bands = min(max(1, count / minimumBand), cores * 4)
    guard bands > 1 else {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: bands) { band in
            body(band * count / bands ..< (band + 1) * count / bands)
        }
    }
}
