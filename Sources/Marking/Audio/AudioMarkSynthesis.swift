import Foundation
import Spectral

/// Renders the mark at the internal rate: in every cell and band, the host's own spectrum times
/// the chip's amplitude (times the band plan's weight and a silence gate), by short-time Fourier
/// analysis and overlap-add synthesis.
///
/// ```
///  frames of 512 samples, sine window for analysis and synthesis
///  cell j:            |◀──── 512 ────▶|
///  cell-centred:      ╭──────────────╮            the cell's amplitude scales the band's bins
///  boundary-centred:  ╭──────╮ ╭──────╮           (hop-256 frames between cells) left unchanged
/// ```
/// The change is thus a sin²-shaped swell or dip of each band in each cell, centred where the
/// detector's window looks. Modulating the boundary frames too (with the mean of the two cells)
/// was measured to give 30 % less evidence at equal SNR: they mix two chips.
/// The delta is linear in the amplitudes; the embedder scales it to the wanted level afterwards.
enum AudioMarkSynthesis {
    static let size = AudioLayout.fftSize
    /// sin(π(i + ½)/N): at hop N/2, w²[i] + w²[i + N/2] = 1, so analysis × synthesis would be exact;
    /// only the cell-centred frames are ever modified, so only they are computed.
    static let window: [Float] = (0..<AudioLayout.fftSize).map {
        Float(sin(Double.pi * (Double($0) + 0.5) / Double(AudioLayout.fftSize)))
    }
    /// Cells whose power is this far below their band's loud level, or ``deepSilenceFloor`` below
    /// the loudest band's, get no mark: a smooth gate P / (P + floor) rather than a switch.
    static let silenceFloor: Float = 1e-5  // −50 dB
    static let deepSilenceFloor: Float = 1e-8  // −80 dB

    /// The mark at relative strength 1 (each chip changes its cell's magnitude by its amplitude ×
    /// the band weight), the same length as `host`, and the band plan used.
    /// - Complexity: O(n log N): two FFTs of 512 per 512 samples.
    static func unitMark(host: [Float], amplitudes: [Float]) -> (mark: [Float], plan: AudioBandPlan) {
        let n = host.count
        // One frame per cell: frame j is cell j, [512 j, 512 j + 512).
        let frameCount = (n + size - 1) / size
        let edges = AudioLayout.bandBinEdges
        let lowBin = edges[0], highBin = edges[AudioLayout.bandCount]
        let width = highBin - lowBin
        let bands = AudioLayout.bandCount
        let fft = RealFFT.shared(shape: [size])
        let frame = AlignedFloatBuffer(count: size)
        let spectrum = AlignedComplexBuffer(count: fft.spectrumCount)

        // Pass 1: spectra of the band bins, per-frame band power (per bin), long-term density.
        var stored = [ComplexFloat](repeating: .zero, count: frameCount * width)
        var framePower = [Float](repeating: 0, count: frameCount * bands)
        var density = [Double](repeating: 0, count: bands)
        // Raw pointers in the per-sample and per-bin loops: through buffer subscripts (and the
        // static window's) they did not vectorise, and they were most of the synthesis' time.
        host.withUnsafeBufferPointer { x in
            window.withUnsafeBufferPointer { window in
                stored.withUnsafeMutableBufferPointer { stored in
                    let w = window.baseAddress!
                    for m in 0..<frameCount {
                        let start = m * size
                        let inside = min(size, n - start)  // the last frame runs past the end
                        frame.withUnsafeMutableBufferPointer { f in
                            let f = f.baseAddress!, source = x.baseAddress! + start
                            for i in 0..<inside { f[i] = source[i] * w[i] }
                            for i in inside..<size { f[i] = 0 }
                        }
                        fft.forward(frame, into: spectrum)
                        spectrum.withUnsafeBufferPointer { s in
                            let s = s.baseAddress!
                            (stored.baseAddress! + m * width).update(from: s + lowBin, count: width)
                            for b in 0..<bands {
                                var power: Float = 0
                                for k in edges[b]..<edges[b + 1] { power += s[k].squaredMagnitude }
                                power /= Float(edges[b + 1] - edges[b])
                                framePower[m * bands + b] = power
                                density[b] += Double(power)
                            }
                        }
                    }
                }
            }
        }
        let plan = AudioBandPlan(density: density)
        let loud = loudLevels(framePower, frames: frameCount)
        let reference = loud.max() ?? 0
        let floors = loud.map { max($0 * silenceFloor, reference * deepSilenceFloor) }

        // Pass 2: delta spectrum = host spectrum × amplitude × weight × gate, then overlap-add.
        var mark = [Float](repeating: 0, count: n)
        let scale = 1 / Float(size)
        var gains = [Float](repeating: 0, count: bands)
        mark.withUnsafeMutableBufferPointer { out in
            window.withUnsafeBufferPointer { window in
                stored.withUnsafeBufferPointer { stored in
                    let w = window.baseAddress!
                    for m in 0..<frameCount {
                        for b in 0..<bands {
                            let a = amplitude(amplitudes, cell: m, band: b)
                            let power = framePower[m * bands + b]
                            let gate = power > 0 ? power / (power + floors[b]) : 0
                            gains[b] = a * plan.weights[b] * gate * boost(power: power, loud: reference)
                        }
                        spectrum.withUnsafeMutableBufferPointer { s in
                            let s = s.baseAddress!, row = stored.baseAddress! + m * width - lowBin
                            s.update(repeating: .zero, count: fft.spectrumCount)
                            for b in 0..<bands where gains[b] != 0 {
                                let g = gains[b]
                                for k in edges[b]..<edges[b + 1] { s[k] = row[k] * g }
                            }
                        }
                        fft.inverse(overwriting: spectrum, into: frame)
                        let start = m * size
                        frame.withUnsafeBufferPointer { f in
                            // Frames are cells, laid end to end from sample 0: each adds to its own
                            // samples only (the last one up to the end).
                            let f = f.baseAddress!, target = out.baseAddress! + start
                            for i in 0..<min(size, n - start) { target[i] += f[i] * w[i] * scale }
                        }
                    }
                }
            }
        }
        return (mark, plan)
    }

