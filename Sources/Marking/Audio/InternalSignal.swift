import Media
import Spectral

/// Moving between a file's audio and the mark's internal signal: the mono mix at 16 kHz.
///
/// The mark lives below 4.2 kHz (4 kHz plus the speed search's margin), so soxr's medium recipe
/// (16-bit precision, pass band to ~0.9 of Nyquist) is exact where it matters and faster than the
/// high one. soxr is linear-phase and compensates its delay, so sample `i` of the internal signal
/// lies at time `i / 16000` in the file, in both directions.
enum InternalSignal {
    static let quality = ResampleQuality.medium

    /// The mean of the channels at the file's rate.
    static func monoMix(_ audio: AudioBuffer) -> [Float] {
        if audio.channelCount == 1 { return audio.channels[0] }
        let count = audio.frameCount
        let scale = 1 / Float(audio.channelCount)
        return [Float](unsafeUninitializedCapacity: count) { mix, initialized in
            audio.channels[0].withUnsafeBufferPointer { first in
                for i in 0..<count { mix[i] = first[i] }
            }
            for channel in audio.channels.dropFirst() {
                channel.withUnsafeBufferPointer { samples in
                    for i in 0..<count { mix[i] += samples[i] }
                }
            }
            for i in 0..<count { mix[i] *= scale }
            initialized = count
        }
    }

    /// The mono mix at the internal rate.
    static func internalMix(_ audio: AudioBuffer) -> [Float] {
        Resampler.resample(monoMix(audio), from: audio.sampleRate, to: AudioLayout.sampleRate, quality: quality)
    }

    /// An internal-rate signal at `rate`, exactly `count` samples long (padded with zeros or cut).
    static func toFileRate(_ signal: [Float], rate: Int, count: Int) -> [Float] {
        var out = Resampler.resample(signal, from: AudioLayout.sampleRate, to: rate, quality: quality)
        if out.count > count { out.removeLast(out.count - count) }
        if out.count < count { out.append(contentsOf: repeatElement(0, count: count - out.count)) }
        return out
    }
}
