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