    /// Cells quieter than the loudest band's loud level (per FFT bin) get a larger relative change,
    /// up to ``maximumBoost`` times, as (loud / P)^¼: the SNR is set by the loud cells, so this buys
    /// detection evidence at little cost in SNR — in the weak bands of bass-heavy material above
    /// all — while the change stays a small fraction of the cell's own content.
    /// v1 capped it at 2.5 (reached 16 dB under the loud level); 3.2 (reached 20 dB under) gave
    /// 10–20 % more χ² excess on speech, sparse and tonal material at the same SNR and the 11-s
    /// speech clip its payload. With the wider band plan it moves the wind chime's change from a
    /// median 25.4 to 21.9 dB under each cell's own band content (p90 16.9 → 14.5 dB; see
    /// `docs/audio-mark.md`). 4 gave 25–35 % more but brought the wind chime's quietest cells
    /// within 3 dB of their content (p99): not taken.
    static let maximumBoost: Float = 3.2
    static let boostExponent: Float = 0.25

    @inline(__always)
    static func boost(power: Float, loud: Float) -> Float {
        guard power > 0, power < loud else { return 1 }
        return min(maximumBoost, pow(loud / power, boostExponent))
    }

    /// Per band, the 90th percentile of the frames' power: the band's "loud" level.
    static func loudLevels(_ framePower: [Float], frames: Int) -> [Float] {
        let bands = AudioLayout.bandCount
        return (0..<bands).map { b in
            guard frames > 0 else { return 0 }
            let sorted = (0..<frames).map { framePower[$0 * bands + b] }.sorted()
            return sorted[min(frames - 1, frames * 9 / 10)]
        }
    }

    /// The amplitude of (cell, band), cells counted from the file's first sample; the block repeats.
    @inline(__always)
    static func amplitude(_ amplitudes: [Float], cell: Int, band: Int) -> Float {
        let blockCell = ((cell % AudioLayout.blockCells) + AudioLayout.blockCells) % AudioLayout.blockCells
        return amplitudes[AudioLayout.chip(cell: blockCell, band: band)]
    }
}
