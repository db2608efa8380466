import Codecs
import Marking
import Media

/// Detection in an audio file of any length with one chunk in memory at a time: the file is
/// decoded in the chunks of ``AudioChunks`` (120 s every 90 s, a last shorter one to the end),
/// each chunk is analysed once for every key, and reading stops when every key has its mark.
/// Each answer states its probability for the whole file (the chunk count, from the header's
/// length, is charged in advance) and block offsets in the file.
public enum AudioChunkedDetection {
    /// - Parameters:
    ///   - read: the answers, one per key, for one chunk's analysis.
    ///   - falsePositive: an answer's stated probability (the smaller wins across chunks).
    ///   - found: whether an answer reports a mark (that key needs no further chunk).
    /// - Returns: per key, its strongest answer over the chunks read.
    /// - Throws: ``CodecError``.
    public static func detect<Answer>(_ bytes: [UInt8], speeds: AudioSpeedSearch,
                                      read: (AudioAnalysis) -> [Answer],
                                      falsePositive: (Answer) -> Double,
                                      found: (Answer) -> Bool) throws -> [Answer] {
        // The plan from the header's length (for MP4 and WebM the stated duration, not a decode
        // to count the frames); the window limit keeps the chunks read to the number charged.
        let info = try AudioCodec.probe(bytes, statedLength: true)
        let rate = info.sampleRate
        let count = AudioChunks.ranges(frameCount: info.frameCount, sampleRate: rate).count
        let length = AudioChunks.chunkFrames(frameCount: info.frameCount, sampleRate: rate)
        let hop = min(length, AudioChunks.hopFrames(sampleRate: rate))
        var best = [Answer]()
        try AudioCodec.decodeWindows(bytes, length: length, hop: hop, windowLimit: count) { chunk, startFrame in
            let analysis = AudioAnalysis(chunk: chunk, start: Double(startFrame) / Double(rate), of: count, speeds: speeds)
            let answers = read(analysis)
            if best.isEmpty {
                best = answers
            } else {
                for (index, answer) in answers.enumerated() where falsePositive(answer) < falsePositive(best[index]) {
                    best[index] = answer
                }
            }
            return !best.allSatisfy(found)
        }
        return best
    }

    /// The same for answers that are ``AudioDetection``s.
    public static func detect(_ bytes: [UInt8], speeds: AudioSpeedSearch,
                              read: (AudioAnalysis) -> [AudioDetection]) throws -> [AudioDetection] {
        try detect(bytes, speeds: speeds, read: read, falsePositive: \.falsePositiveProbability, found: \.detected)
    }
}
