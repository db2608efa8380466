internal import CFFTW
import Synchronization

// FFTW's thread-safety rule (manual §5.4, "Thread safety"): only `fftwf_execute` and the
// new-array execute functions may run concurrently; the planner and everything else share global
// state (wisdom, the twiddle and plan registries). libvips puts it as "everything in FFTW except
// execute has to be behind a mutex" (libvips/freqfilt/fwfft.c); audiowmark (src/fft.cc) does the
// same with a plan cache per size. So:
//
//   * every planner call, and fftwf_malloc/fftwf_free, runs inside `FFTWPlanner.state.withLock`;
//   * plans are created once per shape and never destroyed, so one plan serves every thread
//     through the new-array execute functions, which take the arrays as arguments;
//   * the only FFTW call made outside the lock besides execute is `fftwf_alignment_of`, which is
//     pure pointer arithmetic (`(uintptr_t) p % 16` in SIMD builds, kernel/align.c), no shared state.
//
// Never destroying plans is what keeps this leak-free in practice: memory is bounded by the number
// of distinct shapes a process asks for (two or four plans each), which for tracemark is a few
// frame and tile sizes.

/// A plan handed out by FFTW's planner.
///
/// `@unchecked Sendable` because: FFTW never mutates a plan after the planner returns it, the
/// new-array execute functions only read it and are documented thread-safe (manual §5.4), and no
/// plan is ever destroyed (see above), so the pointer stays valid and unchanged for the process.
struct FFTWPlan: @unchecked Sendable {
    let raw: OpaquePointer
}

/// The forward and backward plans for one shape and one alignment assumption.
struct FFTWPlanPair: Sendable {
    let forward: FFTWPlan
    let backward: FFTWPlan
}

enum TransformKind: Sendable {
    /// Real input, half spectrum (r2c / c2r).
    case real
    /// Complex input, full spectrum.
    case complex
}

/// Everything FFTW-global that Swift code touches, reachable only with the planner lock held.
///
/// The plan-making methods are `mutating` although they change no Swift state: that makes them
/// callable only on the `inout` value `Mutex.withLock` hands out, so the compiler enforces that FFTW's
/// planner is never entered without the lock.
struct FFTWPlannerState: ~Copyable {
    var realTransforms: [[Int]: RealFFT] = [:]
    var complexTransforms: [[Int]: ComplexFFT] = [:]
    var columnTransforms: [[Int]: ColumnRealFFT] = [:]

    /// Plans a transform of `shape` (row-major, rank 1 or 2) with `FFTW_ESTIMATE`: a heuristic
    /// plan, the same on every run, made in microseconds without touching the arrays
    /// (`FFTW_MEASURE` would time candidates, cost seconds per new size and overwrite the arrays).
    ///
    /// The arrays come from `fftwf_malloc`, so they are SIMD-aligned and the plan may use aligned
    /// SIMD codelets; a plan made with `unaligned: true` (`FFTW_UNALIGNED`) works on any pointer.
    /// Both plans are out-of-place.
    mutating func makePlans(_ kind: TransformKind, shape: [Int], unaligned: Bool) -> FFTWPlanPair {
        let dimensions = shape.map { Int32($0) }
        let rank = Int32(shape.count)
        let flags = UInt32(FFTW_ESTIMATE) | (unaligned ? UInt32(FFTW_UNALIGNED) : 0)
        let realCount = shape.reduce(1, *)
        let complexCount = kind == .real ? FFTShape.halfSpectrumCount(shape) : realCount

        // Only the alignment of these arrays matters to an ESTIMATE plan; FFTW does not read them.
        let first = allocate(bytes: kind == .real ? realCount * 4 : complexCount * 8)
        let second = allocate(bytes: complexCount * 8)
        defer {
            release(first)
            release(second)
        }
        let forward: OpaquePointer?
        let backward: OpaquePointer?
        switch kind {
        case .real:
            let real = first.assumingMemoryBound(to: Float.self)
            let complex = second.assumingMemoryBound(to: fftwf_complex.self)
            forward = fftwf_plan_dft_r2c(rank, dimensions, real, complex, flags)
            backward = fftwf_plan_dft_c2r(rank, dimensions, complex, real, flags)
        case .complex:
            let input = first.assumingMemoryBound(to: fftwf_complex.self)
            let output = second.assumingMemoryBound(to: fftwf_complex.self)
            forward = fftwf_plan_dft(rank, dimensions, input, output, FFTW_FORWARD, flags)
            backward = fftwf_plan_dft(rank, dimensions, input, output, FFTW_BACKWARD, flags)
        }
        guard let forward, let backward else {
            // FFTW returns NULL only for requests it cannot satisfy (e.g. unsupported flags); with
            // validated positive sizes and these flags it always succeeds.
            fatalError("FFTW could not plan a \(kind) transform of shape \(shape)")
        }
        return FFTWPlanPair(forward: FFTWPlan(raw: forward), backward: FFTWPlan(raw: backward))
    }

