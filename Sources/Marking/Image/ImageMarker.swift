import Media

/// Options for marking an image.
public struct ImageEmbedOptions: Sendable {
    /// Amplitude relative to the default: 1 fills the perceptual budget, capped at
    /// ``referencePSNR``, and raises its textured part where the rehearsed training chain would
    /// lose the mark (``ImageMarker/maskingGains``); 2 doubles that mark (6 dB lower PSNR, more
    /// robust, may become visible); under 1 scales the unraised mark down (0.5 halves it).
    public var strength: Double

    /// The PSNR (dB) strength 1 caps the mark at: busy images reach it, flat ones stay above it
    /// because their perceptual budget is smaller. The closed loop may take a capped image one
    /// decibel further (38 dB, the issue's floor) when the rehearsed chain needs it.
    public static let referencePSNR = 39.0

    public init(strength: Double = 1) {
        self.strength = strength
    }
}

/// What marking an image cost (``ImageMarker/embed(into:payload:options:)`` returns it alone;
/// ``ImageEmbedding`` with the marked image).
public struct ImageMarkReport: Sendable {
    /// PSNR of the marked image against the original, colour planes, dB.
    public var psnr: Double
    /// Mean SSIM of the luma.
    public var ssim: Double
    /// The mark's chip size in pixels (the short side / 128, at least 2).
    public var chipSize: Double
    /// Detection run on the marked image itself, for images whose short side is at most
    /// ``ImageMarker/readBackMaximumShortSide`` (nil above: there the mark has a wide margin).
    public var readBack: ImageDetection?
    /// The masking gain the embedder settled on (1 unless the rehearsed training chain needed more;
    /// see ``ImageMarker/maskingGains``) and the PSNR the mark was capped at.
    public var maskingGain: Double = 1
    public var psnrCap: Double = ImageEmbedOptions.referencePSNR
    /// What the rehearsed training chain (short side 256, centre crop, JPEG 75; ``ChainRehearsal``)
    /// read from the mark written.
    public var rehearsal: ImageDetection?
}

/// A marked image and what marking it cost.
@dynamicMemberLookup
public struct ImageEmbedding: Sendable {
    public var image: PlanarImage
    public var report: ImageMarkReport

    /// The report's figures read directly: `embedding.psnr`, `embedding.readBack`, …
    public subscript<T>(dynamicMember keyPath: KeyPath<ImageMarkReport, T>) -> T { report[keyPath: keyPath] }
}

/// Embeds the image mark under one key. Build it once per key and reuse it: the keyed codebook is
/// the only per-key work.
public struct ImageMarker: Sendable {
    public let codebook: ImageMarkCodebook

    public init(key: MarkKey) { codebook = ImageMarkCodebook(key: key) }
    public init(codebook: ImageMarkCodebook) { self.codebook = codebook }

    /// The smallest short side that still holds a couple of tiles.
    public static let minimumShortSide = 64

    /// Images up to this short side are read back after marking (before any encoding), and
    /// refused when their own payload does not come back: below ~100–160 px, by content, too few
    /// chips survive the detector's fold (measured: astronaut unreadable at 128 px, a leaf photo
    /// readable at 112). At this size a detection costs a few milliseconds; above it the
    /// untouched mark's evidence is far beyond the threshold on every image measured.
    public static let readBackMaximumShortSide = 512
    /// The false-positive probability an untouched small image's mark should reach; above it the
    /// mark is raised once by ``readBackBoostDecibels``. Six decades under the detection threshold,
    /// because a q85–95 re-encode took a textured 512² crop's mark from under 1e-12 to 6.7e-9
    /// (ScanBench: with 1e-12, 999 of 1 000 found; with 1e-15, 1 000, about 17 crops raised).
    public static let readBackMargin = 1e-15
    /// At most this much stronger (dB) for a weak small image: a busy image at the 39-dB cap goes
    /// to 38 dB, the issue's floor for any image.
    public static let readBackBoostDecibels = 1.0
    /// The lowest PSNR (dB) strength 1 ever leaves: the issue's floor for any image, one
    /// ``readBackBoostDecibels`` under the cap. The small-image read-back and the closed loop's
    /// last rung share it, so together they never go further.
    static let floorPSNR = ImageEmbedOptions.referencePSNR - readBackBoostDecibels

