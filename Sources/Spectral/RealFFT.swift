internal import CFFTW

/// The discrete Fourier transform of real data of a fixed shape, over FFTW single precision.
///
/// A shape is `[n]` for a signal of `n` samples or `[rows, columns]` for a row-major image; any
/// sizes work (odd, prime, powers of two). The spectrum is FFTW's half spectrum: the last
/// dimension is cut to `n / 2 + 1` bins, because the rest are complex conjugates of those kept.
///
/// ```
///   real  [rows × columns]  ── forward ──▶  complex [rows × (columns/2 + 1)]
///                           ◀── inverse ──
/// ```
///
/// Get instances from ``shared(shape:)``: plans are made once per shape, cached for the life of
/// the process (never destroyed, so memory is bounded by the number of distinct shapes) and safe to
/// execute from any number of threads at once.
///
/// The forward transform uses the sign `e^(-2πi·kn/N)`. The safe array API normalises the inverse
/// by `1/N`, so `inverse(forward(x)) ≈ x`; the pointer and buffer APIs are unnormalised like FFTW
/// (their inverse returns `N·x`; scale by ``inverseScale``).
public final class RealFFT: Sendable {
    /// `[n]` or `[rows, columns]`.
    public let shape: [Int]
    /// Number of real samples: the product of `shape`.
    public let count: Int
    /// `shape` with the last dimension replaced by `last / 2 + 1`.
    public let spectrumShape: [Int]
    /// Number of complex bins: the product of `spectrumShape`.
    public let spectrumCount: Int
    /// `1 / count`, the factor that makes the unnormalised inverse an exact inverse.
    public let inverseScale: Float

    private let plans: FFTWPlanSet

    private init(shape: [Int], planner: inout FFTWPlannerState) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.spectrumShape = FFTShape.halfSpectrumShape(shape)
        self.spectrumCount = spectrumShape.reduce(1, *)
        self.inverseScale = 1 / Float(count)
        self.plans = FFTWPlanSet(.real, shape: shape, planner: &planner)
    }

    /// The process-wide transform for `shape`, planned on first request.
    ///
    /// - Parameter shape: `[n]` or `[rows, columns]`, all positive.
    /// - Complexity: a dictionary lookup under the planner lock; the first call for a shape also
    ///   plans it (`FFTW_ESTIMATE`, well under a millisecond for the sizes tracemark uses).
    public static func shared(shape: [Int]) -> RealFFT {
        FFTShape.validate(shape)
        return FFTWPlanner.state.withLock { planner in
            if let cached = planner.realTransforms[shape] { return cached }
            let made = RealFFT(shape: shape, planner: &planner)
            planner.realTransforms[shape] = made
            return made
        }
    }

    // MARK: Unsafe API, for hot loops

    /// Forward transform of `count` reals at `input` into `spectrumCount` bins at `output`.
    ///
    /// Does not allocate. `input` is not modified. The two ranges must not overlap. Any pointer
    /// alignment works; SIMD-aligned pointers (Swift arrays, ``AlignedBuffer``) take the faster plan.
    /// - Complexity: O(N log N) for N = `count`, prime factors included.
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<ComplexFloat>) {
        FFTShape.requireDisjoint(input, bytes: count * 4, output, bytes: spectrumCount * 8)
        let plan = plans.plans(input: input, output: output).forward
        // FFTW's prototype is not const, but out-of-place r2c preserves its input
        // (FFTW_PRESERVE_INPUT is the default for every kind but c2r), so the cast is sound.
        fftwf_execute_dft_r2c(plan.raw, UnsafeMutablePointer(mutating: input), fftwComplex(output))
    }

    /// Unnormalised inverse of `spectrumCount` bins at `input` into `count` reals at `output`
    /// (the result is `count` times the signal).
    ///
    /// - Important: **`input` is overwritten.** FFTW's complex-to-real transforms use the input
    ///   array as scratch, and for 2-D shapes cannot be told not to. The pointer is mutable so that
    ///   the type says so; copy the spectrum first if you still need it (the array API does).
    ///
    /// Does not allocate. The two ranges must not overlap. The imaginary parts of the bins that
    /// must be real (DC and, for even sizes, Nyquist) are ignored.
    /// - Complexity: O(N log N) for N = `count`.
    public func inverse(_ input: UnsafeMutablePointer<ComplexFloat>, _ output: UnsafeMutablePointer<Float>) {
        FFTShape.requireDisjoint(input, bytes: spectrumCount * 8, output, bytes: count * 4)
        let plan = plans.plans(input: input, output: output).backward
        fftwf_execute_dft_c2r(plan.raw, fftwComplex(input), output)
    }

    // MARK: Aligned buffers, the fast path without pointers

    /// Forward transform of `signal` (`count` samples) into `spectrum` (`spectrumCount` bins).
    /// Does not allocate; `signal` is not modified.
    public func forward(_ signal: AlignedFloatBuffer, into spectrum: AlignedComplexBuffer) {
        precondition(signal.count == count && spectrum.count == spectrumCount,
                     "buffers must hold \(count) samples and \(spectrumCount) bins")
        forward(signal.baseAddress, spectrum.baseAddress)
    }

    /// Unnormalised inverse of `spectrum` into `signal` (the result is `count` times the signal).
    /// Does not allocate. **Overwrites `spectrum`**, hence the label.
    public func inverse(overwriting spectrum: AlignedComplexBuffer, into signal: AlignedFloatBuffer) {
        precondition(signal.count == count && spectrum.count == spectrumCount,
                     "buffers must hold \(spectrumCount) bins and \(count) samples")
        inverse(spectrum.baseAddress, signal.baseAddress)
    }

    // MARK: Safe API

    /// The half spectrum of `signal`, which must hold `count` samples (row-major for 2-D).
    /// - Complexity: O(N log N); allocates the result.
    public func forward(_ signal: [Float]) -> [ComplexFloat] {
        precondition(signal.count == count, "signal has \(signal.count) samples, transform expects \(count)")
        return [ComplexFloat](unsafeUninitializedCapacity: spectrumCount) { output, initialized in
            signal.withUnsafeBufferPointer { forward($0.baseAddress!, output.baseAddress!) }
            initialized = spectrumCount
        }
    }

    /// The signal whose half spectrum is `spectrum`, **normalised** so that
    /// `inverse(forward(x)) ≈ x`. `spectrum` is left untouched (FFTW works on a private copy).
    /// - Complexity: O(N log N); allocates a copy of `spectrum` and the result.
    public func inverse(_ spectrum: [ComplexFloat]) -> [Float] {
        precondition(spectrum.count == spectrumCount,
                     "spectrum has \(spectrum.count) bins, transform expects \(spectrumCount)")
        // c2r overwrites its input; the mutable access makes Array copy its shared storage first.
        var scratch = spectrum
        let scale = inverseScale
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            scratch.withUnsafeMutableBufferPointer { inverse($0.baseAddress!, output.baseAddress!) }
            for i in output.indices { output[i] *= scale }
            initialized = count
        }
    }

    /// Whether a call on these pointers would use the aligned plans (for tests).
    func usesAlignedPlans(input: UnsafeRawPointer, output: UnsafeRawPointer) -> Bool {
        plans.usesAlignedPlans(input: input, output: output)
    }
}
