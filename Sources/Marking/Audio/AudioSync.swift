import Foundation

/// Finding where the block starts in a clip, and at what replay speed, from the pilot chips alone.
///
/// ```
///  coarse   226 speeds 0.8 … 1.25 (step 0.002) × 4 phases (128-sample steps) × 64 block offsets,
///           on at most the first 20 s: one fold per (speed, phase), summed from fine frames
///           whitened once per band-edge scale (``CoarseFrames``), every offset scored at once by
///           cyclic correlation with the pilot; a tempo line (time at the speed, band edges at
///           speed 1, phases 0 and 2) for a speed change that kept the pitch, and a pitch line
///           (time at speed 1, band edges at every other scale) → the best 6 distinct alignments
///  refine   each on the whole analysed clip: speed by halving steps from 0.001 until the drift
///           over the clip is below ⅛ cell, then the neighbouring phases; and its twin half a
///           phase (64 samples) off the frame grid, from the fine frames half a hop later
///  test     the best 4 distinct refined alignments, each on the grid and at its twin (8 readings):
///           payload chips → χ², polar list decoding, CRC (on a clip over 30 s, the ones after
///           the first only if the pilot reaches 3.5 over the whole clip: see
///           `AudioDetector.continuationScore`)
/// ```
/// Two alignments are distinct when their block starts differ by at least a cell; closer ones read
/// nearly the same chips with the same weights, and testing both would waste the union bound.
/// Only pilot weights steer any choice here; the payload weights, independent of them, are read
/// only at the end, which keeps the χ² statistic exact (see `docs/audio-mark.md`).
enum AudioSync {
    /// Step of the coarse speed grid; the refinement halves its way down from half of it.
    static let coarseSpeedStep = 0.002
    static let coarsePhases = [0, 1, 2, 3]
    /// Phases of the coarse search's tempo line (speed changes that kept the pitch).
    static let tempoPhases = [0, 2]
    static let coarseDuration = 20.0
    static let coarseCells = Int(coarseDuration * Double(AudioLayout.sampleRate) / Double(AudioLayout.cellLength))
    /// Offsets kept per coarse fold before ranking across folds.
    static let offsetsPerFold = 3
    static let refinedCandidates = 6
    static let firstRefineStep = 0.001
    /// A pitch shift's frequency scale is refined down to this step (a 15-bin band's edge moves by
    /// a twentieth of a bin).
    static let finestPitchStep = 0.002

    /// The coarse speed grid: 1 + k · 0.002 for every k that falls in `search`'s range.
    static func coarseSpeeds(_ search: AudioSpeedSearch) -> [Double] {
        let low = Int(((search.range.lowerBound - 1) / coarseSpeedStep).rounded())
        let high = Int(((search.range.upperBound - 1) / coarseSpeedStep).rounded())
        return (low...high).map { 1 + Double($0) * coarseSpeedStep }
    }

