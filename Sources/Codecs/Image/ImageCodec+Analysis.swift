import Media

extension ImageCodec {
    /// Luma only, decoded as small as the analysis allows: a JPEG is decoded with libjpeg's DCT
    /// scaling (1/2, 1/4, 1/8) to the smallest size whose short side is still at least
    /// `minimumShortSide`, which skips most of the inverse DCT and all of the chroma work. A
    /// detector that reads only low frequencies (the image mark) loses nothing by it.
    ///
    /// The smallest size is chosen for the picture, not the canvas: when a uniform border or a
    /// blurred fill (see ``Media/PlanarImage/pictureBounds()``) leaves the picture's short side under
    /// `minimumShortSide`, the JPEG is decoded once more at a finer scale.
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
        let image = try decode(bytes, options: ImageDecodeOptions(maxPixels: maxPixels, jpegScaleDenominator: denominator,
                                                                  luminanceOnly: true))
        guard denominator > 1 else { return image }
        // The picture inside a border or fill (padding to a square, letterbox) must keep the short
        // side, not only the canvas: decode it again at a finer scale when it did not.
        let content = image.pictureBounds()
        let decodedShortSide = min(content.width, content.height)
        guard decodedShortSide < minimumShortSide else { return image }
        // The picture's short side in the file's pixels, and the coarsest scale that keeps it.
        let pictureShortSide = decodedShortSide * denominator
        let finer = [4, 2, 1].first { $0 < denominator && pictureShortSide / $0 >= minimumShortSide } ?? 1
        return try decode(bytes, options: ImageDecodeOptions(maxPixels: maxPixels, jpegScaleDenominator: finer,
                                                             luminanceOnly: true))
    }
}
