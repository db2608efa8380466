import CWebP
import Media

/// WebP through libwebp's one-call API (`WebPGetFeatures`, `WebPDecodeRGB(A)`, `WebPEncodeRGB(A)`).
/// libwebp reports errors by return value, so no C shim is needed: nothing here jumps.
///
/// WebP stores 8-bit RGB or RGBA (gray images are written as RGB) and the simple API keeps no ICC
/// profile or EXIF block; encoding is lossy VP8 at a quality of 1...100 on cwebp's scale.
enum WebPCodec {
    struct Header {
        var width: Int
        var height: Int
        var hasAlpha: Bool
    }

    /// Width, height and alpha from the bitstream header.
    static func header(_ bytes: [UInt8]) throws(CodecError) -> Header {
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { WebPGetFeatures($0.baseAddress, $0.count, &features) }
        guard status == VP8_STATUS_OK, features.width > 0, features.height > 0 else {
            throw .corrupt(format: .webp, reason: "unreadable WebP header (libwebp status \(status.rawValue))")
        }
        guard features.has_animation == 0 else {
            throw .unsupported(format: .webp, reason: "animated WebP (only still images are read)")
        }
        return Header(width: Int(features.width), height: Int(features.height), hasAlpha: features.has_alpha != 0)
    }

    /// Interleaved 8-bit RGB, or RGBA when the file has alpha.
    static func decode(_ bytes: [UInt8], maxPixels: Int) throws(CodecError) -> (pixels: [UInt8], header: Header) {
        let header = try header(bytes)
        guard header.width * header.height <= maxPixels else {
            throw .tooLarge(width: header.width, height: header.height, limit: maxPixels)
        }
        let channels = header.hasAlpha ? 4 : 3
        var width: Int32 = 0, height: Int32 = 0
        let output = bytes.withUnsafeBufferPointer { data in
            header.hasAlpha ? WebPDecodeRGBA(data.baseAddress, data.count, &width, &height)
                            : WebPDecodeRGB(data.baseAddress, data.count, &width, &height)
        }
        guard let output, Int(width) == header.width, Int(height) == header.height else {
            if let output { WebPFree(output) }
            throw .corrupt(format: .webp, reason: "libwebp could not decode the image data (damaged or truncated)")
        }
        defer { WebPFree(output) }
        let pixels = Array(UnsafeBufferPointer(start: output, count: header.width * header.height * channels))
        return (pixels, header)
    }

    /// A lossy WebP of interleaved 8-bit `pixels` (3 channels RGB, 4 RGBA).
    static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int) throws(CodecError) -> [UInt8] {
        guard channels == 3 || channels == 4 else {
            throw .encodeFailed(format: .webp, reason: "WebP stores RGB or RGBA, not \(channels) channels")
        }
        guard (1...100).contains(quality) else {
            throw .encodeFailed(format: .webp, reason: "WebP quality must be 1...100, not \(quality)")
        }
        guard width <= Int(WEBP_MAX_DIMENSION), height <= Int(WEBP_MAX_DIMENSION) else {
            throw .encodeFailed(format: .webp, reason: "\(width)×\(height) is larger than WebP's \(WEBP_MAX_DIMENSION) pixels a side")
        }
        var output: UnsafeMutablePointer<UInt8>?
        let size = pixels.withUnsafeBufferPointer { rgb in
            channels == 4
                ? WebPEncodeRGBA(rgb.baseAddress, Int32(width), Int32(height), Int32(width * 4), Float(quality), &output)
                : WebPEncodeRGB(rgb.baseAddress, Int32(width), Int32(height), Int32(width * 3), Float(quality), &output)
        }
        guard let output, size > 0 else {
            throw .encodeFailed(format: .webp, reason: "libwebp's encoder failed")
        }
        defer { WebPFree(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
