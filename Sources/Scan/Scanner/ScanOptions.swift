import Codecs
import Marking

/// How a scan runs. A `Sendable` value: every worker reads the same one.
public struct ScanOptions: Sendable {
    /// Worker threads, each decoding and checking one item at a time.
    public var jobs: Int
    /// Largest false-positive probability (for the whole key set) at which a mark is reported.
    public var threshold: Double
    /// This run's share of the inputs, or `nil` for all of them.
    public var shard: ScanShard?
    /// Items (files or archive members) larger than this are reported as too large, unread.
    public var maxItemBytes: Int
    /// Images with more pixels than this are refused before decoding (see ``ImageDecodeOptions``).
    public var maxPixels: Int
    /// Items read ahead of the workers. Bounds memory: at most `jobs + queueDepth` items are in
    /// memory at once, whatever the corpus size.
    public var queueDepth: Int
    /// Read, unpack and decode every item, but look for no mark: finds damaged files at the
    /// speed of decoding, and measures the scan's floor. Records carry no key or probability.
    public var decodeOnly: Bool
    /// Replay speeds searched in audio items (``AudioSpeedSearch/wide`` is several times slower).
    public var audioSpeeds: AudioSpeedSearch

    public init(jobs: Int = 2, threshold: Double = ImageDetectOptions.defaultThreshold, shard: ScanShard? = nil,
                maxItemBytes: Int = 256 << 20, maxPixels: Int = ImageDecodeOptions().maxPixels,
                queueDepth: Int? = nil, decodeOnly: Bool = false, audioSpeeds: AudioSpeedSearch = .standard) {
        self.jobs = max(1, jobs)
        self.threshold = threshold
        self.shard = shard
        self.maxItemBytes = maxItemBytes
        self.maxPixels = maxPixels
        self.queueDepth = queueDepth ?? 2 * max(1, jobs)
        self.decodeOnly = decodeOnly
        self.audioSpeeds = audioSpeeds
    }
}
