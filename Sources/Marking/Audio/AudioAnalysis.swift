import Foundation
import Media
import Spectral
import Synchronization

/// The key-independent part of detecting the audio mark in one clip: the clip's short-time power
/// spectrum at the internal rate and the folds of the coarse synchronisation search. Built once per
/// clip, it serves any number of keys (``AudioDetector/detect(_:options:)-(AudioAnalysis,_)``), so
/// checking a clip against many keys costs little more than against one.
///
/// ```
///  fine frames: 512-sample Hann windows every 128 samples (4 per cell)
///  a cell at speed s, phase φ:  relative cell j ↔ fine frame  t_j = φ + round(4 j / s)
///  band b at speed s:           bins (edge_b − ½)·s … (edge_{b+1} − ½)·s, fractional bins
///                               read from a cumulative power spectrum
/// ```
public final class AudioAnalysis: Sendable {
    /// At most this much of a clip is analysed, seconds: enough evidence for any attack the mark
    /// survives, and the cost stays bounded for long files.
    public static let maximumAnalysedDuration = 120.0

    /// Duration of the clip, seconds (all of it, not only the analysed part).
    public let duration: Double
    /// Where this analysis starts in the recording, seconds: a chunk's start (``AudioChunks``), plus
    /// a segment's start within it (``segments``).
    let start: Double
    /// Chunks the recording is read in (``AudioChunks``): the stated probability is charged for
    /// all of them.
    let chunkCount: Int
    let spectrum: ClipSpectrum
    /// The same clip from internal sample ``ClipSpectrum/hop``/2 on: its fine frames fall halfway
    /// between ``spectrum``'s, so that refinement can align cells to 64 samples instead of 128. A
    /// clip cut half a hop off the grid loses up to 28 % of its χ² excess otherwise (measured on
    /// a 14.3-s excerpt of speech: χ² 470 on the grid, 410 at 64 samples off).
    let halfHopSpectrum: ClipSpectrum
    /// The coarse search's folds, one per (speed, phase).
    let coarse: [CellFold]
    /// Whole-clip folds already computed by refinements, by (speed in 1e-7 steps, phase): they
    /// depend on the clip only, so every key checked against this clip shares them.
    private let refinedFolds = Mutex<[FoldKey: CellFold]>([:])

    /// Replay speeds searched.
    let speeds: AudioSpeedSearch
    /// Whether this is a segment or the side view of a clip (not searched by segments again; its
    /// coarse search is thinner, see ``segmentCoarsePhases``).
    let isPartial: Bool
    /// ``segments``, once built.
    let segmentAnalyses = Mutex<[AudioAnalysis]?>(nil)
    /// The side signal at the internal rate when the clip is read in it too (see ``sideView``).
    let sideSamples: [Float]?
    /// ``sideView``, once built.
    let sideAnalysis = Mutex<AudioAnalysis?>(nil)

    /// The part of `whole` from internal sample `first` (a multiple of the fine hop), `length`
    /// samples long, as if it had been analysed on its own. Its coarse search looks at its first
    /// 15 s — the next segment's start — or, for the last segment, at all of it: every 15-s stretch
    /// of the clip is then some segment's coarse region or inside the last one.
    init(segmentOf whole: AudioAnalysis, first: Int, length: Int, isLast: Bool) {
        let rate = Double(AudioLayout.sampleRate)
        duration = Double(length) / rate
        start = whole.start + Double(first) / rate
        chunkCount = whole.chunkCount
        speeds = whole.speeds
        isPartial = true
        sideSamples = nil
        let frame = first / ClipSpectrum.hop
        spectrum = ClipSpectrum(slicing: whole.spectrum, fromFrame: frame, sampleCount: length)
        halfHopSpectrum = ClipSpectrum(slicing: whole.halfHopSpectrum, fromFrame: frame,
                                       sampleCount: length - ClipSpectrum.hop / 2)
        coarse = Self.partialCoarseFolds(spectrum, speeds: speeds, cells: isLast ? .max : Self.segmentCoarseCells)
    }

