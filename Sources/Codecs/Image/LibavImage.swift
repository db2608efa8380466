internal import CodecShims
import Media

/// GIF (first frame), BMP and TIFF (first page), decoded by libavcodec through the C shim
/// (`tm_av_decode_image`) to interleaved 8-bit RGB or RGBA. Read only: tracemark marks and writes
/// PNG, JPEG and WebP.
enum LibavImage {
    struct Header {
        var width: Int
        var height: Int
        var hasAlpha: Bool
    }

    /// The first frame's pixels, RGB or RGBA (8 bits), row after row.
    static func decode(_ bytes: [UInt8], format: ContainerFormat, maxPixels: Int) throws(CodecError) -> ([UInt8], Header) {
        var width: Int32 = 0, height: Int32 = 0, alpha: Int32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?
        let (status, message) = ShimMessage.calling { message, capacity in
            bytes.withUnsafeBufferPointer { data in
                tm_av_decode_image(data.baseAddress, data.count, Int64(maxPixels), &width, &height, &alpha, &pixels,
                                   message, capacity)
            }
        }
        defer { tm_free(pixels) }
        switch status {
        case 0: break
        case -2: throw .unsupported(format: format, reason: message)
        case -3: throw .tooLarge(width: Int(width), height: Int(height), limit: maxPixels)
        default: throw .corrupt(format: format, reason: message)
        }
        let header = Header(width: Int(width), height: Int(height), hasAlpha: alpha != 0)
        let count = header.width * header.height * (header.hasAlpha ? 4 : 3)
        return (Array(UnsafeBufferPointer(start: pixels!, count: count)), header)
    }
}
