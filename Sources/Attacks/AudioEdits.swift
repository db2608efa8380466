import Foundation
import Media
import Spectral

/// Audio attacks that edit samples directly: noise, gain, cutting, shifting, down-mixing, and the
/// resampling round trip.
enum AudioEdits {
    /// White Gaussian noise added to each channel at `snrDB` below that channel's mean power
    /// `P = mean(x²)`: noise σ = √(P · 10^(−SNR/10)). A silent channel stays silent. Not
    /// clipped: float audio may exceed ±1, and a PCM writer clips (libsndfile with clipping on).
    /// - Complexity: O(frames · channels).
    static func addNoise(_ audio: AudioBuffer, snrDB: Double, random: inout AttackRandom) -> AudioBuffer {
        var result = audio
        for index in audio.channels.indices {
            let samples = audio.channels[index]
            let power = meanPower(samples)
            guard power > 0 else { continue }
            let sigma = (power * pow(10, -snrDB / 10)).squareRoot()
            result.channels[index] = samples.withUnsafeBufferPointer { input in
                makePlane(count: input.count) { output in
                    for i in input.indices { output[i] = input[i] + Float(sigma * random.nextGaussian()) }
                }
            }
        }
        return result
    }

    /// `mean(x²)`, in Double; 0 for no samples.
    static func meanPower(_ samples: [Float]) -> Double {
        var power = 0.0
        for value in samples { power += Double(value) * Double(value) }
        return samples.isEmpty ? 0 : power / Double(samples.count)
    }

    /// Every sample times `gain`, clipped to `−1...1`.
    static func volume(_ audio: AudioBuffer, gain: Float) -> AudioBuffer {
        var result = audio
        result.channels = audio.channels.map { channel in
            channel.map { min(max($0 * gain, -1), 1) }
        }
        return result
    }

    /// `round(seconds · rate)` consecutive frames from a random start; all of the audio when it
    /// is not longer than that.
    static func excerpt(_ audio: AudioBuffer, seconds: Double, random: inout AttackRandom) -> AudioBuffer {
        let length = max(1, Int((seconds * Double(audio.sampleRate)).rounded()))
        guard length < audio.frameCount else { return audio }
        let start = random.nextInt(through: audio.frameCount - length)
        return frames(audio, start ..< start + length)
    }

    /// `round(seconds · rate)` frames of white Gaussian noise at each channel's RMS level before the
    /// audio and as many after it (a silent channel gets silence).
    /// - Complexity: O(frames · channels).
    static func surround(_ audio: AudioBuffer, seconds: Double, random: inout AttackRandom) -> AudioBuffer {
        let pad = max(1, Int((seconds * Double(audio.sampleRate)).rounded()))
        var result = audio
        result.channels = audio.channels.map { samples in
            let sigma = meanPower(samples).squareRoot()
            let before = (0..<pad).map { _ in Float(sigma * random.nextGaussian()) }
            let after = (0..<pad).map { _ in Float(sigma * random.nextGaussian()) }
            return before + samples + after
        }
        return result
    }

    /// The first `samples` frames dropped; for a negative count, `−samples` frames of silence
    /// prepended (a delay).
    /// - Throws: ``AttackError/invalidParameter(_:)`` when nothing would be left.
    static func shift(_ audio: AudioBuffer, samples: Int) throws(AttackError) -> AudioBuffer {
        if samples >= 0 {
            guard samples < audio.frameCount else {
                throw .invalidParameter("shift of \(samples) samples leaves nothing of \(audio.frameCount)")
            }
            return frames(audio, samples ..< audio.frameCount)
        }
        var result = audio
        let silence = [Float](repeating: 0, count: -samples)
        result.channels = audio.channels.map { silence + $0 }
        return result
    }

    /// The mean of the channels, as one channel.
    static func mono(_ audio: AudioBuffer) -> AudioBuffer {
        guard audio.channelCount > 1 else { return audio }
        let scale = 1 / Float(audio.channelCount)
        var mix = audio.channels[0]
        for channel in audio.channels.dropFirst() {
            for i in mix.indices { mix[i] += channel[i] }
        }
        for i in mix.indices { mix[i] *= scale }
        return AudioBuffer(sampleRate: audio.sampleRate, channels: [mix], metadata: audio.metadata)
    }

    /// The last channel's polarity inverted; one channel is left as it is.
    static func invertLastChannel(_ audio: AudioBuffer) -> AudioBuffer {
        guard audio.channelCount > 1 else { return audio }
        var result = audio
        let last = audio.channelCount - 1
        for i in result.channels[last].indices { result.channels[last][i] = -result.channels[last][i] }
        return result
    }

    /// Resampled to `rate` and back (libsoxr, high quality): everything above `rate / 2` (and
    /// soxr's transition band just below it) is gone. The length is restored exactly; the two
    /// roundings can leave it one frame off, which is padded with silence or cut.
    static func resampleRoundTrip(_ audio: AudioBuffer, through rate: Int) -> AudioBuffer {
        guard rate != audio.sampleRate else { return audio }
        let there = Resampler.resample(audio, to: rate)
        var back = Resampler.resample(there, to: audio.sampleRate)
        back.metadata = audio.metadata
        return fitted(back, frameCount: audio.frameCount)
    }

    /// `audio` cut or padded with trailing silence to exactly `frameCount` frames.
    static func fitted(_ audio: AudioBuffer, frameCount: Int) -> AudioBuffer {
        guard audio.frameCount != frameCount else { return audio }
        var result = audio
        result.channels = audio.channels.map { channel in
            channel.count > frameCount
                ? Array(channel[..<frameCount])
                : channel + [Float](repeating: 0, count: frameCount - channel.count)
        }
        return result
    }

    /// The frames in `range` of every channel.
    static func frames(_ audio: AudioBuffer, _ range: Range<Int>) -> AudioBuffer {
        var result = audio
        result.channels = audio.channels.map { Array($0[range]) }
        return result
    }
}