    /// Whole-clip folds computed so far (what detection has cost beyond the coarse search).
    var refinedFoldCount: Int { refinedFolds.withLock { $0.count } }

    struct FoldKey: Hashable {
        var speed: Int
        var phase: Int
        var halfHop: Bool
        var cellLimit: Int
        var pitch: Int
    }

    /// Analyses `audio` (any rate and channel count; the mono mix is used), searching replay speeds
    /// in `speeds`.
    /// - Complexity: O(n) to resample, O(n log N) for the spectrum, plus the coarse search:
    ///   every fine frame of at most the first 20 s whitened once per band-edge scale (8 for
    ///   ``AudioSpeedSearch/standard``), then 226 speeds (416 for ``AudioSpeedSearch/wide``) × 4
    ///   phases gathered from them, and the tempo line (see ``CoarseFrames``).
    public convenience init(_ audio: AudioBuffer, speeds: AudioSpeedSearch = .standard) {
        var limited = audio
        let maximumFrames = Int(Self.maximumAnalysedDuration * Double(audio.sampleRate))
        if audio.frameCount > maximumFrames {
            limited.channels = audio.channels.map { Array($0[0..<maximumFrames]) }
        }
        self.init(internalSamples: InternalSignal.internalMix(limited), side: InternalSignal.internalSide(limited, seconds: Self.sideViewDuration),
                  duration: audio.duration, speeds: speeds)
    }

    /// Analyses one chunk of a long recording (see ``AudioChunks``): `chunk` starts `start`
    /// seconds into it, and the recording has `chunkCount` chunks in all. Detection on this
    /// analysis states probabilities for the whole recording and block offsets in it.
    public convenience init(chunk: AudioBuffer, start: Double, of chunkCount: Int, speeds: AudioSpeedSearch = .standard) {
        self.init(internalSamples: InternalSignal.internalMix(chunk), side: InternalSignal.internalSide(chunk, seconds: Self.sideViewDuration),
                  duration: chunk.duration, start: start, chunkCount: chunkCount, speeds: speeds)
    }

    /// Analyses a mono signal already at the internal rate (16 kHz); `side`, if given, is read as
    /// a second view when the mark is not found in `x` (``sideView``). With `partialCoarseCells`
    /// it is a partial view (``sideView``): a segment's thinner coarse search over that many
    /// cells, no segments and no side of its own.
    init(internalSamples x: [Float], side: [Float]? = nil, duration: Double? = nil, start: Double = 0,
         chunkCount: Int = 1, speeds: AudioSpeedSearch = .standard, partialCoarseCells: Int? = nil) {
        sideSamples = partialCoarseCells == nil ? side : nil
        isPartial = partialCoarseCells != nil
        self.duration = duration ?? Double(x.count) / Double(AudioLayout.sampleRate)
        self.start = start
        self.chunkCount = chunkCount
        self.speeds = speeds
        spectrum = ClipSpectrum(x, fastestSpeed: speeds.range.upperBound)
        halfHopSpectrum = ClipSpectrum(Array(x.dropFirst(ClipSpectrum.hop / 2)), fastestSpeed: speeds.range.upperBound)
        if let partialCoarseCells {
            coarse = Self.partialCoarseFolds(spectrum, speeds: speeds, cells: partialCoarseCells)
        } else {
            coarse = AudioSync.coarseFolds(spectrum, speeds: speeds)
        }
    }

    /// The coarse folds of a segment or side view: phases 0 and 2, every other speed, resampled
    /// speeds only (see ``segmentCoarsePhases``).
    static func partialCoarseFolds(_ spectrum: ClipSpectrum, speeds: AudioSpeedSearch, cells: Int) -> [CellFold] {
        AudioSync.coarseFolds(spectrum, speeds: speeds, phases: segmentCoarsePhases, cells: cells,
                              speedStride: segmentCoarseSpeedStride, pitchLines: false)
    }

