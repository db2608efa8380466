import Foundation

/// A first-in first-out queue of at most `capacity` elements between threads: `push` blocks while
/// it is full, `pop` while it is empty. This bound is what keeps a scan's memory flat: the
/// enumerator can never read more than `capacity` items ahead of the workers.
///
/// `@unchecked Sendable`: the only mutable state (`elements`, `head`, `closed`, `cancelled`) is
/// read and written only between `condition.lock()` and `condition.unlock()`.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var elements: [Element] = []
    private var head = 0
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity >= 1, "a queue holds at least one element")
        self.capacity = capacity
    }

    private var count: Int { elements.count - head }

    /// Adds `element`, waiting for room. Returns `false` (dropping it) once cancelled.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// The oldest element, waiting for one; `nil` when closed and drained, or cancelled.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed && !cancelled { condition.wait() }
        guard !cancelled, count > 0 else { return nil }
        let element = elements[head]
        head += 1
        if head >= capacity {  // compact now and then: O(1) amortised
            elements.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// No more elements will come: `pop` drains what is left, then returns `nil`.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops both ends now: waiting and later calls return at once, queued elements are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        elements.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
