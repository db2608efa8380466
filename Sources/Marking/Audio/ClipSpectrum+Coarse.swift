import Media
import Spectral

/// The coarse synchronisation's folds, cheaply (see `docs/audio-mark.md`, "Coarse frames").
///
/// A fold at speed s and phase φ sums the whitened cells centred on fine frames
/// t_j = φ + round(4 j / s). Whitening a cell needs only its centre frame, the frames 2 and 6
/// frames either side (its boundaries and the next ones out, at speed 1) and its neighbours' values
/// (the local variance), so every fine frame can be whitened once as the centre of a cell, and a
/// fold at any speed near 1 is then a sum of those rows — a gather of 32 values per cell instead
/// of 32 band powers, logs and the whitening. Two things are approximated, and only in the
/// coarse search, whose job is to rank alignments for the exact refinement: the boundary frames
/// of a cell at speed s lie 2/s frames away, not 2 (a frame off at most, for s within 0.75…1.33),
/// and the band edges are those of the nearest ``ClipSpectrum/coarseScaleStep`` multiple rather
/// than s itself (at most 3 % off: a 15-bin band shifts by half a bin). Measured: the 264-trial
/// hard table and speeds 0.8 … 1.25 give the same results with steps of 0.04, 0.06 and 0.08.
struct CoarseFrames: Sendable {
    /// The speed whose band edges were used.
    let scale: Double
    /// Whitened, weighted values: fine frame t's 32 bands at `t · bands`.
    let values: [Float]
    /// Whether frame t could be whitened (a boundary frame inside the clip).
    let present: [Bool]

    /// The fold at (`speed`, `phase`) over the first `cellCount` cells (fewer if the frames end),
    /// as its energy and 2-D transform only (``CellFold/values`` is empty).
    func fold(speed: Double, phase: Int, cellCount: Int) -> CellFold {
        let bands = AudioLayout.bandCount
        var sums = [Float](repeating: 0, count: AudioLayout.chipCount)
        var cells = 0
        // Raw pointers: the 32-band row adds vectorise (a quarter of the coarse search's time).
        sums.withUnsafeMutableBufferPointer { sums in
            values.withUnsafeBufferPointer { values in
                present.withUnsafeBufferPointer { present in
                    let sums = sums.baseAddress!, values = values.baseAddress!
                    for j in 0..<cellCount {
                        let t = phase + ClipSpectrum.roundedFrame(Double(j * ClipSpectrum.framesPerCell) / speed)
                        guard t < present.count else { break }
                        guard present[t] else { continue }
                        cells += 1
                        let base = sums + (j & (AudioLayout.blockCells - 1)) * bands, row = values + t * bands
                        for b in 0..<bands { base[b] += row[b] }
                    }
                }
            }
        }
        // Only the transform is kept: the search scores coarse folds through it alone, and their
        // values were half of a clip's 1 300 coarse folds' memory (11 MB for 15 s, every page a
        // fault to the kernel on first touch).
        return CellFold(speed: speed, phase: phase, values: [], energy: Float(SampleMath.sumOfSquares(sums)), cells: cells,
                        spectrum: PilotSpectrum.transform(sums))
    }
}

extension ClipSpectrum {
    /// Band edges of the coarse frames are taken at multiples of this step of speed.
    static let coarseScaleStep = 0.06

    /// The nearest multiple of ``coarseScaleStep`` to `speed`.
    static func coarseScale(for speed: Double) -> Double {
        1 + ((speed - 1) / coarseScaleStep).rounded() * coarseScaleStep
    }

    /// The first `frames` fine frames whitened as cell centres at speed 1, with the band edges of
    /// `scale`: each phase residue (frames p, p + 4, p + 8, …) is one sequence of cells, whitened
    /// exactly as a fold at speed 1 and phase p whitens it.
    func coarseFrames(scale: Double, frames limit: Int) -> CoarseFrames {
        let bands = AudioLayout.bandCount
        let count = max(0, min(frameCount, limit))
        let rows = min(frameCount, count + Self.framesPerCell / 2 + 1)
        let powers = FramePowers(self, edges: Edges(speed: scale, binLimit: binLimit), frames: rows, capacity: rows)
        var values = [Float](repeating: 0, count: count * bands)
        var present = [Bool](repeating: false, count: count)
        let half = Self.framesPerCell / 2
        for p in 0..<Self.framesPerCell where p < count {
            let centres = Array(Swift.stride(from: p, to: count, by: Self.framesPerCell))
            let boundaries = (0...centres.count).map { j -> Int in
                let t = p + j * Self.framesPerCell - half
                return t < frameCount ? t : -1
            }
            let cells = whitenedCells(centres: powers.prepare(centres), boundaries: powers.prepare(boundaries),
                                      frames: powers)
            for (j, t) in centres.enumerated() where cells.present[j] {
                present[t] = true
                for b in 0..<bands { values[t * bands + b] = cells.values[j * bands + b] }
            }
        }
        return CoarseFrames(scale: scale, values: values, present: present)
    }
}
