import Media

/// Reads and writes PNG, JPEG and WebP images in memory, through libpng, libjpeg-turbo and libwebp;
/// reads (only) GIF, BMP and TIFF through libavcodec.
///
/// Formats are recognised from content (``FormatSniffer``), never from a file name. Every failure
/// is a ``CodecError``: damaged or truncated data (including a JPEG that ends early, which libjpeg
/// alone would pad with gray) throws instead of returning a partial image. A file whose pixel data
/// is complete but whose trailer (IEND, EOI) is missing or damaged still decodes.
public enum ImageCodec {
    /// The header of an image, without decoding pixels where the format allows (what `tracemark info`
    /// shows; GIF, BMP and TIFF are decoded for it).
    /// - Complexity: reads only the chunks or markers before the image data.
    public static func probe(_ bytes: [UInt8]) throws -> ImageInfo {
        let format = try imageFormat(of: bytes)
        if format == .webp {
            let header = try WebPCodec.header(bytes)
            return ImageInfo(format: .webp, width: header.width, height: header.height,
                             colorModel: header.hasAlpha ? .rgba : .rgb, bitDepth: 8, isInterlaced: false,
                             hasICCProfile: false, exifOrientation: nil)
        }
        if isReadOnly(format) {
            // libavcodec has no header-only decode for these; they are small and fast to decode.
            let (_, header) = try LibavImage.decode(bytes, format: format, maxPixels: ImageDecodeOptions().maxPixels)
            return ImageInfo(format: format, width: header.width, height: header.height,
                             colorModel: header.hasAlpha ? .rgba : .rgb, bitDepth: 8, isInterlaced: false,
                             hasICCProfile: false, exifOrientation: nil)
        }
        let header = try ImageShim.decode(bytes, format: format, options: ImageDecodeOptions(), headerOnly: true)
        guard let colorModel = ColorModel(channelCount: header.channels) else {
            throw CodecError.corrupt(format: format, reason: "decoder reported \(header.channels) channels")
        }
        return ImageInfo(
            format: format, width: header.sourceWidth, height: header.sourceHeight, colorModel: colorModel,
            bitDepth: header.sourceBitDepth, isInterlaced: header.isInterlaced, hasICCProfile: header.hasICCProfile,
            exifOrientation: header.exif.flatMap(ExifOrientation.read(from:))
        )
    }

