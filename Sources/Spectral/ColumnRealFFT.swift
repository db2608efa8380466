internal import CFFTW

/// The real DFT of every column of a row-major table at once: `columns` signals of `rows` samples
/// each, interleaved (sample i of signal c at `i · columns + c`), transformed by one FFTW call
/// (`fftwf_plan_many_dft_r2c`) into their half spectra one after the other (bin k of signal c at
/// `c · (rows / 2 + 1) + k`).
///
/// ```
///   real [rows × columns], row-major  ── forward ──▶  complex [columns × (rows/2 + 1)]
/// ```
///
/// For many small transforms of interleaved data — the audio search's folds, 64 cells × 32 bands
/// stored cell by cell — this replaces a transpose and a 2-D transform (whose second dimension the
/// caller did not need) by the strided 1-D transforms alone. Plans are made once per size, cached
/// and never destroyed, with `FFTW_UNALIGNED` so that any pointers work; execution is safe from
/// any number of threads (see ``RealFFT``).
public final class ColumnRealFFT: Sendable {
    /// Samples per signal (the table's rows).
    public let rows: Int
    /// Signals (the table's columns).
    public let columns: Int
    /// Bins per signal's half spectrum: `rows / 2 + 1`.
    public let spectrumLength: Int

    private let plan: FFTWPlan

    private init(rows: Int, columns: Int, planner: inout FFTWPlannerState) {
        self.rows = rows
        self.columns = columns
        spectrumLength = rows / 2 + 1
        plan = planner.makeColumnPlan(rows: rows, columns: columns)
    }

    /// The process-wide transform for a `rows × columns` table, planned on first request.
    public static func shared(rows: Int, columns: Int) -> ColumnRealFFT {
        FFTShape.validate([rows, columns])
        return FFTWPlanner.state.withLock { planner in
            if let cached = planner.columnTransforms[[rows, columns]] { return cached }
            let made = ColumnRealFFT(rows: rows, columns: columns, planner: &planner)
            planner.columnTransforms[[rows, columns]] = made
            return made
        }
    }

    /// Forward transforms of the `rows · columns` reals at `input` into the `columns ·
    /// spectrumLength` bins at `output`. Does not allocate; `input` is not modified; the two ranges
    /// must not overlap.
    public func forward(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<ComplexFloat>) {
        FFTShape.requireDisjoint(input, bytes: rows * columns * 4, output, bytes: columns * spectrumLength * 8)
        // Out-of-place r2c preserves its input (see RealFFT.forward).
        fftwf_execute_dft_r2c(plan.raw, UnsafeMutablePointer(mutating: input), fftwComplex(output))
    }

    /// The half spectra of `table` (`rows · columns` values, row-major), signal by signal.
    /// - Complexity: O(columns · rows log rows); allocates the result.
    public func forward(_ table: [Float]) -> [ComplexFloat] {
        precondition(table.count == rows * columns, "table has \(table.count) values, transform expects \(rows * columns)")
        let count = columns * spectrumLength
        return [ComplexFloat](unsafeUninitializedCapacity: count) { output, initialized in
            table.withUnsafeBufferPointer { forward($0.baseAddress!, output.baseAddress!) }
            initialized = count
        }
    }
}

extension FFTWPlannerState {
    /// The forward plan of ``ColumnRealFFT``: `columns` r2c transforms of `rows` samples, input
    /// stride `columns` and distance 1, output stride 1 and distance `rows / 2 + 1`; `FFTW_ESTIMATE
    /// | FFTW_UNALIGNED`, planned on `fftwf_malloc` arrays (FFTW does not read them).
    mutating func makeColumnPlan(rows: Int, columns: Int) -> FFTWPlan {
        let length = rows / 2 + 1
        let real = allocate(bytes: rows * columns * 4)
        let complex = allocate(bytes: columns * length * 8)
        defer {
            release(real)
            release(complex)
        }
        var n = Int32(rows)
        let flags = UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED)
        guard let plan = fftwf_plan_many_dft_r2c(1, &n, Int32(columns),
                                                 real.assumingMemoryBound(to: Float.self), nil, Int32(columns), 1,
                                                 complex.assumingMemoryBound(to: fftwf_complex.self), nil, 1, Int32(length),
                                                 flags) else {
            fatalError("FFTW could not plan \(columns) strided real transforms of \(rows)")
        }
        return FFTWPlan(raw: plan)
    }
}
