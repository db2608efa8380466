import Media
import Spectral

/// Finding and undoing the time offset a lossy codec leaves between its input and its decoded
/// output, by cross-correlation.
///
/// The offset depends on the encoder (LAME's 576 + 529 samples, Opus' 312-sample pre-skip,
/// Vorbis' none), on whether it wrote the header that declares it (LAME's Info tag, Opus'
/// pre-skip field) and on whether the decoder honours it (mpg123's gapless mode, libsndfile's
/// Opus reader). Measured through libsndfile 1.2 on the corpus: Vorbis, Opus and MP3 from 64
/// kbit/s come back with no offset and the input's exact length; MP3 at 32 kbit/s comes back
/// 1105 samples late (576 + 529) and 1 frame longer, because its 104-byte frames are too small
/// for LAME's Info tag, so the decoder cannot know the delay. A search finds either case, and
/// any other offset within ±4096 samples, without a table of codec quirks.
///
/// ```
///   input   x:  ─────[ window of L samples, the loudest ]─────
///   decoded y:  ───[ window ± 4096 samples               ]───
///   score(k) = Σ x[s+t] · y[s+t+k]  /  √(Σ y[s+t+k]²),   −4096 ≤ k ≤ 4096
/// ```
/// The score is the correlation normalised by the energy of the decoded window (least squares
/// with the best gain), so a loud stretch of `y` cannot outvote the true alignment. It is
/// computed with FFTs over up to 2^20 samples (about 22 s at 48 kHz). Lag 0 wins unless another
/// lag scores at least 0.5 % higher: at low bitrates the codec's phase errors leave neighbouring
/// lags within a fraction of a percent of each other (Opus at 32 kbit/s scored lag −1 0.05 %
/// above lag 0 on a 3 s window, though lag 0 has the higher SNR), while a real codec delay
/// drops the score at lag 0 far more than that.
enum AudioAlignment {
    /// The largest offset searched, in samples, either way.
    static let maximumLag = 4096
    /// At most this many samples of the input are correlated (about 22 s at 48 kHz): enough to
    /// average out codec noise, small enough to bound the FFT at 2^21 points.
    static let windowLength = 1 << 20
    /// How much better than lag 0 another lag must score to be chosen.
    static let preferenceForZero = 1.005

    /// The lag `k` for which `decoded[t + k]` best matches `input[t]` (positive: the decoded
    /// audio is late). Channels are mixed to mono first.
    /// - Complexity: O(n) to find the loudest window, then three FFTs of the next power of two
    ///   above `min(n, 2^20) + 8192` points.
    static func lag(of decoded: AudioBuffer, relativeTo input: AudioBuffer) -> Int {
        let x = monoMix(input), y = monoMix(decoded)
        let length = min(windowLength, x.count)
        let start = loudestWindow(x, length: length)
        let span = length + 2 * maximumLag
        var size = 1
        while size < span { size *= 2 }

        var reference = [Float](repeating: 0, count: size)
        var candidate = [Float](repeating: 0, count: size)
        for t in 0..<length { reference[t] = x[start + t] }
        for j in 0..<span {
            let index = start - maximumLag + j
            if index >= 0 && index < y.count { candidate[j] = y[index] }
        }
        let transform = RealFFT.shared(shape: [size])
        let left = transform.forward(reference), right = transform.forward(candidate)
        let product = zip(left, right).map { $0.conjugate * $1 }
        let correlation = transform.inverse(product)

        // Energy of candidate[k ..< k + length] for every k, by a running sum.
        var energy = 0.0
        for t in 0..<length { energy += Double(candidate[t]) * Double(candidate[t]) }
        var best = 0, bestScore = -Double.infinity, zeroScore = 0.0
        for k in 0...(2 * maximumLag) {
            if k > 0 {
                let leaving = Double(candidate[k - 1]), entering = Double(candidate[k + length - 1])
                energy += entering * entering - leaving * leaving
            }
            let score = Double(correlation[k]) / max(energy, 1e-20).squareRoot()
            if k == maximumLag { zeroScore = score }
            if score > bestScore {
                bestScore = score
                best = k
            }
        }
        if zeroScore > 0 && bestScore <= zeroScore * preferenceForZero { return 0 }
        return best - maximumLag
    }

    /// `decoded` moved earlier by `lag` samples and cut or padded with silence to `frameCount`.
    static func aligned(_ decoded: AudioBuffer, lag: Int, frameCount: Int) -> AudioBuffer {
        var result = decoded
        result.channels = decoded.channels.map { channel in
            [Float](unsafeUninitializedCapacity: frameCount) { output, initialized in
                for t in 0..<frameCount {
                    let index = t + lag
                    output[t] = index >= 0 && index < channel.count ? channel[index] : 0
                }
                initialized = frameCount
            }
        }
        return result
    }

    /// The sum of the channels (the scale does not matter to a normalised correlation).
    private static func monoMix(_ audio: AudioBuffer) -> [Float] {
        var mix = audio.channels[0]
        for channel in audio.channels.dropFirst() {
            for i in 0..<min(mix.count, channel.count) { mix[i] += channel[i] }
        }
        return mix
    }

    /// The start of the `length`-sample window with the most energy, among starts a quarter
    /// window apart: silence correlates with nothing, so the search looks where the music is.
    private static func loudestWindow(_ samples: [Float], length: Int) -> Int {
        let step = max(1, length / 4)
        var best = 0, bestEnergy = -1.0
        var start = 0
        while start + length <= samples.count {
            var energy = 0.0
            for t in start..<start + length { energy += Double(samples[t]) * Double(samples[t]) }
            if energy > bestEnergy {
                bestEnergy = energy
                best = start
            }
            start += step
        }
        return best
    }
}
