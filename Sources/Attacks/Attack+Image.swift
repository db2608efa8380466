import Media

/// Applying one attack to an image: each case hands over to the kernel file that does the work.
extension Attack {
    /// This attack applied to `image`; `seed` drives any randomness (crop position, noise).
    ///
    /// Geometric attacks and filters (resize, crop, rotate, flip, blur, median) act on every plane,
    /// alpha included, so transparency follows the pixels. Tone attacks (noise, brightness,
    /// contrast, gamma) leave alpha alone: they model changes to the colours, not to coverage.
    /// Metadata (ICC profile, EXIF) is kept; `jpeg` and `png` return what their decoder read.
    /// - Throws: ``AttackError/notApplicable(attack:kind:)`` for an audio attack, the codec's
    ///   error from `jpeg` and `png`.
    public func apply(to image: PlanarImage, seed: UInt64) throws -> PlanarImage {
        var random = AttackRandom(seed: seed)
        switch self {
        case let .jpeg(quality):
            return try ImageCodecAttack.jpeg(image, quality: quality)
        case let .webp(quality):
            return try ImageCodecAttack.webp(image, quality: quality)
        case .png:
            return try ImageCodecAttack.png(image)
        case let .resize(factor):
            return ImageResampling.resize(image, width: Self.scaled(image.width, factor), height: Self.scaled(image.height, factor))
        case let .resizeShort(pixels):
            let short = min(image.width, image.height)
            let scale = Double(pixels) / Double(short)
            let width = image.width == short ? pixels : Self.scaled(image.width, scale)
            let height = image.height == short ? pixels : Self.scaled(image.height, scale)
            return ImageResampling.resize(image, width: width, height: height)
        case let .border(pixels):
            return ImageGeometry.padded(Self.fitted(image, inside: pixels, pixels), toWidth: pixels, height: pixels)
        case let .padEdge(pixels):
            return ImageGeometry.paddedByEdges(Self.fitted(image, inside: pixels, pixels), toWidth: pixels, height: pixels)
        case let .crop(area):
            return ImageGeometry.randomCrop(image, area: area, random: &random)
        case let .centerCrop(width, height):
            return ImageGeometry.centerCrop(image, width: width, height: height)
        case let .resizeTo(width, height):
            return ImageResampling.resize(image, width: width, height: height)
        case let .blurFill(width, height):
            let cover = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
            let picture = Self.fitted(image, inside: width, height)
            let enlarged = ImageResampling.resize(image, width: max(width, Self.scaled(image.width, cover)),
                                                  height: max(height, Self.scaled(image.height, cover)))
            let background = ImageBlur.gaussianBlur(ImageGeometry.centerCrop(enlarged, width: width, height: height),
                                                    sigma: Double(min(width, height)) / 40)
            return ImageGeometry.pasted(picture, centredOn: background)
        case let .rotate(degrees, cropToValid):
            return ImageWarp.rotate(image, degrees: degrees, cropToValid: cropToValid)
        case let .shear(degrees):
            return ImageWarp.shear(image, degrees: degrees)
        case let .keystone(fraction):
            return ImageWarp.keystone(image, fraction: fraction)
        case .flip:
            return ImageGeometry.flipHorizontally(image)
        case let .aspect(factor):
            return ImageResampling.resize(image, width: Self.scaled(image.width, factor), height: image.height)
        case let .noise(sigma):
            return ImageTone.addGaussianNoise(image, sigma: Float(sigma / 255), random: &random)
        case let .blur(sigma):
            return ImageBlur.gaussianBlur(image, sigma: sigma)
        case let .median(size):
            return ImageMedian.median(image, size: size)
        case let .brightness(factor):
            return ImageTone.brightness(image, factor: Float(factor))
        case let .contrast(factor):
            return ImageTone.contrast(image, factor: Float(factor))
        case let .gamma(gamma):
            return ImageTone.gamma(image, gamma: Float(gamma))
        case .mp3, .ogg, .opus, .aac, .resample, .lowpass, .highpass, .reverb, .audioNoise, .volume, .excerpt,
             .surround, .shift, .speed, .tempo, .pitch, .mono, .invert:
            throw AttackError.notApplicable(attack: description, kind: .image)
        }
    }

    /// A side of `pixels` scaled by `factor`, rounded, at least 1.
    /// `image` scaled, keeping its aspect ratio, to the largest size that fits inside
    /// `width × height`.
    private static func fitted(_ image: PlanarImage, inside width: Int, _ height: Int) -> PlanarImage {
        let fit = min(Double(width) / Double(image.width), Double(height) / Double(image.height))
        return ImageResampling.resize(image, width: min(width, scaled(image.width, fit)),
                                      height: min(height, scaled(image.height, fit)))
    }

    private static func scaled(_ pixels: Int, _ factor: Double) -> Int {
        max(1, Int((Double(pixels) * factor).rounded()))
    }
}
