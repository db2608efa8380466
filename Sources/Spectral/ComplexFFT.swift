internal import CFFTW

/// The discrete Fourier transform of complex data of a fixed shape, over FFTW single precision.
///
/// A shape is `[n]` or `[rows, columns]` (row-major); any sizes work. Input and spectrum have the
/// same shape. The forward transform uses the sign `e^(-2πi·kn/N)`, the inverse `e^(+2πi·kn/N)`.
///
/// Get instances from ``shared(shape:)``: plans are made once per shape, cached for the life of
/// the process (never destroyed) and safe to execute from any number of threads at once.
///
/// The safe array API normalises the inverse by `1/N`; the pointer and buffer APIs are
/// unnormalised like FFTW (scale by ``inverseScale``). No call modifies its input.
public final class ComplexFFT: Sendable {
    /// `[n]` or `[rows, columns]`.
    public let shape: [Int]
    /// Number of complex elements: the product of `shape`, in the signal and in the spectrum.
    public let count: Int
    /// `1 / count`, the factor that makes the unnormalised inverse an exact inverse.
    public let inverseScale: Float

    private let plans: FFTWPlanSet

    private init(shape: [Int], planner: inout FFTWPlannerState) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.inverseScale = 1 / Float(count)
        self.plans = FFTWPlanSet(.complex, shape: shape, planner: &planner)
    }

    /// The process-wide transform for `shape`, planned on first request.
    ///
    /// - Parameter shape: `[n]` or `[rows, columns]`, all positive.
    /// - Complexity: a dictionary lookup under the planner lock; the first call for a shape also
    ///   plans it (`FFTW_ESTIMATE`).
    public static func shared(shape: [Int]) -> ComplexFFT {
        FFTShape.validate(shape)
        return FFTWPlanner.state.withLock { planner in
            if let cached = planner.complexTransforms[shape] { return cached }
            let made = ComplexFFT(shape: shape, planner: &planner)
            planner.complexTransforms[shape] = made
            return made
        }
    }

    // MARK: Unsafe API, for hot loops

    /// Forward transform of `count` elements at `input` into `count` bins at `output`.
    /// Does not allocate; `input` is not modified (FFTW preserves the input of out-of-place
    /// complex transforms). The ranges must not overlap; any alignment works.
    /// - Complexity: O(N log N) for N = `count`.
    public func forward(_ input: UnsafePointer<ComplexFloat>, _ output: UnsafeMutablePointer<ComplexFloat>) {
        execute(plans.plans(input: input, output: output).forward, input, output)
    }

    /// Unnormalised inverse of `count` bins at `input` into `output` (the result is `count` times
    /// the signal). Does not allocate; `input` is not modified; the ranges must not overlap.
    /// - Complexity: O(N log N) for N = `count`.
    public func inverse(_ input: UnsafePointer<ComplexFloat>, _ output: UnsafeMutablePointer<ComplexFloat>) {
        execute(plans.plans(input: input, output: output).backward, input, output)
    }

    private func execute(_ plan: FFTWPlan, _ input: UnsafePointer<ComplexFloat>, _ output: UnsafeMutablePointer<ComplexFloat>) {
        FFTShape.requireDisjoint(input, bytes: count * 8, output, bytes: count * 8)
        fftwf_execute_dft(plan.raw, fftwComplex(input), fftwComplex(output))
    }

    // MARK: Aligned buffers, the fast path without pointers

    /// Forward transform of `signal` into `spectrum`, both `count` long. Does not allocate.
    public func forward(_ signal: AlignedComplexBuffer, into spectrum: AlignedComplexBuffer) {
        precondition(signal.count == count && spectrum.count == count, "buffers must hold \(count) elements")
        forward(signal.baseAddress, spectrum.baseAddress)
    }

    /// Unnormalised inverse of `spectrum` into `signal` (`count` times the signal). Does not allocate.
    public func inverse(_ spectrum: AlignedComplexBuffer, into signal: AlignedComplexBuffer) {
        precondition(signal.count == count && spectrum.count == count, "buffers must hold \(count) elements")
        inverse(spectrum.baseAddress, signal.baseAddress)
    }

    // MARK: Safe API

    /// The spectrum of `signal`, which must hold `count` elements (row-major for 2-D).
    /// - Complexity: O(N log N); allocates the result.
    public func forward(_ signal: [ComplexFloat]) -> [ComplexFloat] {
        precondition(signal.count == count, "signal has \(signal.count) elements, transform expects \(count)")
        return [ComplexFloat](unsafeUninitializedCapacity: count) { output, initialized in
            signal.withUnsafeBufferPointer { forward($0.baseAddress!, output.baseAddress!) }
            initialized = count
        }
    }

    /// The signal whose spectrum is `spectrum`, **normalised** so that `inverse(forward(x)) ≈ x`.
    /// - Complexity: O(N log N); allocates the result.
    public func inverse(_ spectrum: [ComplexFloat]) -> [ComplexFloat] {
        precondition(spectrum.count == count, "spectrum has \(spectrum.count) bins, transform expects \(count)")
        let scale = inverseScale
        return [ComplexFloat](unsafeUninitializedCapacity: count) { output, initialized in
            spectrum.withUnsafeBufferPointer { inverse($0.baseAddress!, output.baseAddress!) }
            for i in output.indices { output[i] = output[i] * scale }
            initialized = count
        }
    }

    /// Whether a call on these pointers would use the aligned plans (for tests).
    func usesAlignedPlans(input: UnsafeRawPointer, output: UnsafeRawPointer) -> Bool {
        plans.usesAlignedPlans(input: input, output: output)
    }
}