    /// Marks `image` with `payload`. Alpha, ICC profile and EXIF are carried over untouched.
    /// - Throws: ``MarkError/mediaTooSmall(_:)`` below ``minimumShortSide``,
    ///   ``MarkError/unreadable(_:)`` when a small image does not give its payload back (see
    ///   ``readBackMaximumShortSide``), ``MarkError/invalidParameter(_:)`` for a bad strength.
    /// - Complexity: O(pixels); a few passes over the luma.
    public func embed(_ image: PlanarImage, payload: Payload, options: ImageEmbedOptions = .init()) throws(MarkError) -> ImageEmbedding {
        var marked = image
        let report = try embed(into: &marked, payload: payload, options: options)
        return ImageEmbedding(image: marked, report: report)
    }

    /// Marks `image` in place: the same mark as ``embed(_:payload:options:)`` without a second copy
    /// of the pixels, for very large images (a 45-MP photo is 547 MB of float planes). On error
    /// `image` is left as it was.
    public func embed(into image: inout PlanarImage, payload: Payload, options: ImageEmbedOptions = .init()) throws(MarkError) -> ImageMarkReport {
        let shortSide = min(image.width, image.height)
        guard shortSide >= Self.minimumShortSide else {
            throw .mediaTooSmall("\(image.width)×\(image.height) pixels; the short side must be at least \(Self.minimumShortSide)")
        }
        guard options.strength > 0, options.strength.isFinite else {
            throw .invalidParameter("strength must be a positive number, not \(options.strength)")
        }
        let luma = Luminance.plane(of: image)
        let chipSize = TileLayout.chipSize(shortSide: shortSide)
        let detector = ImageDetector(codebook: codebook)
        let field = rehearsedField(for: image, luma: luma, chipSize: chipSize, payload: payload,
                                   strength: options.strength, detector: detector)
        let delta = field.delta, deltaRMS = field.rms
        var ssim = field.ssim

        var squaredChange: Double
        var readBack: ImageDetection?
        if shortSide <= Self.readBackMaximumShortSide {
            // Small: keeping the original for a raised second try (or to restore it) costs little.
            let original = image
            squaredChange = Luminance.add(delta, to: &image)
            var detection = detector.detect(image)
            // Raised by at most ``readBackBoostDecibels``, and not under the floor (the rehearsal
            // may have taken the last decibel already).
            let floorRMS = pow(10, -Self.floorPSNR / 20) * options.strength
            let boost = Float(min(pow(10, Self.readBackBoostDecibels / 20), floorRMS / max(deltaRMS, 1e-12)))
            if boost > 1.01, detection.payload != payload || detection.falsePositiveProbability > Self.readBackMargin {
                // A weak untouched mark (a small or heavily textured image held at the PSNR cap):
                // one retry.
                var boosted = original
                let boostedChange = Luminance.add(Plane(width: delta.width, height: delta.height,
                                                        values: delta.values.map { $0 * boost }), to: &boosted)
                let second = detector.detect(boosted)
                if second.payload == payload, detection.payload != payload
                    || second.falsePositiveProbability < detection.falsePositiveProbability {
                    image = boosted
                    squaredChange = boostedChange
                    ssim = nil
                    detection = second
                }
            }
            guard detection.payload == payload else {
                image = original
                throw .unreadable("\(image.width)×\(image.height) pixels: the payload does not come back from the marked "
                    + "image itself (false-positive probability \(String(format: "%.1e", detection.falsePositiveProbability))); "
                    + "images need about 160 px on the short side")
            }
            readBack = detection
        } else {
            squaredChange = Luminance.add(delta, to: &image)
        }
        return ImageMarkReport(psnr: ImageQuality.psnr(squaredError: squaredChange,
                                                       samples: image.colorModel.colorChannelCount * image.pixelCount),
                               ssim: ssim ?? ImageQuality.ssim(luma, Luminance.plane(of: image)), chipSize: chipSize, readBack: readBack,
                               maskingGain: Double(field.rung.maskingGain), psnrCap: field.rung.psnr, rehearsal: field.rehearsal)
    }
}

import Foundation
