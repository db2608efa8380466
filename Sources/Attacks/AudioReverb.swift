import Foundation
import Media
import Spectral

/// Room reverberation: a recording played in a room and picked up again, a podcast's or a
/// video's room sound, a producer's reverb send.
///
/// Each channel is convolved (FFT) with a synthetic impulse response: the direct sound, then after
/// 5 ms a tail of Gaussian noise decaying exponentially by 60 dB over `rt60` seconds (Schroeder's
/// statistical model of a diffuse room), its energy equal to the direct sound's — a direct-to-
/// reverberant ratio of 0 dB, a listener a few metres from the source in an ordinary room. Each
/// channel has its own tail (a room decorrelates the ears). The tail is cut at −72 dB; what
/// rings on after the last sample is dropped, as a recording would stop. Not clipped, as
/// ``AudioEdits/addNoise(_:snrDB:random:)`` is not.
enum AudioReverb {
    /// The tail's delay after the direct sound, seconds.
    static let predelay = 0.005

    /// - Complexity: O(N log N) per channel, N the next power of two above the frame count plus
    ///   the tail.
    static func reverberate(_ audio: AudioBuffer, rt60: Double, random: inout AttackRandom) -> AudioBuffer {
        let rate = Double(audio.sampleRate)
        let delay = Int((predelay * rate).rounded())
        let tail = max(1, Int((1.2 * rt60 * rate).rounded()))
        let size = AudioFilters.powerOfTwo(atLeast: audio.frameCount + delay + tail)
        let transform = RealFFT.shared(shape: [size])
        // ln(1000) = 6.908: the amplitude falls by 60 dB (10³) over rt60.
        let decay = 6.907_755 / (rt60 * rate)
        var result = audio
        result.channels = audio.channels.map { channel in
            var response = [Float](repeating: 0, count: size)
            var energy = 0.0
            var tailSamples = [Double](repeating: 0, count: tail)
            for n in 0..<tail {
                tailSamples[n] = random.nextGaussian() * exp(-decay * Double(n))
                energy += tailSamples[n] * tailSamples[n]
            }
            let scale = 1 / max(energy, .leastNormalMagnitude).squareRoot()
            response[0] = 1
            for n in 0..<tail { response[delay + n] = Float(tailSamples[n] * scale) }
            let responseSpectrum = transform.forward(response)
            return AudioFilters.filtered(channel, transform: transform) { spectrum in
                for k in spectrum.indices { spectrum[k] = spectrum[k] * responseSpectrum[k] }
            }
        }
        return result
    }
}