    /// Decodes an image into planes of samples in `0...1`.
    ///
    /// - PNG: every bit depth and colour type. Palette images become RGB (RGBA with a tRNS chunk),
    ///   tRNS on gray or RGB becomes an alpha plane, 16-bit samples keep full precision
    ///   (``ImageMetadata/bitDepth`` 16), Adam7 interlacing is undone.
    /// - JPEG: baseline and progressive, gray or colour. CMYK (and YCCK) is read for its luma only
    ///   (`luminanceOnly`, through a naive ink conversion: what detection needs); a full decode of
    ///   one throws ``CodecError/unsupported(format:reason:)``, and ``probe(_:)`` reports it as RGB.
    /// - WebP: lossy or lossless, RGB or RGBA (libwebp; no ICC profile or EXIF is read).
    /// - GIF (first frame), BMP, TIFF (first page): 8-bit RGB or RGBA through libavcodec and
    ///   libswscale (a palette's transparency becomes alpha; 16-bit TIFF samples are rounded to 8
    ///   bits; no ICC profile or EXIF is read).
    ///
    /// ICC profile, EXIF block and EXIF orientation go to ``PlanarImage/metadata``; orientation is
    /// reported, not applied.
    /// - Complexity: O(pixels), one pass to convert the library's rows to planes.
    public static func decode(_ bytes: [UInt8], options: ImageDecodeOptions = .init()) throws -> PlanarImage {
        let format = try imageFormat(of: bytes)
        if format == .webp {
            let (pixels, header) = try WebPCodec.decode(bytes, maxPixels: options.maxPixels)
            return planarImage(pixels, width: header.width, height: header.height, hasAlpha: header.hasAlpha,
                               format: .webp, options: options)
        }
        if isReadOnly(format) {
            let (pixels, header) = try LibavImage.decode(bytes, format: format, maxPixels: options.maxPixels)
            return planarImage(pixels, width: header.width, height: header.height, hasAlpha: header.hasAlpha,
                               format: format, options: options)
        }
        if format == .jpeg, ![1, 2, 4, 8].contains(options.jpegScaleDenominator) {
            throw CodecError.unsupported(
                format: .jpeg, reason: "scale denominator \(options.jpegScaleDenominator) is not 1, 2, 4 or 8")
        }
        let decoded = try ImageShim.decode(bytes, format: format, options: options, headerOnly: false)
        let width = decoded.width, height = decoded.height
        let channels = decoded.channels, bytesPerSample = decoded.bytesPerSample
        let pixelCount = width * height
        guard let model = ColorModel(channelCount: channels) else {
            throw CodecError.corrupt(format: format, reason: "decoder reported \(channels) channels")
        }
        // Luminance only keeps alpha: detection reads an image without its fully transparent parts
        // too (what lies under them is not the picture; encoders may flatten it).
        let colorModel = options.luminanceOnly ? (model.hasAlpha ? ColorModel.grayAlpha : .gray) : model
        let converted = decoded.withPixels { pixels -> [[Float]]? in
            guard let pixels else { return nil }
            return PixelConversion.makePlanes(count: colorModel.channelCount, length: pixelCount) { planes in
                if options.luminanceOnly {
                    if channels >= 3 {
                        PixelConversion.luma(pixels, pixelCount: pixelCount, channels: channels,
                                             bytesPerSample: bytesPerSample, into: planes[0])
                    } else {
                        PixelConversion.extractChannel(pixels, pixelCount: pixelCount, channels: channels,
                                                       bytesPerSample: bytesPerSample, into: planes[0])
                    }
                    if model.hasAlpha {
                        PixelConversion.extractChannel(pixels + (channels - 1) * bytesPerSample, pixelCount: pixelCount,
                                                       channels: channels, bytesPerSample: bytesPerSample, into: planes[1])
                    }
                } else if bytesPerSample == 2 {
                    PixelConversion.deinterleave16(pixels, pixelCount: pixelCount, into: planes)
                } else {
                    PixelConversion.deinterleave8(pixels, pixelCount: pixelCount, into: planes)
                }
            }
        }
        guard let planes = converted else {
            throw CodecError.corrupt(format: format, reason: "decoder returned an inconsistent pixel buffer")
        }
        let exif = decoded.exif
        let metadata = ImageMetadata(
            sourceFormat: format, bitDepth: decoded.sourceBitDepth, iccProfile: decoded.iccProfile,
            exif: exif, exifOrientation: exif.flatMap(ExifOrientation.read(from:)),
            isInterlaced: decoded.isInterlaced,
            decodeScaleDenominator: format == .jpeg ? options.jpegScaleDenominator : 1
        )
        return PlanarImage(width: width, height: height, colorModel: colorModel, planes: planes, metadata: metadata)
    }

