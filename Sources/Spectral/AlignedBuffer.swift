/// A fixed-size, zero-initialised array in memory from `fftwf_malloc`, aligned for FFTW's SIMD code.
///
/// For hot loops that run the same transform many times (one audio frame or image tile after
/// another): fill a buffer, transform it into another, and reuse both, so nothing is allocated per
/// frame and FFTW always takes its aligned plan.
///
/// The buffer is the only owner of its memory and frees it in `deinit`. It is a reference type
/// with mutable contents, hence not `Sendable`: give each task its own.
///
/// ```swift
/// let fft = RealFFT.shared(shape: [1024])
/// let frame = AlignedFloatBuffer(count: 1024)
/// let bins = AlignedComplexBuffer(count: fft.spectrumCount)
/// frame.withUnsafeMutableBufferPointer { copySamples(into: $0) }
/// fft.forward(frame, into: bins)
/// ```
public final class AlignedBuffer<Element: BitwiseCopyable> {
    /// Number of elements, fixed at creation.
    public let count: Int
    /// Owned: allocated in `init`, freed in `deinit`, never handed out beyond a `withUnsafe…`
    /// closure or an FFT call made by this module.
    let baseAddress: UnsafeMutablePointer<Element>

    /// `count` elements of zero bits (`0` for `Float`, `.zero` for `ComplexFloat`).
    public init(count: Int) {
        precondition(count >= 0, "buffer size must not be negative")
        self.count = count
        let bytes = count * MemoryLayout<Element>.stride
        let raw = FFTWPlanner.state.withLock { planner in planner.allocate(bytes: bytes) }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        baseAddress = raw.bindMemory(to: Element.self, capacity: count)
    }

    /// A buffer holding a copy of `elements`.
    public convenience init(_ elements: [Element]) {
        self.init(count: elements.count)
        elements.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            baseAddress.update(from: start, count: count)
        }
    }

    deinit {
        let raw = UnsafeMutableRawPointer(baseAddress)
        FFTWPlanner.state.withLock { planner in planner.release(raw) }
    }

    /// Calls `body` with the elements; the pointer is valid only inside `body`.
    public func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeBufferPointer(start: baseAddress, count: count))
    }

    /// Calls `body` with the elements, writable; the pointer is valid only inside `body`.
    public func withUnsafeMutableBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeMutableBufferPointer(start: baseAddress, count: count))
    }
}

/// `RandomAccessCollection` and `MutableCollection`, so `Array(buffer)`, `buffer[i]`, `map` and
/// `for x in buffer` work. Reads and writes go straight to the aligned memory.
extension AlignedBuffer: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "index \(position) out of range 0..<\(count)")
            return baseAddress[position]
        }
        set {
            precondition(position >= 0 && position < count, "index \(position) out of range 0..<\(count)")
            baseAddress[position] = newValue
        }
    }
}

/// Aligned real samples, the input of ``RealFFT`` and output of its inverse.
public typealias AlignedFloatBuffer = AlignedBuffer<Float>
/// Aligned complex bins, for ``RealFFT`` spectra and ``ComplexFFT``.
public typealias AlignedComplexBuffer = AlignedBuffer<ComplexFloat>
