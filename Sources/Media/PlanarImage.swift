/// A decoded image: one contiguous plane of `Float` samples per channel, row-major, values in
/// `0...1` whatever the source bit depth (8-bit 255 and 16-bit 65535 both map to 1).
///
/// Planar storage lets the spectral core work on one plane (luminance) without strided access.
public struct PlanarImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var colorModel: ColorModel
    /// `colorModel.channelCount` planes of `width * height` samples each.
    public var planes: [[Float]]
    public var metadata: ImageMetadata

    public init(width: Int, height: Int, colorModel: ColorModel, planes: [[Float]], metadata: ImageMetadata = ImageMetadata()) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(planes.count == colorModel.channelCount, "plane count must match the colour model")
        precondition(planes.allSatisfy { $0.count == width * height }, "every plane holds width × height samples")
        self.width = width
        self.height = height
        self.colorModel = colorModel
        self.planes = planes
        self.metadata = metadata
    }

    public var pixelCount: Int { width * height }

    /// The alpha plane, when the colour model has one.
    public var alpha: [Float]? { colorModel.hasAlpha ? planes[planes.count - 1] : nil }
}

/// What a decoder learned about an image besides its pixels. Codecs carry ICC and EXIF from input
/// to output of the same format; nothing here is applied to the pixels (EXIF orientation is
/// reported, not applied).
public struct ImageMetadata: Sendable, Equatable {
    /// The container the image was decoded from, if any.
    public var sourceFormat: ContainerFormat?
    /// Bits per sample in the source (1, 2, 4, 8 or 16).
    public var bitDepth: Int
    /// The raw ICC profile, if the file carried one.
    public var iccProfile: [UInt8]?
    /// The raw EXIF block (TIFF header onwards, without the `Exif\0\0` prefix), if any.
    public var exif: [UInt8]?
    /// The EXIF orientation tag (1–8), if present. Reported, never applied.
    public var exifOrientation: Int?
    /// PNG Adam7 interlacing or progressive JPEG.
    public var isInterlaced: Bool
    /// The JPEG DCT scale the pixels were decoded at (1, 2, 4 or 8 meaning 1/1 … 1/8); 1 otherwise.
    public var decodeScaleDenominator: Int

    public init(sourceFormat: ContainerFormat? = nil, bitDepth: Int = 8, iccProfile: [UInt8]? = nil,
                exif: [UInt8]? = nil, exifOrientation: Int? = nil, isInterlaced: Bool = false,
                decodeScaleDenominator: Int = 1) {
        self.sourceFormat = sourceFormat
        self.bitDepth = bitDepth
        self.iccProfile = iccProfile
        self.exif = exif
        self.exifOrientation = exifOrientation
        self.isInterlaced = isInterlaced
        self.decodeScaleDenominator = decodeScaleDenominator
    }
}
