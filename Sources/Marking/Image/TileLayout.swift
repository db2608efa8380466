/// The fixed geometry of the v1 image mark (see `docs/image-mark.md`).
///
/// ```
///   tile: 32 × 32 chips, periodic over the image; chip size c = max(S/128, c_min)
///   chips (keyed order): [ 256 pilot | 256 coded bits (polar code) × 3 chips ]
///   fold: 64 × 64 samples per tile (2 per chip); chip (i, j) sits at sample (2i, 2j)
/// ```
public enum TileLayout {
    public static let chipsPerSide = 32
    public static let chipCount = chipsPerSide * chipsPerSide
    /// Chips across the image's short side: 4 tiles, so a quarter-area crop still holds ~4 tiles.
    public static let chipsAcrossShortSide = 128.0
    /// Smallest chip in pixels at embedding: below this, a 4× downscale leaves sub-pixel chips.
    public static let minimumChipSize = 2.0
    public static let informationBits = PayloadFrame.bitCount
    public static let codedBits = PolarCode.length
    public static let chipsPerCodedBit = 3
    public static let pilotChipCount = chipCount - codedBits * chipsPerCodedBit
    /// Fold resolution: samples per tile side (2 per chip).
    public static let foldSize = 2 * chipsPerSide
    /// Embedding amplitudes are the keyed Gaussian weights clipped here, to bound the peak change.
    static let amplitudeClip: Float = 2

    /// Chip size in pixels for an image whose short side is `shortSide` pixels.
    public static func chipSize(shortSide: Int) -> Double {
        max(Double(shortSide) / chipsAcrossShortSide, minimumChipSize)
    }
}
