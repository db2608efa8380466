/// What the detector found in one image.
public struct ImageDetection: Sendable {
    /// A mark under this key is present: the false-positive probability is at most the threshold.
    public var detected: Bool
    /// The payload, when detected and its CRC holds; `nil` otherwise.
    public var payload: Payload?
    /// Probability that an image without this key's mark gives evidence at least this strong
    /// (see `docs/image-mark.md`). 1 when nothing was found at all.
    public var falsePositiveProbability: Double
    /// The threshold the answer was decided at.
    public var threshold: Double
    /// What synchronisation found, when a tile lattice was found.
    public var sync: ImageSync?
    /// χ² statistic of the payload chips and its degrees of freedom.
    public var chiSquare: Double
    public var degreesOfFreedom: Int
}

/// The geometry the detector recovered, in the input image's pixels.
public struct ImageSync: Sendable {
    /// Tile period (mean of the two period vectors), pixels.
    public var tilePeriod: Double
    /// Chip size, pixels (tile period / 32).
    public var chipSize: Double { tilePeriod / Double(TileLayout.chipsPerSide) }
    /// Rotation of the mark's x axis against the image's, degrees.
    public var rotationDegrees: Double
    /// Ratio of the two period lengths (1 for no aspect change).
    public var aspect: Double
    /// Whether the mark appears mirrored.
    public var mirrored: Bool
    /// Position of a tile origin, pixels.
    public var offset: SIMD2<Double>
}
