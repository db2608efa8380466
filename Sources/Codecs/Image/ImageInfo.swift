import Media

/// What an image file's header says, read without decoding pixels (``ImageCodec/probe(_:)``).
public struct ImageInfo: Sendable, Equatable {
    public var format: ContainerFormat
    public var width: Int
    public var height: Int
    /// The planes a full decode returns (palette PNGs decode to RGB, or RGBA with transparency).
    public var colorModel: ColorModel
    /// Bits per sample in the file: PNG 1, 2, 4, 8 or 16; JPEG 8.
    public var bitDepth: Int
    /// PNG Adam7 interlacing or progressive JPEG.
    public var isInterlaced: Bool
    public var hasICCProfile: Bool
    /// The EXIF orientation (1–8), if the header carries one. A PNG eXIf chunk placed after the
    /// image data is only seen by a full decode.
    public var exifOrientation: Int?

    public init(format: ContainerFormat, width: Int, height: Int, colorModel: ColorModel, bitDepth: Int,
                isInterlaced: Bool, hasICCProfile: Bool, exifOrientation: Int?) {
        self.format = format
        self.width = width
        self.height = height
        self.colorModel = colorModel
        self.bitDepth = bitDepth
        self.isInterlaced = isInterlaced
        self.hasICCProfile = hasICCProfile
        self.exifOrientation = exifOrientation
    }
}