    /// The whole-clip fold at (speed, phase), computed once; with `halfHop`, from the fine frames
    /// half a hop later (``halfHopSpectrum``).
    func fold(speed: Double, phase: Int, halfHop: Bool = false, cellLimit: Int = .max, pitch: Double? = nil) -> CellFold {
        let key = FoldKey(speed: Int((speed * 1e7).rounded()), phase: phase, halfHop: halfHop, cellLimit: cellLimit,
                          pitch: pitch.map { Int(($0 * 1e7).rounded()) } ?? -1)
        if let cached = refinedFolds.withLock({ $0[key] }) { return cached }
        let fold = (halfHop ? halfHopSpectrum : spectrum).fold(speed: speed, phase: phase, cellLimit: cellLimit,
                                                               pitch: pitch)
        refinedFolds.withLock { $0[key] = fold }
        return fold
    }
}

/// The clip's short-time power spectrum at the internal rate, as cumulative sums over bins so that
/// band powers at any speed (scaled band edges) cost two reads each.
///
/// ```
///  fine frames: 512-sample Hann windows every 128 samples (4 per cell)
///  a cell at speed s, phase φ:  relative cell j ↔ fine frame  t_j = φ + round(4 j / s)
///  band b at speed s:           bins (edge_b − ½)·s … (edge_{b+1} − ½)·s, fractional bins
/// ```
struct ClipSpectrum: Sendable {
    /// Fine-frame hop at the internal rate (a quarter cell).
    static let hop = 128
    static let framesPerCell = AudioLayout.cellLength / hop
    /// Power is kept for bins below this: 7000 Hz × the fastest speed searched, plus margin, at
    /// most the FFT's 257 bins (which the standard search, up to 1.25, reaches at 1.14).
    let binLimit: Int
    /// Values per fine frame in ``prefix``.
    var stride: Int { binLimit + 1 }

    /// Internal-rate samples analysed.
    let sampleCount: Int
    /// Fine frames.
    let frameCount: Int
    /// Cumulative power over FFT bins: `prefix[t · stride + k]` = Σ_{i<k} |X_t(i)|².
    /// A slice: a segment's spectrum shares its clip's storage instead of copying it.
    let prefix: ArraySlice<Double>
    /// Per band: a noise-floor estimate (5th percentile of cell power) and the clip's band plan.
    let noiseFloor: [Float]
    let bandWeights: [Float]
    /// Per band: the power below which a cell is treated as carrying no mark — the larger of the
    /// embedder's silence gate (−50 dB under the strongest band's mean level) and a few times the
    /// noise floor.
    let gateFloor: [Float]

    /// The spectrum of `x`. With `evenFramesOnly`, the odd fine frames are left empty (half the
    /// transforms): enough for a fold at speed 1 and an even phase, whose cell centres and
    /// boundaries are all even frames, and for the band statistics (every fourth frame) — the
    /// embedder's evidence check at the mark's own alignment.
    init(_ x: [Float], fastestSpeed: Double = AudioSpeedSearch.standard.range.upperBound, evenFramesOnly: Bool = false) {
        sampleCount = x.count
        let frames = x.count >= AudioLayout.fftSize ? (x.count - AudioLayout.fftSize) / Self.hop + 1 : 0
        frameCount = frames
        let highest = (AudioLayout.highestFrequency * fastestSpeed / AudioLayout.binWidth).rounded(.up)
        binLimit = min(AudioLayout.fftSize / 2 + 1, Int(highest) + 3)
        prefix = Self.cumulativePower(x, frames: frames, binLimit: binLimit, frameStride: evenFramesOnly ? 2 : 1)[...]
        (noiseFloor, bandWeights, gateFloor) = Self.bandStatistics(prefix: prefix, frames: frames, stride: binLimit + 1)
    }

