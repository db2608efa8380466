import Foundation
import Media
import Spectral

/// The clip's short-time power spectrum at the internal rate, per FFT bin, so that band powers at
/// any speed (scaled band edges, fractional bins) are sums over a row.
///
/// ```
///  fine frames: 512-sample Hann windows every 128 samples (4 per cell)
///  a cell at speed s, phase φ:  relative cell j ↔ fine frame  t_j = φ + round(4 j / s)
///  band b at speed s:           bins (edge_b − ½)·s … (edge_{b+1} − ½)·s, fractional bins
/// ```
///
/// Rows of Float bin powers, not cumulative sums: a band's power is then summed from its own few
/// bins, as exact in Float as the powers themselves, where a difference of cumulative sums needs
/// Double (a quiet top band is a small difference of large sums). Half the bytes per frame, read
/// front to back: a fold reads two frames of every four, and with 2-KB rows of Double sums read
/// at 33 edges its band powers waited on memory most of the time (an unmarked 3-min recording
/// holds two 120-s chunks of two 31-MB spectra).
struct ClipSpectrum: Sendable {
    /// Fine-frame hop at the internal rate (a quarter cell).
    static let hop = 128
    static let framesPerCell = AudioLayout.cellLength / hop
    /// Power is kept for bins below this: 7000 Hz × the fastest speed searched, plus margin, at
    /// most the FFT's 257 bins (which the standard search, up to 1.25, reaches at 1.14).
    let binLimit: Int
    /// Values per fine frame in ``power``.
    var stride: Int { binLimit }

