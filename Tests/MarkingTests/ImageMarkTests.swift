import Attacks
import Codecs
import Foundation
import Media
import Testing
import TestSupport
@testable import Marking

/// End-to-end behaviour of the image mark on real photographs. The full attack table runs in the
/// robustness harness; these cover the mechanisms: payload through re-encoding and rescaling, a
/// crop, silence on unmarked images and under a wrong key, and the quality the embedder promises.
@Suite("Image mark, end to end", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ImageMarkTests {
    static let key = try! MarkKey(bytes: (0..<32).map { UInt8(255 - $0) })
    static let marker = ImageMarker(key: key)
    static let detector = ImageDetector(codebook: marker.codebook)
    static let payload = Payload(0x1234_5678_9ABC_DEF0)

    static func load(_ name: String) throws -> PlanarImage {
        try ImageCodec.decode(try Corpus.bytes(of: Corpus.image(name)))
    }

    /// Quarter-size JPEG photos keep debug-build tests fast; the mark scales with the image.
    static func marked(_ name: String) throws -> (original: PlanarImage, marked: ImageEmbedding) {
        let original = try load(name)
        return (original, try marker.embed(original, payload: payload))
    }

    @Test(arguments: ["skimage_coffee.png", "skimage_camera_gray.png", "plasma_forest_path.jpg"])
    func qualityIsWithinBudget(name: String) throws {
        let (_, embedding) = try Self.marked(name)
        // 39 dB at most for busy images; 38, the floor, when the rehearsed training
        // chain needed the last decibel.
        #expect(embedding.psnr >= 37.95, "PSNR \(embedding.psnr) dB")
        #expect(embedding.ssim >= 0.98, "SSIM \(embedding.ssim)")
    }

    @Test(arguments: [
        ("plasma_forest_path.jpg", "jpeg:75"), ("plasma_forest_path.jpg", "resize:0.5,jpeg:75"),
        ("plasma_forest_path.jpg", "resize:0.25"), ("plasma_forest_path.jpg", "resize:0.5,webp:75"), ("skimage_coffee.png", "jpeg:50"),
        ("plasma_fallen_leaf.jpg", "crop:0.25"), ("plasma_fallen_leaf.jpg", "rotate:5"),
        // Padded to a square (img2dataset's default resize): the picture, not the canvas, sets the
        // working scale; before, 19 of 24 corpus images were lost to the padding.
        ("plasma_forest_path.jpg", "border:512,jpeg:90"),
        // A 512² image at a quarter: chips of one pixel on the pixel grid, 1-px autocorrelation
        // peaks at a 32-px period (the lattice search's window scores must not jump there).
        ("skimage_camera_gray.png", "resize:0.25"),
        // Padded to a square on a blurred copy of itself (social media): the picture inside the
        // fill is read as its own view; before, 5 of 24 corpus images were found.
        ("plasma_forest_path.jpg", "blur-fill:1080x1080,jpeg:85"),
    ])
    func payloadSurvives(name: String, attack: String) throws {
        let (_, embedding) = try Self.marked(name)
        let attacked = try AttackChain(parsing: attack).apply(to: embedding.image, seed: 7)
        let result = Self.detector.detect(attacked)
        #expect(result.detected && result.payload == Self.payload,
                "\(name) after \(attack): FPR \(result.falsePositiveProbability), χ² \(result.chiSquare)")
    }

    /// Half of a marked photo fully transparent, stored as lossy WebP: libwebp flattens fully
    /// transparent blocks (its default, not `exact`), and the blocks' edges buried the mark in
    /// the half that is still there (FPR 0.01); the detector now also reads the image without
    /// its transparent parts — through the full decode and through the luma-only decode that
    /// `detect` and `scan` use.
    @Test func halfTransparentImageSurvivesWebP() throws {
        var image = try AttackChain(parsing: "resize:0.5").apply(to: try Self.load("plasma_forest_path.jpg"), seed: 1)
        image.colorModel = .rgba
        image.planes.append((0..<image.pixelCount).map { $0 % image.width < image.width / 2 ? 0 : 1 })
        let marked = try Self.marker.embed(image, payload: Self.payload)
        let webp = try ImageCodec.encode(marked.image, as: .webp, options: ImageEncodeOptions(quality: 75))
        for decoded in [try ImageCodec.decode(webp),
                        try ImageCodec.decodeLuminance(webp, minimumShortSide: ImageDetector.workingShortSide)] {
            #expect(decoded.alpha != nil)
            let result = Self.detector.detect(decoded)
            #expect(result.payload == Self.payload && result.falsePositiveProbability < 1e-15,
                    "\(decoded.colorModel): FPR \(result.falsePositiveProbability)")
        }
    }

    /// A banner 33 times as wide as it is high: its 62 tiles across make the lattice search's
    /// small period errors add up (64.06 px found where the tile is 64: two chips of drift from
    /// one end to the other), so the exact lattice of the marked size must be tried beside any
    /// found lattice that is merely close to it. Before, this banner could not be marked (its
    /// own read-back gave FPR 1e-3) and others were read at 1e-4 … 1e-12.
    @Test func longBannerIsReadAcrossItsLength() throws {
        let banner = try AttackChain(parsing: "resize-to:4000x120").apply(to: try Self.load("skimage_astronaut.png"), seed: 1)
        let marked = try Self.marker.embed(banner, payload: Self.payload)
        let stored = try AttackChain(parsing: "png").apply(to: marked.image, seed: 1)
        let result = Self.detector.detect(stored)
        #expect(result.payload == Self.payload && result.falsePositiveProbability < 1e-30,
                "FPR \(result.falsePositiveProbability), period \(result.sync?.tilePeriod ?? 0)")
    }

    /// A product photo on a plain background, marked to its edges: the background is as flat as
    /// padding, but it carries the mark and sets the tile size, so the whole image must still be
    /// read (reading only the picture inside lost it, untouched). Padded copies read the picture.
    @Test(arguments: [Float(1), Float(0.94)])
    func pictureOnAPlainBackgroundIsReadWhole(background: Float) throws {
        let photo = try AttackChain(parsing: "resize-short:480,center-crop:480x480").apply(to: try Self.load("plasma_forest_path.jpg"), seed: 0)
        let side = 1200, inner = 480, offset = (side - inner) / 2
        let planes = photo.planes.map { plane -> [Float] in
            var canvas = [Float](repeating: background, count: side * side)
            for row in 0..<inner {
                canvas.replaceSubrange((offset + row) * side + offset..<(offset + row) * side + offset + inner,
                                       with: plane[(row * inner)..<((row + 1) * inner)])
            }
            return canvas
        }
        let product = PlanarImage(width: side, height: side, colorModel: photo.colorModel, planes: planes)
        let marked = try Self.marker.embed(product, payload: Self.payload).image
        for attack in ["none", "jpeg:80"] {
            let result = Self.detector.detect(try AttackChain(parsing: attack).apply(to: marked, seed: 1))
            #expect(result.payload == Self.payload, "background \(background), \(attack): FPR \(result.falsePositiveProbability)")
        }
    }

    @Test func syncReportsTheGeometryOfACrop() throws {
        let (_, embedding) = try Self.marked("plasma_forest_path.jpg")
        let result = Self.detector.detect(try AttackChain(parsing: "crop:0.5").apply(to: embedding.image, seed: 3))
        #expect(result.payload == Self.payload, "FPR \(result.falsePositiveProbability)")
        let sync = try #require(result.sync)
        #expect(abs(sync.tilePeriod - 32 * embedding.chipSize) < 2, "period \(sync.tilePeriod)")
        #expect(abs(sync.rotationDegrees) < 0.5 && !sync.mirrored)
    }

    /// A squashed copy (a fixed-size training resize) is found and reports its stretch: the 16:10
    /// photo squashed to a square (tiles 1.6 times taller than wide: the squash search; lost
    /// before it) and to 4:3 (1.2: a small stretch).
    @Test(arguments: [("resize-to:256x256,jpeg:75", 1.6), ("resize-to:400x300,jpeg:85", 1.2)])
    func syncReportsASquash(attack: String, stretch: Double) throws {
        let (_, embedding) = try Self.marked("plasma_forest_path.jpg")
        let result = Self.detector.detect(try AttackChain(parsing: attack).apply(to: embedding.image, seed: 3))
        #expect(result.payload == Self.payload, "\(attack): FPR \(result.falsePositiveProbability)")
        let sync = try #require(result.sync)
        #expect(abs(max(sync.aspect, 1 / sync.aspect) - stretch) < 0.05, "aspect \(sync.aspect)")
        #expect(abs(sync.rotationDegrees) < 1, "rotation \(sync.rotationDegrees)")
    }

    @Test(arguments: ["skimage_coffee.png", "plasma_forest_path.jpg", "skimage_brick_texture_gray.png"])
    func unmarkedAndWrongKeyStaySilent(name: String) throws {
        let original = try Self.load(name)
        let unmarked = Self.detector.detect(original)
        #expect(!unmarked.detected && unmarked.payload == nil, "unmarked: FPR \(unmarked.falsePositiveProbability)")
        let (_, embedding) = try Self.marked(name)
        let wrong = ImageDetector(key: try MarkKey(bytes: [UInt8](repeating: 7, count: 32))).detect(embedding.image)
        #expect(!wrong.detected && wrong.payload == nil, "wrong key: FPR \(wrong.falsePositiveProbability)")
    }

    @Test func alphaAndMetadataAreCarriedOver() throws {
        let original = try Self.load("etr_splash_logo_alpha.png")
        let embedding = try Self.marker.embed(original, payload: Self.payload)
        #expect(embedding.image.alpha == original.alpha)
        #expect(embedding.image.metadata == original.metadata)
    }

    @Test func tooSmallImagesAreRefused() {
        let tiny = PlanarImage(width: 40, height: 300, colorModel: .gray, planes: [[Float](repeating: 0.5, count: 12_000)])
        #expect(throws: MarkError.self) { try Self.marker.embed(tiny, payload: Self.payload) }
    }

    /// Small images are read back after marking: one that cannot give its payload back is
    /// refused (no unreadable file is ever produced), one that can carries the detection.
    @Test func smallImagesAreReadBackOrRefused() throws {
        let camera = try Self.load("skimage_camera_gray.png")  // 512 × 512
        let embedding = try Self.marker.embed(camera, payload: Self.payload)
        #expect(embedding.readBack?.payload == Self.payload)
        // 64 × 64 holds one tile: no autocorrelation lattice to find, but the detector also
        // offers the lattice of a mark embedded at the image's own size, so its untouched copy
        // reads back (stop 13: refused). The refusal itself: `inPlaceEmbeddingMatchesCopyAndRestoresOnRefusal`.
        let thumbnail = try AttackChain(parsing: "resize:0.125").apply(to: camera, seed: 1)
        let small = try Self.marker.embed(thumbnail, payload: Self.payload)
        #expect(small.readBack?.payload == Self.payload && small.readBack?.sync?.tilePeriod == 64)
    }

    /// A weak untouched mark (strength 0.24: with this key and image its untouched FPR is above
    /// the margin, while 0.27 is not since the chip-matched whitening of stop 19) is raised once by 1 dB rather than written barely readable:
    /// its PSNR is 1 dB under what the strength alone gives.
    @Test func weakSmallImageMarksAreRaisedOnce() throws {
        let camera = try Self.load("skimage_camera_gray.png")
        let half = try Self.marker.embed(camera, payload: Self.payload, options: ImageEmbedOptions(strength: 0.5))
        let weak = try Self.marker.embed(camera, payload: Self.payload, options: ImageEmbedOptions(strength: 0.24))
        #expect(weak.readBack?.payload == Self.payload)
        let unraised = half.psnr + 20 * log10(0.5 / 0.24)
        #expect(abs(weak.psnr - (unraised - ImageMarker.readBackBoostDecibels)) < 0.15,
                "PSNR \(weak.psnr), unraised \(unraised)")
    }

    /// Marking in place gives the very pixels and figures of marking a copy, and leaves the image
    /// untouched when it refuses.
    @Test func inPlaceEmbeddingMatchesCopyAndRestoresOnRefusal() throws {
        let coffee = try Self.load("skimage_coffee.png")
        let copy = try Self.marker.embed(coffee, payload: Self.payload)
        var inPlace = coffee
        let report = try Self.marker.embed(into: &inPlace, payload: Self.payload)
        #expect(inPlace.planes == copy.image.planes)
        #expect(report.psnr == copy.psnr && report.ssim == copy.ssim)
        #expect(abs(report.psnr - ImageQuality.psnr(coffee, inPlace)) < 1e-6, "PSNR from the changes made equals PSNR from the images")
        #expect(abs(report.ssim - ImageQuality.ssim(coffee, inPlace)) < 1e-12)

        // 102 × 68: marked, read back, refused — and restored.
        var thumbnail = try AttackChain(parsing: "resize:0.17").apply(to: coffee, seed: 1)
        let before = thumbnail
        let error = #expect(throws: MarkError.self) { try Self.marker.embed(into: &thumbnail, payload: Self.payload) }
        #expect(error.map { "\($0)" }?.hasPrefix("cannot hold a readable mark") == true, "\(String(describing: error))")
        #expect(thumbnail.planes == before.planes)
    }
}