    /// The coarse folds of a clip (key-independent).
    static func coarseFolds(_ spectrum: ClipSpectrum, speeds: AudioSpeedSearch = .standard,
                            phases: [Int] = coarsePhases, cells: Int = coarseCells, speedStride: Int = 1,
                            pitchLines: Bool = true) -> [CellFold] {
        guard spectrum.frameCount >= 8 * ClipSpectrum.framesPerCell, let lastPhase = phases.max() else { return [] }
        let grid = coarseSpeeds(speeds)
        let centre = grid.firstIndex { abs($0 - 1) < 1e-9 } ?? 0
        let chosen = grid.indices.filter { ($0 - centre) % speedStride == 0 }.map { grid[$0] }
        // Every fine frame that the cells of the slowest speed folded at a band-edge scale reach,
        // whitened once per scale: a fast scale's folds read fewer frames (at 1.26 a fifth fewer
        // than at 1, at 0.78 a quarter more), and the frames past them were whitened for nothing.
        func key(_ scale: Double) -> Int { Int((scale * 1000).rounded()) }
        var slowestAt = [Int: Double]()
        func folds(at scale: Double, speed: Double) { slowestAt[key(scale)] = min(speed, slowestAt[key(scale)] ?? speed) }
        for speed in chosen {
            let scale = ClipSpectrum.coarseScale(for: speed)
            folds(at: scale, speed: speed)
            if pitchLines, scale != 1 {
                folds(at: 1, speed: speed)
                folds(at: scale, speed: 1)
            }
        }
        var byScale = [Int: CoarseFrames]()
        func whitened(_ scale: Double) -> CoarseFrames {
            if let built = byScale[key(scale)] { return built }
            let slowest = slowestAt[key(scale)]!
            let reach = min(cells, spectrum.cellCount(speed: slowest, phase: 0))
            let frames = lastPhase + Int((Double(reach * ClipSpectrum.framesPerCell) / slowest).rounded(.up)) + 1
            let built = spectrum.coarseFrames(scale: scale, frames: frames)
            byScale[key(scale)] = built
            return built
        }
        func count(_ speed: Double, _ phase: Int) -> Int { min(cells, spectrum.cellCount(speed: speed, phase: phase)) }
        var folds = [CellFold]()
        for speed in chosen {
            let scale = ClipSpectrum.coarseScale(for: speed)
            folds += phases.map { whitened(scale).fold(speed: speed, phase: $0, cellCount: count(speed, $0)) }
            // A tempo change that kept the pitch: time at this speed, band edges at speed 1 (the
            // same frames as speed 1's wherever those are within the scale step). Half the phases.
            if pitchLines, scale != 1 {
                folds += tempoPhases.map {
                    var fold = whitened(1).fold(speed: speed, phase: $0, cellCount: count(speed, $0))
                    fold.pitch = 1
                    return fold
                }
            }
        }
        // A pitch shift that kept the tempo: time at speed 1, band edges at every other scale.
        if pitchLines {
            let scales = Set(chosen.map { ClipSpectrum.coarseScale(for: $0) }).filter { $0 != 1 }.sorted()
            for scale in scales {
                folds += phases.map {
                    var fold = whitened(scale).fold(speed: 1, phase: $0, cellCount: count(1, $0))
                    fold.pitch = scale
                    return fold
                }
            }
        }
        return folds
    }

    /// The pilot's normalised correlation with `fold` at every block offset o (the clip's first cell
    /// is block cell o): about N(0, 1) without the mark.
    static func scores(_ fold: CellFold, codebook: AudioMarkCodebook) -> [Float] {
        var raw = [Float](repeating: 0, count: AudioLayout.blockCells)
        guard fold.energy > 0 else { return raw }
        let norm = (fold.energy * codebook.pilotEnergy / Float(AudioLayout.chipCount)).squareRoot()
        if let spectrum = fold.spectrum {
            return PilotSpectrum.scores(fold: spectrum, pilot: codebook.pilotSpectrum).map { $0 / norm }
        }
        let bands = AudioLayout.bandCount, cells = AudioLayout.blockCells
        // Band-major, each band's 64 cells time-reversed and twice, so that every offset reads a
        // contiguous run forwards: pilot chip (cell f, band b) at offset o reads cell f − o, at
        // b · 128 + 63 − f + o (``AudioMarkCodebook/pilotBases``), and the inner loop vectorises.
        var extended = [Float](repeating: 0, count: bands * 2 * cells)
        for i in 0..<cells {
            for b in 0..<bands {
                let v = fold.values[(cells - 1 - i) * bands + b]
                extended[b * 2 * cells + i] = v
                extended[b * 2 * cells + cells + i] = v
            }
        }
        extended.withUnsafeBufferPointer { e in
            raw.withUnsafeMutableBufferPointer { r in
                codebook.chips.pilotWeights.withUnsafeBufferPointer { g in
                    codebook.pilotBases.withUnsafeBufferPointer { bases in
                        for k in 0..<g.count {
                            let w = g[k]
                            let base = bases[k]
                            for o in 0..<cells { r[o] += w * e[base + o] }
                        }
                    }
                }
            }
        }
        return raw.map { $0 / norm }
    }

