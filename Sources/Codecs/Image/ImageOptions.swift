import Media

/// How ``ImageCodec/decode(_:options:)`` reads an image.
public struct ImageDecodeOptions: Sendable, Equatable {
    /// Largest `width × height` (as the file's header states it) that will be decoded. Larger
    /// images throw ``CodecError/tooLarge(width:height:limit:)`` before any pixel memory is
    /// allocated. The default, 200 million, admits a 16k × 12k photo.
    public var maxPixels: Int
    /// JPEG only: decode at 1/N size in the DCT domain (N = 1, 2, 4 or 8), which is much faster
    /// than decoding at full size and scaling. The result is ⌈width/N⌉ × ⌈height/N⌉ and
    /// ``ImageMetadata/decodeScaleDenominator`` records N. PNG ignores it.
    public var jpegScaleDenominator: Int
    /// Return a single ``ColorModel/gray`` plane of BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B,
    /// and drop alpha. For a YCbCr JPEG this is the stored Y channel and libjpeg skips the chroma
    /// planes entirely, the fast path for watermark detection.
    public var luminanceOnly: Bool

    public init(maxPixels: Int = 200_000_000, jpegScaleDenominator: Int = 1, luminanceOnly: Bool = false) {
        self.maxPixels = maxPixels
        self.jpegScaleDenominator = jpegScaleDenominator
        self.luminanceOnly = luminanceOnly
    }
}

/// How a JPEG stores colour detail relative to brightness.
public enum ChromaSubsampling: String, Sendable, CaseIterable {
    /// Chroma at half resolution in both directions: smaller files, the usual camera and web choice.
    case s420 = "4:2:0"
    /// Chroma at full resolution: keeps sharp colour edges and any mark carried in colour.
    case s444 = "4:4:4"
}

/// How ``ImageCodec/encode(_:as:options:)`` writes an image.
public struct ImageEncodeOptions: Sendable, Equatable {
    /// JPEG quality on libjpeg's scale, 1...100.
    public var quality: Int
    /// JPEG chroma subsampling for colour images.
    public var chromaSubsampling: ChromaSubsampling
    /// Write a progressive JPEG (coarse-to-fine scans) instead of a baseline one.
    public var progressive: Bool
    /// PNG bits per sample, 8 or 16. `nil` keeps the source's precision: 16 when
    /// ``ImageMetadata/bitDepth`` is above 8, else 8.
    public var pngBitDepth: Int?
    /// Write the image's ICC profile and EXIF block (``ImageMetadata/iccProfile``,
    /// ``ImageMetadata/exif``) into the output.
    public var keepMetadata: Bool

    public init(quality: Int = 92, chromaSubsampling: ChromaSubsampling = .s420, progressive: Bool = false,
                pngBitDepth: Int? = nil, keepMetadata: Bool = true) {
        self.quality = quality
        self.chromaSubsampling = chromaSubsampling
        self.progressive = progressive
        self.pngBitDepth = pngBitDepth
        self.keepMetadata = keepMetadata
    }
}
