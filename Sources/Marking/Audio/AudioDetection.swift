/// What the detector found in one clip.
public struct AudioDetection: Sendable {
    /// A mark under this key is present: the false-positive probability is at most the threshold.
    public var detected: Bool
    /// The payload, when detected and its CRC holds; `nil` otherwise.
    public var payload: Payload?
    /// Probability that a clip without this key's mark gives evidence at least this strong
    /// (see `docs/audio-mark.md`). 1 when nothing could be tested (a clip of a fraction of a second).
    public var falsePositiveProbability: Double
    /// The threshold the answer was decided at.
    public var threshold: Double
    /// Times in the recording, seconds, where a block (2.048 s of the original) starts, within the
    /// chunk or segment the mark was read in (which may begin before the marked part); empty
    /// unless detected.
    public var offsets: [Double]
    /// Replay speed of the clip against the marked original (1.02: 2 % faster and higher), when
    /// detected.
    public var speed: Double?
    /// Frequency scale of the clip against the marked original, when detected: equal to `speed`
    /// for a resampled clip, 1 for a tempo change that kept the pitch (time-stretch), the shift's
    /// factor with `speed` 1 for a pitch shift that kept the tempo.
    public var pitch: Double?
    /// χ² statistic of the payload chips and its degrees of freedom (256 coded bits).
    public var chiSquare: Double
    public var degreesOfFreedom: Int
    /// The pilot's normalised correlation at the alignment reported (about N(0,1) without a mark;
    /// for diagnostics).
    public var syncScore: Double
}