    /// Internal-rate samples analysed.
    let sampleCount: Int
    /// Fine frames.
    let frameCount: Int
    /// Power per FFT bin: `power[t · stride + k]` = |X_t(k)|², k < ``binLimit``.
    /// A slice: a segment's spectrum shares its clip's storage instead of copying it.
    let power: ArraySlice<Float>
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
        power = Self.binPower(x, frames: frames, binLimit: binLimit, frameStride: evenFramesOnly ? 2 : 1)[...]
        (noiseFloor, bandWeights, gateFloor) = Self.bandStatistics(power: power, frames: frames, stride: binLimit)
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
        let base = whole.power.startIndex
        power = whole.power[(base + first * stride)..<(base + (first + frames) * stride)]
        (noiseFloor, bandWeights, gateFloor) = Self.bandStatistics(power: power, frames: frames, stride: stride)
    }

    /// Number of whole cells at `speed` starting from fine frame `phase`.
    func cellCount(speed: Double, phase: Int) -> Int {
        guard frameCount > phase else { return 0 }
        return Int((Double(frameCount - 1 - phase) * speed / Double(Self.framesPerCell)).rounded(.down)) + 1
    }

    static let window: [Float] = Window.hann(count: AudioLayout.fftSize)

    /// Bin powers of every `frameStride`-th fine frame of `x` (the others zero).
    static func binPower(_ x: [Float], frames: Int, binLimit: Int, frameStride: Int = 1) -> [Float] {
        let size = AudioLayout.fftSize
        let count = frames * binLimit
        // Every row is written below unless frames are skipped: no zero fill (and no page touched
        // twice) for a 15-MB spectrum.
        var power = frameStride == 1
            ? [Float](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
            : [Float](repeating: 0, count: count)
        let fft = RealFFT.shared(shape: [size])
        let frame = AlignedFloatBuffer(count: size)
        let spectrum = AlignedComplexBuffer(count: fft.spectrumCount)
        // Raw pointers throughout: with buffer subscripts (and the static window's) the windowing
        // and the bins' power did not vectorise.
        x.withUnsafeBufferPointer { samples in
            window.withUnsafeBufferPointer { window in
                power.withUnsafeMutableBufferPointer { out in
                    let w = window.baseAddress!
                    for t in Swift.stride(from: 0, to: frames, by: frameStride) {
                        let source = samples.baseAddress! + t * hop
                        frame.withUnsafeMutableBufferPointer { f in
                            let f = f.baseAddress!
                            for i in 0..<size { f[i] = source[i] * w[i] }
                        }
                        fft.forward(frame, into: spectrum)
                        spectrum.withUnsafeBufferPointer { s in
                            let s = s.baseAddress!, row = out.baseAddress! + t * binLimit
                            for k in 0..<binLimit { row[k] = s[k].re * s[k].re + s[k].im * s[k].im }
                        }
                    }
                }
            }
        }
        return power
    }

    /// Where band edges fall at a speed: fractional bin positions, as (index, fraction) into a
    /// row of bin powers — edge e splits bin `index[e]` at `fraction[e]` of its width.
    struct Edges {
        var index: [Int]
        var fraction: [Float]

        init(speed: Double, binLimit: Int) {
            index = []
            fraction = []
            for edge in AudioLayout.bandBinEdges {
                // Bin k covers [k − ½, k + ½); a boundary between bins scales with the speed.
                let position = min(Double(binLimit) - 1, (Double(edge) - 0.5) * speed + 0.5)
                let k = Int(position.rounded(.down))
                index.append(k)
                fraction.append(Float(position - Double(k)))
            }
        }
    }

    /// The 32 band powers of one fine frame's `row` of bin powers at the edges given (as pointers
    /// to ``Edges``' arrays): band b is bins index[b] … index[b+1] − 1, plus the part of bin
    /// index[b+1] below its edge, minus the part of bin index[b] below the band's lower edge.
    @inline(__always)
    static func bandPowers(row: UnsafePointer<Float>, edgeIndex: UnsafePointer<Int>, edgeFraction: UnsafePointer<Float>,
                           into out: UnsafeMutablePointer<Float>) {
        var k = edgeIndex[0]
        var below = edgeFraction[0] * row[k]
        for b in 0..<AudioLayout.bandCount {
            let end = edgeIndex[b + 1]
            var sum: Float = 0
            while k < end {
                sum += row[k]
                k += 1
            }
            let upper = edgeFraction[b + 1] * row[end]
            out[b] = max(0, sum + upper - below)
            below = upper
        }
    }

    static let noiseGateFactor: Float = 3

    static func bandStatistics(power: ArraySlice<Float>, frames: Int, stride: Int) -> (floor: [Float], weights: [Float], gate: [Float]) {
        let bands = AudioLayout.bandCount
        let edges = AudioLayout.bandBinEdges
        var perBand = [[Float]](repeating: [], count: bands)
        var density = [Double](repeating: 0, count: bands)
        power.withUnsafeBufferPointer { power in
            for t in Swift.stride(from: 0, to: frames, by: framesPerCell) {
                let row = power.baseAddress! + t * stride
                for b in 0..<bands {
                    var sum = 0.0
                    for k in edges[b]..<edges[b + 1] { sum += Double(row[k]) }
                    perBand[b].append(Float(sum))
                    density[b] += sum / Double(edges[b + 1] - edges[b])
                }
            }
        }
        let plan = AudioBandPlan(density: density)
        var floor = [Float](repeating: 1e-12, count: bands)
        // The embedder's silence gate, seen from the clip: band loud level (90th percentile of cell
        // power) −50 dB, the loudest band's −80 dB; and at least a few times the noise floor.
        var loud = [Float](repeating: 0, count: bands)
        for b in 0..<bands where !perBand[b].isEmpty {
            let count = perBand[b].count
            let mean = perBand[b].reduce(0, +) / Float(count)
            // Two order statistics by selection, not a sort: a 120-s chunk and each of its segments
            // take these for both spectra, and sorting was a twentieth of an unmarked detection.
            let (low, high) = perBand[b].withUnsafeMutableBufferPointer { cells in
                (Selection.select(cells, rank: count / 20), Selection.select(cells, rank: min(count - 1, count * 9 / 10)))
            }
            floor[b] = max(low, mean * 1e-6, 1e-12)
            loud[b] = high
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
