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
    /// - Complexity: O(frames) when something exceeds the ceiling, one scan otherwise.
    @discardableResult
    static func limit(_ channels: inout [[Float]], sampleRate: Int) -> Int {
        guard let count = channels.first?.count, count > 0 else { return 0 }
        var needed = [Int: Float]()
        for channel in channels {
            channel.withUnsafeBufferPointer { x in
                for i in 0..<count where abs(x[i]) > ceiling {
                    let gain = ceiling / abs(x[i])
                    needed[i] = min(needed[i] ?? 1, gain)
                }
            }
        }
        guard !needed.isEmpty else { return 0 }
        let halfWidth = max(1, sampleRate / 1000)
        // Running minimum around each peak.
        var minimum = [Float](repeating: 1, count: count)
        for (i, gain) in needed {
            for k in max(0, i - halfWidth)...min(count - 1, i + halfWidth) where gain < minimum[k] {
                minimum[k] = gain
            }
        }
        // Running mean of the reduction (1 − minimum), in Double so long files keep precision.
        var reduction = [Double](repeating: 0, count: count + 1)
        for i in 0..<count { reduction[i + 1] = reduction[i] + Double(1 - minimum[i]) }
        var touched = 0
        var gain = [Float](repeating: 1, count: count)
        for i in 0..<count {
            let lo = max(0, i - halfWidth), hi = min(count - 1, i + halfWidth)
            let mean = (reduction[hi + 1] - reduction[lo]) / Double(hi - lo + 1)
            if mean > 0 {
                gain[i] = Float(1 - mean)
                touched += 1
            }
        }
        for c in channels.indices {
            channels[c].withUnsafeMutableBufferPointer { x in
                for i in 0..<count where gain[i] < 1 {
                    // The clamp only absorbs float rounding of the mean (≪ 1 LSB).
                    x[i] = min(ceiling, max(-ceiling, x[i] * gain[i]))
                }
            }
        }
        return touched
    }
}
