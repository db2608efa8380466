import Foundation

/// Folding: cells → whitened, weighted chip values → summed modulo the block.
///
/// Whitening removes what the host itself does so that the chips' small relative changes stand
/// out: per cell, the log band power minus a weighted mean of the same band in the two cells
/// before and the two after (the host's envelope), minus the cell's mean over bands (broadband
/// changes: onsets, fades, gain), clipped to ±``clipLimit`` (a sudden onset must not dominate).
/// Each value is then weighted by its band's weight in the clip's band plan, by P / (P + gate
/// floor) — cells that hold only silence or added noise carry nothing — and by the inverse of
/// the local variance of the whitened values (±4 cells × ±2 bands: the optimal linear detector
/// when the host's residual varies in level, as it does between steady notes and onsets). All
/// of this depends on the clip only, never on the key: the false-positive model needs exactly
/// that.
extension ClipSpectrum {
    static let clipLimit: Float = 2
    /// Weight of the cells two away in the envelope estimate (the adjacent ones weigh 1).
    static let outerNeighbourWeight: Float = 0.5

    /// Folds at one speed for several phases, sharing the band powers of the fine frames.
    /// - Parameter cellLimit: at most this many cells per phase (from the clip's start).
    func folds(speed: Double, phases: [Int], cellLimit: Int = .max) -> [CellFold] {
        let bands = AudioLayout.bandCount
        let edges = Edges(speed: speed)
        // Fine frames each phase uses.
        var frameLists = [[Int]]()
        var lastFrame = -1
        for phase in phases {
            let count = min(cellLimit, cellCount(speed: speed, phase: phase))
            let frames = (0..<max(0, count)).map { phase + Int((Double($0 * Self.framesPerCell) / speed).rounded()) }
                .filter { $0 < frameCount }
            frameLists.append(frames)
            lastFrame = max(lastFrame, frames.last ?? -1)
        }
        guard lastFrame >= 0 else {
            return phases.map { CellFold(speed: speed, phase: $0, values: [Float](repeating: 0, count: AudioLayout.chipCount), energy: 0, cells: 0) }
        }
        // Log power and reliability weight of every frame used, computed once.
        let rows = lastFrame + 1
        var logPower = [Float](repeating: 0, count: rows * bands)
        var weight = [Float](repeating: -1, count: rows * bands)  // −1: not computed yet
        var powers = [Float](repeating: 0, count: bands)
        func prepare(_ t: Int) {
            guard t >= 0, weight[t * bands] < 0 else { return }
            powers.withUnsafeMutableBufferPointer { bandPowers(frame: t, edges: edges, into: $0.baseAddress!) }
            for b in 0..<bands {
                let p = powers[b], floor = noiseFloor[b]
                logPower[t * bands + b] = log(p + floor)
                weight[t * bands + b] = bandWeights[b] * p / (p + gateFloor[b])
            }
        }
        for frames in frameLists { for t in frames { prepare(t) } }

        return zip(phases, frameLists).map { phase, frames in
            fold(frames: frames, logPower: logPower, weight: weight, speed: speed, phase: phase)
        }
    }

    /// One fold at (speed, phase).
    func fold(speed: Double, phase: Int, cellLimit: Int = .max) -> CellFold {
        folds(speed: speed, phases: [phase], cellLimit: cellLimit)[0]
    }

