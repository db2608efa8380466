import Foundation
import Media
import Spectral

/// Steep low- and high-pass filters, done in the frequency domain over the whole signal.
///
/// Each channel is zero-padded, transformed (FFTW), multiplied by a gain that is 1 in the pass
/// band, 0 in the stop band and a raised cosine across a narrow transition, and transformed back.
/// This is a zero-phase filter (nothing moves in time) with a stop band limited only by float
/// precision, far steeper than any practical IIR: a 4 kHz low-pass is flat to 3.9 kHz and gone
/// from 4.1 kHz. The raised-cosine taper keeps the impulse response short — a hard brick wall
/// rings for the whole signal — and the padding takes that short tail at the end of the signal,
/// so that it does not wrap around to the start (the FFT's convolution is circular).
///
/// ```
///  gain 1 ┤━━━━━━━━━━━━━╮                  (low-pass; high-pass is 1 − this)
///         │             ╰╮
///       0 ┤              ╰━━━━━━━━━━━━━━━
///         └─────────────┴─┴──────────────▶ f
///                 fc − Δ/2  fc + Δ/2       Δ = min(10 % of fc, 200 Hz)
/// ```
enum AudioFilters {
    /// Which side of the cut-off frequency survives.
    enum Band {
        case below(Double)
        case above(Double)

        var cutoff: Double {
            switch self {
            case let .below(hz), let .above(hz): hz
            }
        }
    }

    /// The transition width for a cut-off: narrow enough to be "steep", wide enough that the
    /// response dies out within a few thousand samples.
    static func transitionWidth(cutoff: Double) -> Double {
        min(0.1 * cutoff, 200)
    }

    /// The filter's gain at `frequency` Hz.
    static func gain(at frequency: Double, keeping band: Band) -> Float {
        let width = transitionWidth(cutoff: band.cutoff)
        let low = band.cutoff - width / 2, high = band.cutoff + width / 2
        let passBelow: Double
        if frequency <= low {
            passBelow = 1
        } else if frequency >= high {
            passBelow = 0
        } else {
            passBelow = 0.5 * (1 + cos(Double.pi * (frequency - low) / width))
        }
        switch band {
        case .below: return Float(passBelow)
        case .above: return Float(1 - passBelow)
        }
    }

    /// Every channel filtered to keep `band`; length, rate and metadata unchanged.
    /// - Complexity: O(N log N) per channel, N the next power of two above the frame count plus
    ///   padding (power-of-two sizes keep the number of cached FFT plans small).
    static func brickWall(_ audio: AudioBuffer, keep band: Band) -> AudioBuffer {
        let frameCount = audio.frameCount
        let width = transitionWidth(cutoff: band.cutoff)
        // A low-pass whose transition starts above Nyquist has nothing to remove.
        if case .below = band, band.cutoff - width / 2 >= Double(audio.sampleRate) / 2 { return audio }
        // The response falls as 1/t³ beyond 1/Δ and is about 100 dB down at 8/Δ. Being zero-phase
        // it rings both ways: the ringing after the end fills the start of the padding, the
        // ringing before the start wraps around to the end of it, so the padding holds both.
        let padding = max(4096, Int(2 * 8 * Double(audio.sampleRate) / width))
        let transform = RealFFT.shared(shape: [powerOfTwo(atLeast: frameCount + padding)])
        let binWidth = Double(audio.sampleRate) / Double(transform.count)
        let gains = (0..<transform.spectrumCount).map { gain(at: Double($0) * binWidth, keeping: band) }

        var result = audio
        result.channels = audio.channels.map { channel in
            filtered(channel, transform: transform) { spectrum in
                for k in spectrum.indices { spectrum[k] = spectrum[k] * gains[k] }
            }
        }
        return result
    }

    /// The smallest power of two ≥ `n` (power-of-two sizes keep the number of cached plans small).
    static func powerOfTwo(atLeast n: Int) -> Int {
        var size = 1
        while size < n { size *= 2 }
        return size
    }

    /// `channel` zero-padded to the transform's size, its spectrum changed by `shaping`, and
    /// transformed back to its own length: a filter (or a convolution) whose response the padding
    /// keeps from wrapping around to the start.
    static func filtered(_ channel: [Float], transform: RealFFT, shaping: (inout [ComplexFloat]) -> Void) -> [Float] {
        var padded = channel
        padded.append(contentsOf: repeatElement(0, count: transform.count - channel.count))
        var spectrum = transform.forward(padded)
        shaping(&spectrum)
        return Array(transform.inverse(spectrum)[..<channel.count])
    }
}
