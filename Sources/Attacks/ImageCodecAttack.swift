import Codecs
import Media

/// Re-saving an image through a real codec, in memory.
enum ImageCodecAttack {
    /// Encoded by libjpeg at `quality` with 4:2:0 chroma subsampling (what cameras, browsers and
    /// social networks write) and decoded. ICC and EXIF travel through the file; alpha does not,
    /// so an RGBA image comes back RGB, as from a real JPEG.
    static func jpeg(_ image: PlanarImage, quality: Int) throws -> PlanarImage {
        try ImageCodec.decode(encodeJPEG(image, quality: quality))
    }

    /// Encoded as an 8-bit PNG and decoded: every sample rounded to one of 256 levels.
    static func png(_ image: PlanarImage) throws -> PlanarImage {
        try ImageCodec.decode(encodePNG(image))
    }

    /// The JPEG file the `jpeg` attack writes.
    static func encodeJPEG(_ image: PlanarImage, quality: Int) throws -> [UInt8] {
        let options = ImageEncodeOptions(quality: quality, chromaSubsampling: .s420, keepMetadata: true)
        return try ImageCodec.encode(image, as: .jpeg, options: options)
    }

    /// The PNG file the `png` attack writes.
    static func encodePNG(_ image: PlanarImage) throws -> [UInt8] {
        try ImageCodec.encode(image, as: .png, options: ImageEncodeOptions(pngBitDepth: 8, keepMetadata: true))
    }
}