    /// Whitens, weights and folds the cells whose fine frames are `frames` (relative cell j ↔
    /// frames[j]; a negative frame is a cell before the clip's start, left out).
    private func fold(frames: [Int], logPower: [Float], weight: [Float], speed: Double, phase: Int) -> CellFold {
        let bands = AudioLayout.bandCount
        let count = frames.count
        var values = [Float](repeating: 0, count: AudioLayout.chipCount)
        var z = [Float](repeating: 0, count: count * bands)
        var present = [Bool](repeating: false, count: count)
        var cells = 0
        logPower.withUnsafeBufferPointer { lp in
            z.withUnsafeMutableBufferPointer { z in
                for j in 0..<count where frames[j] >= 0 {
                    let row = frames[j] * bands
                    // The host's slow envelope: the same band in the cells around, the nearer
                    // ones weighted more.
                    var rows = (-1, -1, -1, -1)
                    var shares: (Float, Float, Float, Float) = (0, 0, 0, 0)
                    var total: Float = 0
                    for (slot, d) in [-2, -1, 1, 2].enumerated() {
                        let n = j + d
                        guard n >= 0, n < count, frames[n] >= 0 else { continue }
                        let w = abs(d) == 1 ? 1 : Self.outerNeighbourWeight
                        switch slot {
                        case 0: rows.0 = frames[n] * bands; shares.0 = w
                        case 1: rows.1 = frames[n] * bands; shares.1 = w
                        case 2: rows.2 = frames[n] * bands; shares.2 = w
                        default: rows.3 = frames[n] * bands; shares.3 = w
                        }
                        total += w
                    }
                    guard total > 0 else { continue }
                    shares = (shares.0 / total, shares.1 / total, shares.2 / total, shares.3 / total)
                    var mean: Float = 0
                    for b in 0..<bands {
                        var around: Float = 0
                        if rows.0 >= 0 { around += shares.0 * lp[rows.0 + b] }
                        if rows.1 >= 0 { around += shares.1 * lp[rows.1 + b] }
                        if rows.2 >= 0 { around += shares.2 * lp[rows.2 + b] }
                        if rows.3 >= 0 { around += shares.3 * lp[rows.3 + b] }
                        let value = lp[row + b] - around
                        z[j * bands + b] = value
                        mean += value
                    }
                    mean /= Float(bands)
                    for b in 0..<bands {
                        z[j * bands + b] = min(Self.clipLimit, max(-Self.clipLimit, z[j * bands + b] - mean))
                    }
                    present[j] = true
                    cells += 1
                }
            }
        }
        let variance = Self.localMeanSquare(z, present: present, count: count)
        for j in 0..<count where present[j] {
            let row = frames[j] * bands
            let base = (j & (AudioLayout.blockCells - 1)) * bands
            for b in 0..<bands {
                let w = weight[row + b] / (variance[j * bands + b] + Self.varianceFloor)
                values[base + b] += z[j * bands + b] * w
            }
        }
        let energy = values.reduce(0) { $0 + $1 * $1 }
        return CellFold(speed: speed, phase: phase, values: values, energy: energy, cells: cells)
    }

    static let varianceFloor: Float = 0.05
    static let varianceRadiusCells = 4
    static let varianceRadiusBands = 2

    /// Mean of z² over ±4 cells × ±2 bands around every cell (present cells only): the local
    /// variance of the host's residual, for inverse-variance weighting (the optimal linear detector
    /// when the noise level varies from place to place).
    /// - Complexity: O(cells × bands): a sliding window in time, prefix sums across bands.
    static func localMeanSquare(_ z: [Float], present: [Bool], count: Int) -> [Float] {
        let bands = AudioLayout.bandCount
        let radius = varianceRadiusCells, bandRadius = varianceRadiusBands
        var out = [Float](repeating: 0, count: count * bands)
        let column = UnsafeMutablePointer<Float>.allocate(capacity: bands)
        let prefix = UnsafeMutablePointer<Float>.allocate(capacity: bands + 1)
        defer { column.deallocate(); prefix.deallocate() }
        column.initialize(repeating: 0, count: bands)
        prefix.initialize(repeating: 0, count: bands + 1)
        var inWindow: Float = 0
        z.withUnsafeBufferPointer { z in
            present.withUnsafeBufferPointer { present in
                out.withUnsafeMutableBufferPointer { out in
                    for step in 0..<(count + radius) {
                        // Slide: row `step` enters, row `step − 2·radius − 1` leaves; the window
                        // is then centred on j = step − radius.
                        for (row, sign) in [(step, Float(1)), (step - 2 * radius - 1, Float(-1))]
                        where row >= 0 && row < count && present[row] {
                            inWindow += sign
                            let base = row * bands
                            for b in 0..<bands { column[b] += sign * z[base + b] * z[base + b] }
                        }
                        let j = step - radius
                        guard j >= 0, inWindow > 0 else { continue }
                        for b in 0..<bands { prefix[b + 1] = prefix[b] + max(0, column[b]) }
                        let scale = 1 / inWindow
                        for b in 0..<bands {
                            let b0 = max(0, b - bandRadius), b1 = min(bands - 1, b + bandRadius)
                            out[j * bands + b] = (prefix[b1 + 1] - prefix[b0]) * scale / Float(b1 - b0 + 1)
                        }
                    }
                }
            }
        }
        return out
    }
}
