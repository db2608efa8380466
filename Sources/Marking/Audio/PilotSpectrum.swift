import Spectral

/// Pilot scores by FFT, for the coarse search's many folds and many keys.
///
/// A fold's score at block offset o is Σ_b Σ_c F_b[c] · P_b[c + o], band b's cyclic
/// cross-correlation of the fold's cells with the pilot's, summed over bands. With F̃_b the DFT of
/// band b along cells, Σ_c F_b[c] · P_b[c + o] is the inverse DFT of conj(F̃_b) · P̃_b, so one
/// inverse DFT of 64 of Σ_b conj(F̃_b[k]) · P̃_b[k] gives every offset's score at once. The fold's
/// transform depends on the clip only and is computed once, with the fold; per key, a score costs
/// 32 × 33 complex products and one 64-point inverse instead of 512 pilot chips × 64 offsets.
/// (Until stop 20 the transform was 2-D, bands × cells, after a transpose: the same scores, for
/// a band-direction transform nobody needed — 7 µs a fold, 9 of the 24 ms a 15-s clip's coarse
/// search took.)
enum PilotSpectrum {
    /// Complex bins of a block's transform: 32 bands × 33 cell frequencies.
    static let binCount = AudioLayout.bandCount * (AudioLayout.blockCells / 2 + 1)

    /// Each band's half spectrum along cells of block-shaped values (index `cell · bandCount +
    /// band`), laid out band by band.
    static func transform(_ values: [Float]) -> [ComplexFloat] {
        ColumnRealFFT.shared(rows: AudioLayout.blockCells, columns: AudioLayout.bandCount).forward(values)
    }

    /// Unnormalised scores at every block offset: Σ_b Σ_c F_b[c] · P_b[c + o], from the fold's
    /// and the pilot's transforms.
    static func scores(fold: [ComplexFloat], pilot: [ComplexFloat]) -> [Float] {
        let bands = AudioLayout.bandCount, cells = AudioLayout.blockCells, half = cells / 2 + 1
        var sum = [ComplexFloat](repeating: .zero, count: half)
        fold.withUnsafeBufferPointer { f in
            pilot.withUnsafeBufferPointer { p in
                sum.withUnsafeMutableBufferPointer { s in
                    for b in 0..<bands {
                        let row = b * half
                        for k in 0..<half {
                            let a = f[row + k], c = p[row + k]
                            // conj(a) · c
                            s[k].re += a.re * c.re + a.im * c.im
                            s[k].im += a.re * c.im - a.im * c.re
                        }
                    }
                }
            }
        }
        // The normalised inverse divides by 64, as the correlation's DFT identity needs.
        return RealFFT.shared(shape: [cells]).inverse(sum)
    }
}
