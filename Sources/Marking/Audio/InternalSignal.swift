import Media
import Spectral

/// Moving between a file's audio and the mark's internal signal: the mono mix at 16 kHz.
///
/// The mark lives in 150–7000 Hz, inside the pass band of soxr's medium recipe (16-bit
/// precision, pass band to ~0.9 of the internal rate's 8-kHz Nyquist frequency), which is faster
/// than the high one (its low one measured no faster). soxr is linear-phase and compensates its delay, so sample `i` of the internal signal
/// lies at time `i / 16000` in the file, in both directions.
enum InternalSignal {
    static let quality = ResampleQuality.medium

    /// The mean of the channels at the file's rate.
    static func monoMix(_ audio: AudioBuffer) -> [Float] {
        if audio.channelCount == 1 { return audio.channels[0] }
        let count = audio.frameCount
        let scale = 1 / Float(audio.channelCount)
        // Raw pointers: the loops vectorise (with buffer subscripts they did not).
        return [Float](unsafeUninitializedCapacity: count) { mix, initialized in
            let out = mix.baseAddress!
            audio.channels[0].withUnsafeBufferPointer { first in
                let first = first.baseAddress!
                for i in 0..<count { out[i] = first[i] }
            }
            for channel in audio.channels.dropFirst() {
                channel.withUnsafeBufferPointer { samples in
                    let samples = samples.baseAddress!
                    for i in 0..<count { out[i] += samples[i] }
                }
            }
            for i in 0..<count { out[i] *= scale }
            initialized = count
        }
    }

    /// The mono mix at the internal rate.
    static func internalMix(_ audio: AudioBuffer) -> [Float] {
        Resampler.resample(monoMix(audio), from: audio.sampleRate, to: AudioLayout.sampleRate, quality: quality)
    }

    /// The side signal (L − R)/2 of the clip's first `seconds` at the internal rate, for a stereo
    /// clip whose side is louder than its mid — its channels are anti-correlated, Σ L·R < 0 over
    /// the whole clip —, else nil. The mark is added to both
    /// channels alike, so it lives in the mid; a clip with one channel's polarity inverted holds
    /// it in the side instead, and its side is then the louder of the two whenever the original's
    /// channels were correlated at all (see ``AudioAnalysis/sideView``).
    static func internalSide(_ audio: AudioBuffer, seconds: Double) -> [Float]? {
        guard audio.channelCount == 2 else { return nil }
        let left = audio.channels[0], right = audio.channels[1]
        var correlation = 0.0
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                // Blocks of Float sums keep the loop vectorised; Double across blocks keeps it exact enough.
                var start = 0
                while start < l.count {
                    let end = min(l.count, start + 4096)
                    var block: Float = 0
                    for i in start..<end { block += l[i] * r[i] }
                    correlation += Double(block)
                    start = end
                }
            }
        }
        guard correlation < 0 else { return nil }
        let count = min(left.count, Int(seconds * Double(audio.sampleRate)))
        let side = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out[i] = 0.5 * (left[i] - right[i]) }
            initialized = count
        }
        return Resampler.resample(side, from: audio.sampleRate, to: AudioLayout.sampleRate, quality: quality)
    }

    /// An internal-rate signal at `rate`, exactly `count` samples long (padded with zeros or cut).
    static func toFileRate(_ signal: [Float], rate: Int, count: Int) -> [Float] {
        var out = Resampler.resample(signal, from: AudioLayout.sampleRate, to: rate, quality: quality)
        if out.count > count { out.removeLast(out.count - count) }
        if out.count < count { out.append(contentsOf: repeatElement(0, count: count - out.count)) }
        return out
    }
}