    /// The fine frames of `whole` that `sampleCount` samples from its frame `first` on would give,
    /// with their own band statistics: the spectrum of that stretch of the clip, without a
    /// transform.
    init(slicing whole: ClipSpectrum, fromFrame first: Int, sampleCount: Int) {
        self.sampleCount = sampleCount
        let frames = min(sampleCount >= AudioLayout.fftSize ? (sampleCount - AudioLayout.fftSize) / Self.hop + 1 : 0,
                         max(0, whole.frameCount - first))
        frameCount = frames
        binLimit = whole.binLimit
        let stride = whole.stride
        let base = whole.prefix.startIndex
        prefix = whole.prefix[(base + first * stride)..<(base + (first + frames) * stride)]
        (noiseFloor, bandWeights, gateFloor) = Self.bandStatistics(prefix: prefix, frames: frames, stride: stride)
    }

    /// Number of whole cells at `speed` starting from fine frame `phase`.
    func cellCount(speed: Double, phase: Int) -> Int {
        guard frameCount > phase else { return 0 }
        return Int((Double(frameCount - 1 - phase) * speed / Double(Self.framesPerCell)).rounded(.down)) + 1
    }

    static let window: [Float] = Window.hann(count: AudioLayout.fftSize)

    static func cumulativePower(_ x: [Float], frames: Int, binLimit: Int, frameStride: Int = 1) -> [Double] {
        let stride = binLimit + 1
        let size = AudioLayout.fftSize
        var prefix = [Double](repeating: 0, count: frames * stride)
        let fft = RealFFT.shared(shape: [size])
        let frame = AlignedFloatBuffer(count: size)
        let spectrum = AlignedComplexBuffer(count: fft.spectrumCount)
        var power = [Float](repeating: 0, count: binLimit)
        // Raw pointers throughout: with buffer subscripts (and the static window's) the windowing
        // and the bins' power did not vectorise. The running sum stays in Double: a quiet top
        // band is a small difference of large sums.
        x.withUnsafeBufferPointer { samples in
            window.withUnsafeBufferPointer { window in
                prefix.withUnsafeMutableBufferPointer { out in
                    power.withUnsafeMutableBufferPointer { power in
                        let w = window.baseAddress!, p = power.baseAddress!
                        for t in Swift.stride(from: 0, to: frames, by: frameStride) {
                            let source = samples.baseAddress! + t * hop
                            frame.withUnsafeMutableBufferPointer { f in
                                let f = f.baseAddress!
                                for i in 0..<size { f[i] = source[i] * w[i] }
                            }
                            fft.forward(frame, into: spectrum)
                            spectrum.withUnsafeBufferPointer { s in
                                let s = s.baseAddress!
                                for k in 0..<binLimit { p[k] = s[k].re * s[k].re + s[k].im * s[k].im }
                            }
                            let row = out.baseAddress! + t * stride
                            var sum = 0.0
                            for k in 0..<binLimit {
                                sum += Double(p[k])
                                row[k + 1] = sum
                            }
                        }
                    }
                }
            }
        }
        return prefix
    }

    /// Where band edges fall at a speed: fractional bin positions, as (index, fraction) into the
    /// cumulative spectrum.
    struct Edges {
        var index: [Int]
        var fraction: [Double]

        init(speed: Double, binLimit: Int) {
            index = []
            fraction = []
            for edge in AudioLayout.bandBinEdges {
                // Bin k covers [k − ½, k + ½); a boundary between bins scales with the speed.
                let position = min(Double(binLimit) - 1, (Double(edge) - 0.5) * speed + 0.5)
                let k = Int(position.rounded(.down))
                index.append(k)
                fraction.append(position - Double(k))
            }
        }
    }

    /// The 24 band powers of fine frame `t` at the edges given.
    @inline(__always)
    func bandPowers(frame t: Int, edges: Edges, into out: UnsafeMutablePointer<Float>) {
        prefix.withUnsafeBufferPointer { p in
            let base = t * stride
            var previous = 0.0
            for e in 0...AudioLayout.bandCount {
                let k = edges.index[e]
                let lower = p[base + k]
                let value = lower + edges.fraction[e] * (p[base + k + 1] - lower)
                if e > 0 { out[e - 1] = Float(max(0, value - previous)) }
                previous = value
            }
        }
    }

