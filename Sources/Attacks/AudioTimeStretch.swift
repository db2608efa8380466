import Foundation
import Media
import Spectral

/// A tempo change that keeps the pitch, by WSOLA (waveform-similarity overlap-add; Verhelst &
/// Roelands 1993), the method of sox's `tempo` effect: Hann-windowed frames of 30 ms are laid
/// down every 15 ms of output and taken every 15·F ms of input, each shifted by up to ±10 ms to
/// where it best continues the frame before it (cross-correlation summed over the channels), so
/// that the waveform stays continuous and the pitch unchanged. Every channel takes the same frames.
enum AudioTimeStretch {
    /// `audio` played `factor` times as fast without changing its pitch: about n / `factor` frames
    /// (audio shorter than a frame and its search, 50 ms, is returned as it is).
    static func tempo(_ audio: AudioBuffer, factor: Double) -> AudioBuffer {
        let rate = Double(audio.sampleRate)
        let frame = max(16, Int(0.030 * rate)) & ~1
        let hop = frame / 2
        let tolerance = Int(0.010 * rate)
        let input = audio.frameCount
        let outputCount = Int((Double(input) / factor).rounded())
        guard input > frame + 2 * tolerance, outputCount > frame else { return audio }
        // Periodic Hann windows hopped by half their length sum to exactly 1.
        let window = Window.hann(count: frame)

        // Frame starts in the input, one per output hop.
        var starts = [Int]()
        var previous = 0
        for k in 0..<(outputCount / hop) {
            let nominal = Int((Double(k * hop) * factor).rounded())
            guard nominal + frame + tolerance < input else { break }
            if k == 0 {
                starts.append(nominal)
                previous = nominal
                continue
            }
            // Where the previous frame's natural continuation lies: hop samples after it.
            let target = previous + hop
            let shift = bestShift(audio.channels, target: target, around: nominal, tolerance: tolerance, length: frame)
            previous = nominal + shift
            starts.append(previous)
        }

        var result = audio
        result.channels = audio.channels.map { channel in
            var out = [Float](repeating: 0, count: outputCount)
            for (k, start) in starts.enumerated() {
                let base = k * hop
                for i in 0..<frame where base + i < outputCount && start + i < input {
                    out[base + i] += window[i] * channel[start + i]
                }
            }
            return out
        }
        return result
    }

    /// `audio` with its pitch shifted by `cents` and its tempo kept (sox's `pitch`): a tempo change
    /// by 1/f, then resampled to speed f, f = 2^(cents/1200); exactly as long as `audio`.
    static func pitchShift(_ audio: AudioBuffer, cents: Double) -> AudioBuffer {
        let factor = pow(2, cents / 1200)
        // The two roundings can leave a frame or two over or short.
        return AudioEdits.fitted(Resampler.resample(tempo(audio, factor: 1 / factor), ratio: 1 / factor),
                                 frameCount: audio.frameCount)
    }

    /// The shift in −tolerance…tolerance (even steps) at which the input from `around` + shift
    /// correlates best with the input at `target`, over `length` samples read every fourth and
    /// summed over the channels (a mono mix would cancel channels in opposite polarity).
    private static func bestShift(_ channels: [[Float]], target: Int, around: Int, tolerance: Int, length: Int) -> Int {
        var best = 0
        var bestScore = -Float.infinity
        let count = channels[0].count
        for shift in stride(from: -tolerance, through: tolerance, by: 2) {
            let start = around + shift
            guard start >= 0, start + length <= count, target + length <= count else { continue }
            var dot: Float = 0, energy: Float = 1e-12
            for channel in channels {
                channel.withUnsafeBufferPointer { x in
                    for i in stride(from: 0, to: length, by: 4) {
                        dot += x[start + i] * x[target + i]
                        energy += x[start + i] * x[start + i]
                    }
                }
            }
            let score = dot / energy.squareRoot()
            if score > bestScore { bestScore = score; best = shift }
        }
        return best
    }
}
