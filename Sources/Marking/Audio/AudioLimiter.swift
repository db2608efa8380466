import Media

/// Keeps marked audio inside full scale by smooth gain reduction, never by clipping or wrapping.
///
/// The gain each sample needs (ceiling / |peak across channels|) is spread by a running minimum
/// over ±`halfWidth` samples and then smoothed by a running mean over the same width. Every
/// value the mean sees at sample i is a minimum over a window that contains i, so the smoothed
/// gain never exceeds what sample i needs, and it changes over ~2 ms rather than at once (no
/// click). Samples far from any peak are untouched.
enum AudioLimiter {
    /// The largest 16-bit sample, so that writing PCM never clips either.
    static let ceiling: Float = 32767 / 32768

    /// Limits `channels` (planar, equal lengths) in place.
    /// - Returns: the number of frames whose gain was reduced.
    /// - Complexity: one scan when nothing exceeds the ceiling; otherwise O(frames near peaks):
    ///   peaks more than 4 ms apart are limited independently, each group over its own span
    ///   (±2 ms) in a few passes, however many peaks it holds — a loud master can push tens of
    ///   thousands of samples over, spread over the whole track.
    /// - Parameter observe: told of every sample the limiter changes (channel, frame, value before,
    ///   value after), for callers that must account for the change without a copy of the input.
    @discardableResult
    static func limit(_ channels: inout [[Float]], sampleRate: Int,
                      observe: ((_ channel: Int, _ frame: Int, _ before: Float, _ after: Float) -> Void)? = nil) -> Int {
        guard let count = channels.first?.count, count > 0 else { return 0 }
        var peaks = [(index: Int, gain: Float)]()
        for channel in channels {
            channel.withUnsafeBufferPointer { x in
                // Blocks whose largest magnitude is within the ceiling (nearly all) are passed
                // over by a loop that vectorises; the others are searched sample by sample.
                let x = x.baseAddress!
                var start = 0
                while start < count {
                    let end = min(count, start + 1024)
                    if SampleMath.maximumMagnitude(x + start, count: end - start) > ceiling {
                        for i in start..<end where abs(x[i]) > ceiling { peaks.append((i, ceiling / abs(x[i]))) }
                    }
                    start = end
                }
            }
        }
        guard !peaks.isEmpty else { return 0 }
        if channels.count > 1 { peaks.sort { $0.index < $1.index } }
        let halfWidth = max(1, sampleRate / 1000)
        // Beyond 2·halfWidth from every peak the smoothed reduction is exactly 0, so peaks further
        // than 4·halfWidth apart never share a window: limit each group on its own span.
        var touched = 0
        var start = 0
        while start < peaks.count {
            var end = start + 1
            while end < peaks.count, peaks[end].index - peaks[end - 1].index <= 4 * halfWidth { end += 1 }
            touched += limitGroup(peaks[start..<end], channels: &channels, count: count, halfWidth: halfWidth, observe: observe)
            start = end
        }
        return touched
    }

    /// One group of peaks (sorted by index), over its span: running minimum of the needed gain,
    /// running mean of the reduction over the window clamped to the whole signal (the reduction
    /// is 0 outside the span), gain applied.
    private static func limitGroup(_ peaks: ArraySlice<(index: Int, gain: Float)>, channels: inout [[Float]],
                                   count: Int, halfWidth: Int,
                                   observe: ((Int, Int, Float, Float) -> Void)?) -> Int {
        let low = max(0, peaks.first!.index - 2 * halfWidth), high = min(count - 1, peaks.last!.index + 2 * halfWidth)
        let span = high - low + 1
        var needed = [Float](repeating: 1, count: span)
        for peak in peaks { needed[peak.index - low] = min(needed[peak.index - low], peak.gain) }
        let minimum = runningMinimum(needed, halfWidth: halfWidth)
        var prefix = [Double](repeating: 0, count: span + 1)
        for j in 0..<span { prefix[j + 1] = prefix[j] + Double(1 - minimum[j]) }
        var touched = 0
        var gain = [Float](repeating: 1, count: span)
        for j in 0..<span {
            let i = low + j
            let windowLow = max(0, i - halfWidth), windowHigh = min(count - 1, i + halfWidth)
            let sum = prefix[min(windowHigh, high) - low + 1] - prefix[max(windowLow, low) - low]
            let mean = sum / Double(windowHigh - windowLow + 1)
            if mean > 0 {
                gain[j] = Float(1 - mean)
                touched += 1
            }
        }
        for c in channels.indices {
            channels[c].withUnsafeMutableBufferPointer { x in
                for j in 0..<span where gain[j] < 1 {
                    // The clamp only absorbs float rounding of the mean (≪ 1 LSB).
                    let before = x[low + j]
                    x[low + j] = min(ceiling, max(-ceiling, before * gain[j]))
                    observe?(c, low + j, before, x[low + j])
                }
            }
        }
        return touched
    }

    /// `out[j] = min(values[j − h … j + h])` (clamped to the array) in three passes whatever h is
    /// (van Herk 1992; Gil & Werman 1993): the array, padded with the neutral 1 by h on each
    /// side, is cut into blocks of w = 2h + 1; a window of w then spans at most two blocks, and its
    /// minimum is the suffix minimum of the first block's part and the prefix minimum of the second's.
    static func runningMinimum(_ values: [Float], halfWidth h: Int) -> [Float] {
        let n = values.count, w = 2 * h + 1, m = n + 2 * h
        var padded = [Float](repeating: 1, count: m)
        for j in 0..<n { padded[h + j] = values[j] }
        var prefixMinimum = padded, suffixMinimum = padded
        for blockStart in stride(from: 0, to: m, by: w) {
            let blockEnd = min(blockStart + w, m)
            for k in (blockStart + 1)..<max(blockEnd, blockStart + 1) { prefixMinimum[k] = min(prefixMinimum[k - 1], padded[k]) }
            for k in stride(from: blockEnd - 2, through: blockStart, by: -1) { suffixMinimum[k] = min(suffixMinimum[k + 1], padded[k]) }
        }
        var out = [Float](repeating: 1, count: n)
        for j in 0..<n { out[j] = min(suffixMinimum[j], prefixMinimum[j + w - 1]) }
        return out
    }
}