    static let noiseGateFactor: Float = 3

    static func bandStatistics(prefix: ArraySlice<Double>, frames: Int, stride: Int) -> (floor: [Float], weights: [Float], gate: [Float]) {
        let bands = AudioLayout.bandCount
        let edges = AudioLayout.bandBinEdges
        var perBand = [[Float]](repeating: [], count: bands)
        var density = [Double](repeating: 0, count: bands)
        prefix.withUnsafeBufferPointer { prefix in
            for t in Swift.stride(from: 0, to: frames, by: framesPerCell) {
                let base = t * stride
                for b in 0..<bands {
                    let power = max(0, prefix[base + edges[b + 1]] - prefix[base + edges[b]])
                    perBand[b].append(Float(power))
                    density[b] += power / Double(edges[b + 1] - edges[b])
                }
            }
        }
        let plan = AudioBandPlan(density: density)
        var floor = [Float](repeating: 1e-12, count: bands)
        // The embedder's silence gate, seen from the clip: band loud level (90th percentile of cell
        // power) −50 dB, the loudest band's −80 dB; and at least a few times the noise floor.
        var loud = [Float](repeating: 0, count: bands)
        for b in 0..<bands where !perBand[b].isEmpty {
            let sorted = perBand[b].sorted()
            let mean = sorted.reduce(0, +) / Float(sorted.count)
            floor[b] = max(sorted[sorted.count / 20], mean * 1e-6, 1e-12)
            loud[b] = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
        }
        var strongest: Float = 0
        for b in 0..<bands { strongest = max(strongest, loud[b] / Float(edges[b + 1] - edges[b])) }
        var gate = [Float](repeating: 0, count: bands)
        for b in 0..<bands {
            let width = Float(edges[b + 1] - edges[b])
            let deep: Float = strongest * width * AudioMarkSynthesis.deepSilenceFloor
            gate[b] = max(noiseGateFactor * floor[b], loud[b] * AudioMarkSynthesis.silenceFloor, deep)
        }
        return (floor, plan.weights, gate)
    }
}

/// One fold: the whitened, weighted cells of a clip at one (speed, phase), summed modulo the block
/// length into 64 × 24 values (index `(j mod 64) · 24 + band` for relative cell j).
struct CellFold: Sendable {
    var speed: Double
    var phase: Int
    /// Empty for the coarse search's folds, which keep only their ``spectrum``.
    var values: [Float]
    /// Σ values², for normalising scores.
    var energy: Float
    /// Cells that went into it.
    var cells: Int
    /// The values' 2-D transform (``PilotSpectrum``), for folds scored under many keys: the
    /// coarse search's.
    var spectrum: [ComplexFloat]?
    /// The frequency scale folded at when it is not the speed (see ``AudioAlignment/pitch``).
    var pitch: Double?

    init(speed: Double, phase: Int, values: [Float], energy: Float, cells: Int, spectrum: [ComplexFloat]? = nil) {
        self.speed = speed
        self.phase = phase
        self.values = values
        self.energy = energy
        self.cells = cells
        self.spectrum = spectrum
    }

    /// The fold of cell values (`cells` × bands, relative cell j in row j): row j is summed into
    /// block cell j mod 64.
    init(speed: Double, phase: Int, summing cells: [Float], present: [Bool]) {
        let bands = AudioLayout.bandCount
        var values = [Float](repeating: 0, count: AudioLayout.chipCount)
        values.withUnsafeMutableBufferPointer { values in
            cells.withUnsafeBufferPointer { cells in
                for j in present.indices where present[j] {
                    let base = values.baseAddress! + (j & (AudioLayout.blockCells - 1)) * bands
                    let row = cells.baseAddress! + j * bands
                    for b in 0..<bands { base[b] += row[b] }
                }
            }
        }
        self.init(speed: speed, phase: phase, values: values, energy: values.reduce(0) { $0 + $1 * $1 },
                  cells: present.reduce(0) { $0 + ($1 ? 1 : 0) })
    }
}
