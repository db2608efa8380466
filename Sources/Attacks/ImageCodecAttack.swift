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

    /// Encoded by libwebp (lossy VP8, cwebp's quality scale) and decoded. Alpha travels through
    /// the file; ICC and EXIF do not (libwebp's simple API writes none), so the input's are kept.
    static func webp(_ image: PlanarImage, quality: Int) throws -> PlanarImage {
        let decoded = try ImageCodec.decode(encodeWebP(image, quality: quality))
        // WebP has no gray model (gray comes back with R = G = B), and libwebp leaves out an alpha
        // that is opaque everywhere: the input's colour model is restored.
        var planes = Array(decoded.planes.prefix(image.colorModel.colorChannelCount))
        if image.colorModel.hasAlpha {
            planes.append(decoded.colorModel.hasAlpha ? decoded.planes[3] : [Float](repeating: 1, count: decoded.pixelCount))
        }
        var metadata = decoded.metadata
        metadata.iccProfile = image.metadata.iccProfile
        metadata.exif = image.metadata.exif
        metadata.exifOrientation = image.metadata.exifOrientation
        return PlanarImage(width: decoded.width, height: decoded.height, colorModel: image.colorModel, planes: planes,
                           metadata: metadata)
    }

    /// The WebP file the `webp` attack writes.
    static func encodeWebP(_ image: PlanarImage, quality: Int) throws -> [UInt8] {
        try ImageCodec.encode(image, as: .webp, options: ImageEncodeOptions(quality: quality))
    }

    /// The PNG file the `png` attack writes.
    static func encodePNG(_ image: PlanarImage) throws -> [UInt8] {
        try ImageCodec.encode(image, as: .png, options: ImageEncodeOptions(pngBitDepth: 8, keepMetadata: true))
    }
}