    /// `fftwf_malloc`, which aligns for FFTW's SIMD code. Traps when memory is exhausted, as
    /// Swift's own allocations do.
    mutating func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard let pointer = fftwf_malloc(max(bytes, 1)) else {
            fatalError("fftwf_malloc could not allocate \(bytes) bytes")
        }
        return pointer
    }

    mutating func release(_ pointer: UnsafeMutableRawPointer) {
        fftwf_free(pointer)
    }
}

enum FFTWPlanner {
    /// The one lock around FFTW's planner and allocator, and the plan caches.
    static let state = Mutex(FFTWPlannerState())

    /// Whether FFTW sees `pointer` as SIMD-aligned, i.e. with the alignment of `fftwf_malloc`
    /// memory that every aligned plan was made on. Lock-free: see the note at the top of the file.
    static func isAligned(_ pointer: UnsafeRawPointer) -> Bool {
        fftwf_alignment_of(UnsafeMutablePointer(mutating: pointer.assumingMemoryBound(to: Float.self))) == 0
    }
}

/// The plans of one cached transform: made aligned up front, and unaligned on first need.
final class FFTWPlanSet: Sendable {
    let kind: TransformKind
    let shape: [Int]
    private let aligned: FFTWPlanPair
    private let unaligned = Mutex<FFTWPlanPair?>(nil)

    /// Call with the planner lock held (the `inout` state is the proof).
    init(_ kind: TransformKind, shape: [Int], planner: inout FFTWPlannerState) {
        self.kind = kind
        self.shape = shape
        self.aligned = planner.makePlans(kind, shape: shape, unaligned: false)
    }

    /// The plans to execute on `input` and `output`.
    ///
    /// New-array execute requires "the same alignment as the arrays the plan was created with"
    /// (FFTW manual §4.6): an aligned plan may use SIMD loads that fault or silently misread on
    /// other pointers. Swift arrays and `AlignedBuffer` are normally aligned, but a pointer into
    /// the middle of a buffer (a frame at an odd offset) is not. Such calls get a second plan made
    /// with `FFTW_UNALIGNED`, created on first need and then cached like the first.
    func plans(input: UnsafeRawPointer, output: UnsafeRawPointer) -> FFTWPlanPair {
        if usesAlignedPlans(input: input, output: output) {
            return aligned
        }
        // Lock order is always this set's lock, then the planner's; the planner lock never
        // waits for a set's lock, so the two cannot deadlock.
        return unaligned.withLock { cached in
            if let cached { return cached }
            let (kind, shape) = (self.kind, self.shape)
            let made = FFTWPlanner.state.withLock { planner in
                planner.makePlans(kind, shape: shape, unaligned: true)
            }
            cached = made
            return made
        }
    }

    /// Whether both pointers have the alignment the aligned plans were made for.
    func usesAlignedPlans(input: UnsafeRawPointer, output: UnsafeRawPointer) -> Bool {
        FFTWPlanner.isAligned(input) && FFTWPlanner.isAligned(output)
    }
}

/// Size arithmetic shared by the transforms.
enum FFTShape {
    /// Traps unless `shape` is a valid rank-1 or rank-2 transform shape.
    static func validate(_ shape: [Int]) {
        precondition(shape.count == 1 || shape.count == 2, "FFT shape must have rank 1 or 2, got \(shape)")
        precondition(shape.allSatisfy { $0 > 0 && $0 <= Int(Int32.max) }, "FFT sizes must be positive, got \(shape)")
    }

    /// The shape of a real transform's half spectrum: the last dimension becomes `n/2 + 1`.
    static func halfSpectrumShape(_ shape: [Int]) -> [Int] {
        shape.dropLast() + [shape[shape.count - 1] / 2 + 1]
    }

    static func halfSpectrumCount(_ shape: [Int]) -> Int {
        halfSpectrumShape(shape).reduce(1, *)
    }

    /// Traps if the byte ranges overlap: every plan is out-of-place, and executing an out-of-place
    /// plan in place gives wrong results without any error from FFTW.
    static func requireDisjoint(_ a: UnsafeRawPointer, bytes aBytes: Int, _ b: UnsafeRawPointer, bytes bBytes: Int) {
        precondition(a + aBytes <= b || b + bBytes <= a, "FFT input and output must not overlap")
    }
}

/// Reinterprets a `ComplexFloat` pointer as FFTW's `fftwf_complex` (same layout: two floats).
@inline(__always)
func fftwComplex(_ pointer: UnsafeMutablePointer<ComplexFloat>) -> UnsafeMutablePointer<fftwf_complex> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: fftwf_complex.self)
}

@inline(__always)
func fftwComplex(_ pointer: UnsafePointer<ComplexFloat>) -> UnsafeMutablePointer<fftwf_complex> {
    UnsafeMutableRawPointer(mutating: pointer).assumingMemoryBound(to: fftwf_complex.self)
}
