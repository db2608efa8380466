import Spectral

/// Pilot scores by FFT, for the coarse search's many folds and many keys.
///
/// A fold's score at block offset o is Σ_b Σ_c F_b[c] · P_b[c + o], band b's cyclic
/// cross-correlation of the fold's cells with the pilot's, summed over bands. With X̂ the 2-D DFT
/// (bands × cells) of a block-shaped array, Σ_kb conj(F̂[kb][k]) · P̂[kb][k] equals 32 · Σ_b
/// conj(F̃_b[k]) · P̃_b[k] (F̃_b the DFT along cells; the DFT along bands is unitary up to 32), so
/// one inverse DFT of 64 of that sum over kb gives every offset's score at once. The fold's
/// transform depends on the clip only and is computed once, with the fold; per key, a score costs
/// 32 × 33 complex products and one 64-point inverse instead of 512 pilot chips × 64 offsets.
enum PilotSpectrum {
    /// Complex bins of a block's 2-D half spectrum: 32 band frequencies × 33 cell frequencies.
    static let binCount = AudioLayout.bandCount * (AudioLayout.blockCells / 2 + 1)

    /// The 2-D half spectrum of block-shaped values (index `cell · bandCount + band`), laid out
    /// band-major (band frequency × cell frequency).
    static func transform(_ values: [Float]) -> [ComplexFloat] {
        let bands = AudioLayout.bandCount, cells = AudioLayout.blockCells
        let transposed = [Float](unsafeUninitializedCapacity: bands * cells) { out, initialized in
            values.withUnsafeBufferPointer { v in
                for c in 0..<cells {
                    for b in 0..<bands { out[b * cells + c] = v[c * bands + b] }
                }
            }
            initialized = bands * cells
        }
        return RealFFT.shared(shape: [bands, cells]).forward(transposed)
    }

    /// Unnormalised scores at every block offset: Σ_b Σ_c F_b[c] · P_b[c + o], from the fold's
    /// and the pilot's transforms.
    static func scores(fold: [ComplexFloat], pilot: [ComplexFloat]) -> [Float] {
        let bands = AudioLayout.bandCount, cells = AudioLayout.blockCells, half = cells / 2 + 1
        var sum = [ComplexFloat](repeating: .zero, count: half)
        fold.withUnsafeBufferPointer { f in
            pilot.withUnsafeBufferPointer { p in
                sum.withUnsafeMutableBufferPointer { s in
                    for kb in 0..<bands {
                        let row = kb * half
                        for k in 0..<half {
                            let a = f[row + k], b = p[row + k]
                            // conj(a) · b
                            s[k].re += a.re * b.re + a.im * b.im
                            s[k].im += a.re * b.im - a.im * b.re
                        }
                    }
                }
            }
        }
        // The normalised inverse divides by 64; the bands' factor 32 is left.
        return RealFFT.shared(shape: [cells]).inverse(sum).map { $0 / Float(bands) }
    }
}
