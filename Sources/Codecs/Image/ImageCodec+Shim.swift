internal import CodecShims
import Media

// The Swift side of the C shims (Sources/CodecShims): buffers in, status and message out. Nothing
// here can see a longjmp; the shims have already turned every library error into a status.

/// Owns the buffers one shim decode handed over (malloc'd in C) and frees each exactly once.
/// Its accessors are the only Swift code that reads `tm_decoded_image`.
final class ShimDecodedImage {
    fileprivate var raw = tm_decoded_image()

    deinit {
        tm_free(raw.pixels.data)
        tm_free(raw.icc.data)
        tm_free(raw.exif.data)
    }

    /// Size of the pixel buffer (for JPEG, after DCT scaling).
    var width: Int { Int(raw.width) }
    var height: Int { Int(raw.height) }
    /// Size stated by the header.
    var sourceWidth: Int { Int(raw.source_width) }
    var sourceHeight: Int { Int(raw.source_height) }
    /// Interleaved samples per pixel, 1–4.
    var channels: Int { Int(raw.channels) }
    /// 1, or 2 for big-endian 16-bit samples.
    var bytesPerSample: Int { Int(raw.bytes_per_sample) }
    var sourceBitDepth: Int { Int(raw.source_bit_depth) }
    var isInterlaced: Bool { raw.is_interlaced != 0 }
    var hasICCProfile: Bool { raw.icc.size > 0 }
    var iccProfile: [UInt8]? { Self.bytes(raw.icc) }
    var exif: [UInt8]? { Self.bytes(raw.exif) }

    /// Runs `body` on the interleaved pixels, which stay valid (this owner alive) until it returns;
    /// `nil` when the buffer is missing or not `width × height × channels × bytesPerSample` long.
    func withPixels<R>(_ body: (UnsafePointer<UInt8>?) -> R) -> R {
        withExtendedLifetime(self) {
            let expected = width * height * channels * bytesPerSample
            guard let data = raw.pixels.data, expected > 0, raw.pixels.size == expected else { return body(nil) }
            return body(UnsafePointer(data))
        }
    }

    private static func bytes(_ buffer: tm_buffer) -> [UInt8]? {
        guard let data = buffer.data, buffer.size > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: buffer.size))
    }
}

/// Owns one encoded file the shim handed over and frees it exactly once.
final class ShimEncodedBuffer {
    fileprivate var raw = tm_buffer()

    deinit { tm_free(raw.data) }

    var bytes: [UInt8] {
        guard let data = raw.data, raw.size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: raw.size))
    }
}

enum ImageShim {
    /// Decodes (or, with `headerOnly`, only probes) `bytes`, throwing the shim's failure as a
    /// ``CodecError``.
    static func decode(_ bytes: [UInt8], format: ContainerFormat, options: ImageDecodeOptions,
                       headerOnly: Bool) throws(CodecError) -> ShimDecodedImage {
        var shimOptions = tm_decode_options()
        shimOptions.max_pixels = headerOnly ? .max : UInt64(max(0, options.maxPixels))
        shimOptions.scale_denominator = Int32(clamping: format == .jpeg && !headerOnly ? options.jpegScaleDenominator : 1)
        shimOptions.luminance_only = options.luminanceOnly ? 1 : 0
        shimOptions.header_only = headerOnly ? 1 : 0
        let decoded = ShimDecodedImage()
        let (status, message) = ShimMessage.calling { message, capacity in
            bytes.withUnsafeBufferPointer { input in
                switch format {
                case .png: tm_png_decode(input.baseAddress, input.count, &shimOptions, &decoded.raw, message, capacity)
                default: tm_jpeg_decode(input.baseAddress, input.count, &shimOptions, &decoded.raw, message, capacity)
                }
            }
        }
        try check(status, message: message, format: format, encoding: false,
                  claimedSize: (decoded.sourceWidth, decoded.sourceHeight), limit: options.maxPixels)
        return decoded
    }

    /// Encodes interleaved rows with the given metadata.
    static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int, bitDepth: Int,
                       iccProfile: [UInt8]?, exif: [UInt8]?, format: ContainerFormat,
                       options: ImageEncodeOptions) throws(CodecError) -> [UInt8] {
        var settings = tm_jpeg_settings()
        settings.quality = Int32(clamping: options.quality)
        settings.chroma_444 = options.chromaSubsampling == .s444 ? 1 : 0
        settings.progressive = options.progressive ? 1 : 0
        let encoded = ShimEncodedBuffer()
        let (status, message) = ShimMessage.calling { message, capacity in
            pixels.withUnsafeBufferPointer { pixelBuffer in
                withOptionalBytes(iccProfile) { icc, iccSize in
                    withOptionalBytes(exif) { exifBytes, exifSize in
                        var input = tm_encode_input()
                        input.pixels = pixelBuffer.baseAddress
                        input.width = UInt32(clamping: width)
                        input.height = UInt32(clamping: height)
                        input.channels = Int32(channels)
                        input.bit_depth = Int32(bitDepth)
                        input.icc = icc
                        input.icc_size = iccSize
                        input.exif = exifBytes
                        input.exif_size = exifSize
                        return format == .png
                            ? tm_png_encode(&input, &encoded.raw, message, capacity)
                            : tm_jpeg_encode(&input, &settings, &encoded.raw, message, capacity)
                    }
                }
            }
        }
        try check(status, message: message, format: format, encoding: true)
        return encoded.bytes
    }

    /// The one place a shim status becomes a Swift error. `claimedSize` and `limit` describe a
    /// refused decode (TM_TOO_LARGE).
    private static func check(_ status: tm_status, message: String, format: ContainerFormat, encoding: Bool,
                              claimedSize: (width: Int, height: Int) = (0, 0), limit: Int = 0) throws(CodecError) {
        switch status {
        case TM_OK:
            return
        case TM_TOO_LARGE:
            throw .tooLarge(width: claimedSize.width, height: claimedSize.height, limit: limit)
        case TM_CORRUPT:
            throw .corrupt(format: format, reason: message)
        case TM_UNSUPPORTED:
            throw encoding ? .encodeFailed(format: format, reason: message) : .unsupported(format: format, reason: message)
        case TM_OUT_OF_MEMORY:
            let reason = message.isEmpty ? "out of memory" : message
            throw encoding ? .encodeFailed(format: format, reason: reason) : .unsupported(format: format, reason: reason)
        default: // TM_ENCODE_FAILED
            throw .encodeFailed(format: format, reason: message)
        }
    }


    private static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?, Int) -> R) -> R {
        guard let bytes, !bytes.isEmpty else { return body(nil, 0) }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
    }
}