    /// Encodes `image` as a PNG, JPEG or WebP file.
    ///
    /// - PNG: 8 or 16 bits (``ImageEncodeOptions/pngBitDepth``), in the image's colour model.
    /// - JPEG: gray stays gray, RGB is stored as YCbCr; an alpha plane is dropped (JPEG has none).
    /// - WebP: lossy (VP8) at ``ImageEncodeOptions/quality`` on cwebp's scale; gray becomes RGB,
    ///   alpha is kept; no ICC profile or EXIF (libwebp's simple API writes none).
    ///
    /// Samples are clamped to `0...1` and rounded to the nearest integer level. With
    /// ``ImageEncodeOptions/keepMetadata`` the ICC profile and EXIF block are written as they are.
    /// - Parameter format: ``ContainerFormat/png`` or ``ContainerFormat/jpeg``.
    public static func encode(_ image: PlanarImage, as format: ContainerFormat,
                              options: ImageEncodeOptions = .init()) throws -> [UInt8] {
        let bitDepth: Int
        let planes: [[Float]]
        switch format {
        case .png:
            bitDepth = options.pngBitDepth ?? (image.metadata.bitDepth > 8 ? 16 : 8)
            guard bitDepth == 8 || bitDepth == 16 else {
                throw CodecError.encodeFailed(format: .png, reason: "PNG bit depth must be 8 or 16, not \(bitDepth)")
            }
            planes = image.planes
        case .jpeg:
            guard (1...100).contains(options.quality) else {
                throw CodecError.encodeFailed(format: .jpeg, reason: "JPEG quality must be 1...100, not \(options.quality)")
            }
            bitDepth = 8
            planes = Array(image.planes.prefix(image.colorModel.colorChannelCount))
        case .webp:
            // WebP has no gray model: gray is written as RGB.
            bitDepth = 8
            switch image.colorModel {
            case .gray: planes = [image.planes[0], image.planes[0], image.planes[0]]
            case .grayAlpha: planes = [image.planes[0], image.planes[0], image.planes[0], image.planes[1]]
            case .rgb, .rgba: planes = image.planes
            }
        default:
            throw CodecError.encodeFailed(format: format, reason: format.kind == .image
                ? "\(format.rawValue) is read, not written: write PNG, JPEG or WebP" : "not an image format")
        }

        let pixelCount = image.pixelCount
        let bytesPerSample = bitDepth / 8
        let pixels = PixelConversion.withPlanePointers(planes) { pointers in
            [UInt8](unsafeUninitializedCapacity: pixelCount * planes.count * bytesPerSample) { buffer, initialized in
                if bitDepth == 16 {
                    PixelConversion.interleave16(pointers, pixelCount: pixelCount, into: buffer.baseAddress!)
                } else {
                    PixelConversion.interleave8(pointers, pixelCount: pixelCount, into: buffer.baseAddress!)
                }
                initialized = buffer.count
            }
        }
        if format == .webp {
            return try WebPCodec.encode(pixels: pixels, width: image.width, height: image.height,
                                        channels: planes.count, quality: options.quality)
        }
        let metadata = image.metadata
        return try ImageShim.encode(
            pixels: pixels, width: image.width, height: image.height, channels: planes.count, bitDepth: bitDepth,
            iccProfile: options.keepMetadata ? metadata.iccProfile : nil,
            exif: options.keepMetadata ? metadata.exif : nil, format: format, options: options
        )
    }

    /// The formats read through libavcodec (GIF, BMP, TIFF), which tracemark does not write.
    private static func isReadOnly(_ format: ContainerFormat) -> Bool { format.kind == .image && !format.isWritable }

    /// Planes of interleaved 8-bit RGB or RGBA `pixels` (WebP, and the formats read through
    /// libavcodec): no ICC profile or EXIF is read from these.
    private static func planarImage(_ pixels: [UInt8], width: Int, height: Int, hasAlpha: Bool, format: ContainerFormat,
                                    options: ImageDecodeOptions) -> PlanarImage {
        let channels = hasAlpha ? 4 : 3
        let pixelCount = width * height
        let colorModel: ColorModel = options.luminanceOnly ? (hasAlpha ? .grayAlpha : .gray) : (hasAlpha ? .rgba : .rgb)
        let planes = pixels.withUnsafeBufferPointer { source in
            PixelConversion.makePlanes(count: colorModel.channelCount, length: pixelCount) { planes in
                if options.luminanceOnly {
                    PixelConversion.luma(source.baseAddress!, pixelCount: pixelCount, channels: channels,
                                         bytesPerSample: 1, into: planes[0])
                    if hasAlpha {
                        PixelConversion.extractChannel(source.baseAddress! + 3, pixelCount: pixelCount, channels: 4,
                                                       bytesPerSample: 1, into: planes[1])
                    }
                } else {
                    PixelConversion.deinterleave8(source.baseAddress!, pixelCount: pixelCount, into: planes)
                }
            }
        }
        let metadata = ImageMetadata(sourceFormat: format, bitDepth: 8, iccProfile: nil, exif: nil,
                                     exifOrientation: nil, isInterlaced: false, decodeScaleDenominator: 1)
        return PlanarImage(width: width, height: height, colorModel: colorModel, planes: planes, metadata: metadata)
    }

    /// The image container `bytes` hold, from their signature.
    private static func imageFormat(of bytes: [UInt8]) throws(CodecError) -> ContainerFormat {
        guard let format = FormatSniffer.format(of: bytes) else { throw .unrecognizedFormat }
        guard format.kind == .image else { throw .unsupported(format: format, reason: "not an image file") }
        return format
    }
}
