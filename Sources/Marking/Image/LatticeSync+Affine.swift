/// Lattices of any shape: what a shear, a perspective's local stretch or an aspect change along
/// a turned axis makes of the square tile lattice.
///
/// The coarse search scores square lattices (and stretched ones near the axes) by four lattice
/// points at once. A shear keeps one period vector and tilts the other: a 5° horizontal shear of
/// a 256-px working image moves v2 of a 64-px period by 5.6 px, far outside the half-chip windows,
/// so no square hypothesis scores more than its one surviving vector, and the search lost 23 of
/// the 24 marked corpus images sheared by 5° (PIL, JPEG 85). Here every vector is free: the
/// strongest single peaks of the autocorrelation are paired, each pair reduced to its shortest
/// basis (Lagrange–Gauss: the one that is the tile's own sides, up to sign and order, for a
/// lattice that is nearly square) and scored as the coarse search scores its lattices.
extension LatticeSync {
    /// Places in the shortlist for lattices found this way (distinct from the square search's).
    static let affineCandidates = 2
    /// How many single peaks are paired (pairs grow as its square: 120 for 16).
    static let affinePeaks = 16
    /// The shapes accepted: the two reduced vectors' lengths within this ratio, and the angle
    /// between them at least this far from parallel (sin ≥ 0.8: 53°–127°).
    static let affineLengthRatio = 1.45
    static let affineMinimumSine = 0.8

    /// The best ``affineCandidates`` lattices from pairs of single peaks, best first.
    static func affineSearch(z: LagScores, windows: WindowSums, periods: ClosedRange<Double>) -> [Candidate] {
        let peaks = strongestPeaks(z: z, windows: windows,
                                   lengths: 0.85 * periods.lowerBound...1.2 * periods.upperBound)
        var found = [Candidate]()
        for i in peaks.indices {
            for j in (i + 1)..<peaks.count {
                let (u, v) = gaussReduced(peaks[i], peaks[j])
                let lu = simdLength(u), lv = simdLength(v)
                let lattice = TileLattice(v1: u, v2: v)
                guard lv <= affineLengthRatio * lu, abs(lattice.determinant) >= affineMinimumSine * lu * lv,
                      lattice.period >= 0.9 * periods.lowerBound, lattice.period <= periods.upperBound
                else { continue }
                found.append(Candidate(lattice: lattice, score: score(lattice, halfChip: min(4, lattice.chipSize / 2), z: z, windows: windows)))
            }
        }
        found.sort { $0.score > $1.score }
        var kept = [Candidate]()
        for candidate in found where kept.count < affineCandidates {
            if !kept.contains(where: { $0.lattice.isSameLattice(as: candidate.lattice) }) { kept.append(candidate) }
        }
        return kept
    }

    /// The ``affinePeaks`` highest peaks of the window score at lags whose length lies in
    /// `lengths`, in the upper half plane (the autocorrelation is symmetric), each refined to the
    /// highest z within two lags of it (sub-pixel).
    ///
    /// The score is taken on every second lag in each direction, with windows of at least 3 × 3
    /// (so a 1-px peak still falls in a sampled window), and only local maxima of that grid above
    /// ``affinePeakFloor`` are ranked: about a third of a millisecond on a 256-px working image,
    /// where scoring every lag cost 0.7 ms. (Every third lag cost a little less and lost the
    /// sheared text page: its mark's 2-px peaks, split between two windows, fell under the
    /// lines' peaks.)
    static func strongestPeaks(z: LagScores, windows: WindowSums, lengths: ClosedRange<Double>) -> [SIMD2<Double>] {
        let step = 2
        let gridX = min(z.maxLagX, Int(lengths.upperBound)) / step, gridY = min(z.maxLagY, Int(lengths.upperBound)) / step
        let low2 = lengths.lowerBound * lengths.lowerBound, high2 = lengths.upperBound * lengths.upperBound
        // Grid point (i, j) is lag (step·i, step·j), i in [-gridX, gridX], j in [0, gridY], stored
        // with a margin of one (never a peak) so that every point has eight neighbours.
        let width = 2 * gridX + 3, height = gridY + 2
        var scores = [Float](repeating: -.infinity, count: width * height)
        for j in 0...gridY {
            let ty = step * j, y2 = Double(ty * ty)
            for i in -gridX...gridX where j > 0 || i > 0 {
                let tx = step * i, length2 = Double(tx * tx) + y2
                guard length2 >= low2, length2 <= high2 else { continue }
                // The window's radius is half a chip, length / 64 rounded, at least 1 and at most 4.
                let radius = length2 < 96 * 96 ? 1 : length2 < 160 * 160 ? 2 : length2 < 224 * 224 ? 3 : 4
                let sum = windows.sum(x: tx + z.maxLagX, y: ty + z.maxLagY, radius: radius)
                scores[j * width + i + gridX + 1] = Float(sum / Double(2 * radius + 1))
            }
        }
        var maxima = [(lag: SIMD2<Int>, score: Float)]()
        let floor = Float(affinePeakFloor)
        for j in 0...gridY {
            for column in 1...(2 * gridX + 1) {
                let index = j * width + column, score = scores[index]
                guard score > floor else { continue }
                // A local maximum over its 3 × 3 neighbourhood (ties go to the first in scan order).
                let below = index + width
                guard scores[index - 1] < score, scores[index + 1] <= score,
                      scores[below - 1] <= score, scores[below] <= score, scores[below + 1] <= score else { continue }
                if j > 0 {
                    let above = index - width
                    guard scores[above - 1] < score, scores[above] < score, scores[above + 1] < score else { continue }
                }
                maxima.append((SIMD2(step * (column - gridX - 1), step * j), score))
            }
        }
        maxima.sort { $0.score > $1.score }
        var peaks = [SIMD2<Double>]()
        for entry in maxima.prefix(affinePeaks) {
            let lag = SIMD2(Double(entry.lag.x), Double(entry.lag.y))
            peaks.append(z.localPeak(near: lag, radius: 2)?.0 ?? lag)
        }
        return peaks
    }

    /// Window scores (unit scale on pure noise) at or under this are not ranked as peaks.
    static let affinePeakFloor = 2.0

    /// The Lagrange–Gauss reduced basis of the lattice spanned by `a` and `b`: |u| ≤ |v| and
    /// |u·v| ≤ ½|u|², the shortest, most nearly orthogonal pair.
    static func gaussReduced(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> (SIMD2<Double>, SIMD2<Double>) {
        var (u, v) = (a * a).sum() <= (b * b).sum() ? (a, b) : (b, a)
        for _ in 0..<32 {
            let uu = (u * u).sum()
            guard uu > 0 else { break }
            let m = ((u * v).sum() / uu).rounded()
            v -= m * u
            if (v * v).sum() >= uu { break }
            swap(&u, &v)
        }
        return (u, v)
    }
}

extension TileLattice {
    /// Whether `other` spans the same lattice points near the origin (each vector within
    /// `tolerance` pixels of ± one of the other's).
    func isSameLattice(as other: TileLattice, tolerance: Double = 3) -> Bool {
        func matches(_ a: SIMD2<Double>) -> Bool {
            [other.v1, -other.v1, other.v2, -other.v2].contains { simdLength(a - $0) <= tolerance }
        }
        return matches(v1) && matches(v2)
    }
}
