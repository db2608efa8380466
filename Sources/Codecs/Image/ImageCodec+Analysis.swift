import Media

extension ImageCodec {
    /// Luma only, decoded as small as the analysis allows: a JPEG is decoded with libjpeg's DCT
    /// scaling (1/2, 1/4, 1/8) to the smallest size whose short side is still at least
    /// `minimumShortSide`, which skips most of the inverse DCT and all of the chroma work. A
    /// detector that reads only low frequencies (the image mark) loses nothing by it.
    ///
    /// The returned image's ``ImageMetadata/decodeScaleDenominator`` says how much smaller it is
    /// than the file (always 1 for PNG).
    public static func decodeLuminance(_ bytes: [UInt8], minimumShortSide: Int,
                                       maxPixels: Int = ImageDecodeOptions().maxPixels) throws -> PlanarImage {
        let info = try probe(bytes)
        var denominator = 1
        if info.format == .jpeg {
            let shortSide = min(info.width, info.height)
            for candidate in [8, 4, 2] where shortSide / candidate >= minimumShortSide {
                denominator = candidate
                break
            }
        }
        return try decode(bytes, options: ImageDecodeOptions(maxPixels: maxPixels, jpegScaleDenominator: denominator,
                                                             luminanceOnly: true))
    }
}
