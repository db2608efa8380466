/// How a long recording is read: in chunks of ``length`` seconds every ``hop`` seconds, and a last,
/// shorter one from the next start to the end of the recording, each analysed as a clip of its
/// own (with its segment search). Overlapping by 30 s, they hold any 30-s stretch whole, so a
/// marked track anywhere in an hour of mix or podcast is read like a clip of its own; and only one
/// chunk need be in memory. (Until stop 22 the last chunk was a whole ``length`` ending with the
/// recording: a 3-min file was read as 0–120 s and 60–180 s, 60 s of it twice; now 0–120 and
/// 90–180. The chunk count is the same.)
///
/// The number of chunks depends on the length alone, so the detector can charge it in advance:
/// the probability stated for a long recording is this many times a chunk's (a union bound).
public enum AudioChunks {
    public static let length = AudioAnalysis.maximumAnalysedDuration
    public static let hop = 90.0
    /// A recording up to this long is one chunk, all of it: a second chunk for a few seconds more
    /// than ``length`` would double the work for nothing.
    public static let longestSingleChunk = 150.0

    /// Frames per chunk for a recording of `frameCount` frames: all of them up to
    /// ``longestSingleChunk``, else ``length``.
    public static func chunkFrames(frameCount: Int, sampleRate: Int) -> Int {
        Double(frameCount) <= longestSingleChunk * Double(sampleRate)
            ? max(1, frameCount) : Int((length * Double(sampleRate)).rounded())
    }

    /// Frames between chunk starts.
    public static func hopFrames(sampleRate: Int) -> Int { Int((hop * Double(sampleRate)).rounded()) }

    /// The chunks of a recording of `frameCount` frames at `sampleRate`, as frame ranges: one
    /// (all of it) up to ``longestSingleChunk``; the same windows as
    /// `AudioCodec.decodeWindows(_:length:hop:_:)` with ``chunkFrames(frameCount:sampleRate:)``
    /// and ``hopFrames(sampleRate:)``.
    public static func ranges(frameCount: Int, sampleRate: Int) -> [Range<Int>] {
        let length = chunkFrames(frameCount: frameCount, sampleRate: sampleRate)
        let hop = hopFrames(sampleRate: sampleRate)
        guard frameCount > length else { return [0..<frameCount] }
        var ranges = Swift.stride(from: 0, through: frameCount - length, by: hop).map { $0..<($0 + length) }
        let next = ranges.last!.lowerBound + hop
        if ranges.last!.upperBound < frameCount { ranges.append(next..<frameCount) }
        return ranges
    }
}