    /// Indices of the `count` largest values, largest first (ties: the lower index first).
    static func topIndices(_ z: [Float], count: Int) -> [Int] {
        var top = [Int]()
        for i in z.indices {
            guard top.count < count || z[i] > z[top[top.count - 1]] else { continue }
            var at = top.count
            while at > 0, z[i] > z[top[at - 1]] { at -= 1 }
            top.insert(i, at: at)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// The best distinct coarse alignments.
    static func coarseCandidates(_ folds: [CellFold], codebook: AudioMarkCodebook) -> [AudioAlignment] {
        var all = [AudioAlignment]()
        for fold in folds {
            let z = scores(fold, codebook: codebook)
            for o in topIndices(z, count: offsetsPerFold) {
                all.append(AudioAlignment(speed: fold.speed, phase: fold.phase, offset: o, score: z[o], pitch: fold.pitch))
            }
        }
        return distinctBest(all, count: refinedCandidates)
    }

    /// The `count` best alignments, none within a cell of a better one.
    static func distinctBest(_ alignments: [AudioAlignment], count: Int) -> [AudioAlignment] {
        var kept = [AudioAlignment]()
        for candidate in alignments.sorted(by: { $0.score > $1.score }) {
            if kept.allSatisfy({ !$0.isClose(to: candidate) }) {
                kept.append(candidate)
                if kept.count == count { break }
            }
        }
        return kept
    }

    /// The whole-clip fold at (speed, phase, half hop) and the alignment the pilot scores best
    /// there among `offset` and its two neighbours.
    static func evaluate(_ speed: Double, _ phase: Int, near offset: Int, halfHop: Bool = false, cellLimit: Int = .max,
                         pitch: Double? = nil, analysis: AudioAnalysis, codebook: AudioMarkCodebook) -> (AudioAlignment, CellFold) {
        let fold = analysis.fold(speed: speed, phase: phase, halfHop: halfHop, cellLimit: cellLimit, pitch: pitch)
        let z = scores(fold, codebook: codebook)
        var best = offset
        for o in [offset - 1, offset + 1] {
            let wrapped = (o + AudioLayout.blockCells) % AudioLayout.blockCells
            if z[wrapped] > z[best] { best = wrapped }
        }
        return (AudioAlignment(speed: speed, phase: phase, offset: best, score: z[best], halfHop: halfHop,
                               pitch: pitch), fold)
    }

    /// Refinement looks at this much of a long clip first (cells from its start): all candidates
    /// are refined there, and only the ones tested go on over the whole clip.
    static let refinePrefixCells = Int(30.0 * Double(AudioLayout.sampleRate) / Double(AudioLayout.cellLength))

    /// `candidate` refined (on the fine-frame grid) over the first `cellLimit` cells of the
    /// analysed clip, with the fold at the refined alignment, and the speed step it stopped at:
    /// the speed by halving steps from ``firstRefineStep`` until the drift over those cells is
    /// under ⅛ cell, then the neighbouring phases. A candidate refined over a prefix is carried on
    /// over the whole clip by refining it again, `continuingFrom` the step returned.
    static func refine(_ candidate: AudioAlignment, analysis: AudioAnalysis, codebook: AudioMarkCodebook,
                       cellLimit: Int = .max, continuingFrom previousStep: Double? = nil) -> (AudioAlignment, CellFold, step: Double) {
        let spectrum = analysis.spectrum
        var pitch = candidate.pitch
        func evaluate(_ speed: Double, _ phase: Int, near offset: Int) -> (AudioAlignment, CellFold) {
            Self.evaluate(speed, phase, near: offset, cellLimit: cellLimit, pitch: pitch,
                          analysis: analysis, codebook: codebook)
        }
        var current = evaluate(candidate.speed, candidate.phase, near: candidate.offset)
        var step = previousStep ?? firstRefineStep
        if candidate.isPitchShift, previousStep == nil {
            // A pitch shift's frequency scale came from the coarse frames' band-edge scales
            // (within half a step): refined by halving, at the candidate's speed, before the speed.
            var pitchStep = ClipSpectrum.coarseScaleStep / 4
            while pitchStep > finestPitchStep {
                let here = current.0
                for trial in [here.pitch! - pitchStep, here.pitch! + pitchStep] {
                    pitch = trial
                    let result = evaluate(here.speed, here.phase, near: here.offset)
                    if result.0.score > current.0.score { current = result }
                }
                pitch = current.0.pitch
                pitchStep /= 2
            }
        }
        if analysis.isPartial || candidate.pitch == 1, previousStep == nil {
            // Segments', side views' and the tempo line's coarse search skipped the odd phases
            // (segments and side views every other speed too): try those phases before the
            // speed, and for a partial view start the speed a step wider.
            for phase in [candidate.phase - 1, candidate.phase + 1] {
                let trial = evaluate(candidate.speed, phase, near: candidate.offset)
                if trial.0.score > current.0.score { current = trial }
            }
            if analysis.isPartial { step *= 2 }
        }
        let cells = max(1, min(cellLimit, spectrum.cellCount(speed: candidate.speed, phase: candidate.phase)))
        let finest = 1 / (8 * Double(cells))
        while step > finest {
            let here = current.0
            for speed in [here.speed - step, here.speed + step] {
                let trial = evaluate(speed, here.phase, near: here.offset)
                if trial.0.score > current.0.score { current = trial }
            }
            step /= 2
        }
        let here = current.0
        for phase in [here.phase - 1, here.phase + 1] {
            let trial = evaluate(here.speed, phase, near: here.offset)
            if trial.0.score > current.0.score { current = trial }
        }
        return (current.0, current.1, step)
    }

    /// The twin of a refined alignment half a fine frame (64 samples) off the frame grid, on the
    /// side the pilot prefers: the frames at 128·(phase − 1) + 64 or 128·phase + 64 samples.
    ///
    /// The detector reads both for the payload: a cut half a hop off the grid loses up to 28 % of
    /// its χ² excess on the grid, but the pilot alone is too noisy to choose between alignments 64
    /// samples apart (it picked the wrong one for whole, on-grid files), so both are read and the
    /// stated probability pays a factor 2.
    static func halfHopTwin(of alignment: AudioAlignment, analysis: AudioAnalysis, codebook: AudioMarkCodebook) -> (AudioAlignment, CellFold) {
        let before = evaluate(alignment.speed, alignment.phase - 1, near: alignment.offset, halfHop: true,
                              pitch: alignment.pitch,
                              analysis: analysis, codebook: codebook)
        let after = evaluate(alignment.speed, alignment.phase, near: alignment.offset, halfHop: true,
                             pitch: alignment.pitch,
                             analysis: analysis, codebook: codebook)
        return after.0.score > before.0.score ? after : before
    }
}

/// Where the block lies in a clip: replay speed, fine phase and block offset, with the pilot's score.
struct AudioAlignment: Sendable {
    /// Replay speed of the clip against the marked original (1.02: 2 % faster, pitch 2 % higher).
    var speed: Double
    /// Fine frame (128 internal samples) the clip's first cell starts at.
    var phase: Int
    /// Block cell the clip's first cell is.
    var offset: Int
    /// The pilot's normalised correlation.
    var score: Float
    /// Whether the cells start half a fine frame (64 internal samples) after `phase`'s frame.
    var halfHop = false
    /// The frequency scale of the clip against the original when it is not `speed` (nil: the
    /// clip was resampled, time and frequency scaled together): 1 for a tempo change that kept
    /// the pitch (time-stretch), the factor of a pitch shift that kept the tempo (`speed` 1).
    var pitch: Double?
    /// Whether this is a pitch shift's alignment: its frequency scale is refined, not its speed.
    var isPitchShift: Bool { pitch.map { $0 != 1 } ?? false }

    /// Internal-rate sample of the clip where a block starts (the first at or after the phase).
    var blockStart: Double {
        let firstCell = (AudioLayout.blockCells - offset) % AudioLayout.blockCells
        return Double(phase * ClipSpectrum.hop + (halfHop ? ClipSpectrum.hop / 2 : 0))
            + Double(firstCell * AudioLayout.cellLength) / speed
    }

    /// Block period in the clip, internal samples.
    var blockPeriod: Double { Double(AudioLayout.blockLength) / speed }

    /// The same speed, frame, half-hop flag and block offset.
    func isSame(as other: AudioAlignment) -> Bool {
        speed == other.speed && phase == other.phase && halfHop == other.halfHop && offset == other.offset
            && pitch == other.pitch
    }

    func isClose(to other: AudioAlignment) -> Bool {
        let period = blockPeriod
        var d = (blockStart - other.blockStart).truncatingRemainder(dividingBy: period)
        if d < 0 { d += period }
        return min(d, period - d) < Double(AudioLayout.cellLength)
    }
}
