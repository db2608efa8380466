import Attacks
import Codecs
import Foundation
import Media
import Testing
import TestSupport
@testable import Marking

/// The embedder's closed loop: its JPEG model against libjpeg, and what the rehearsed training
/// chain changes in the marks written.
@Suite("Chain rehearsal")
struct ChainRehearsalTests {
    /// The model's luma against libjpeg's own encode and decode of the same gray 256² crop of a
    /// photo: libjpeg's integer DCT rounds differently, so a level here and there.
    @Test(arguments: [75, 50, 90])
    func jpegModelMatchesLibjpeg(quality: Int) throws {
        let photo = try ImageCodec.decode(try Corpus.bytes(of: Corpus.sample("images/skimage_rocket.jpg")))
        let crop = try AttackChain(parsing: "center-crop:256x256").apply(to: photo, seed: 0)
        let luma = Luminance.plane(of: crop)
        let quantised = Plane(width: 256, height: 256, values: luma.values.map { ($0 * 255).rounded() / 255 })
        let gray = PlanarImage(width: 256, height: 256, colorModel: .gray, planes: [quantised.values])
        let libjpeg = try ImageCodec.decode(try ImageCodec.encode(gray, as: .jpeg, options: ImageEncodeOptions(quality: quality)))
        let model = JPEGLumaModel(quality: quality).apply(to: quantised)
        var differences = [Float](), changed = 0.0
        for i in 0..<model.count {
            differences.append(abs(model.values[i] - libjpeg.planes[0][i]) * 255)
            changed += Double(abs(quantised.values[i] - libjpeg.planes[0][i]) * 255)
        }
        differences.sort()
        let count = Double(model.count), sum = Double(differences.reduce(0, +))
        let p99 = differences[Int(0.99 * count)]
        #expect(sum / count < 0.3, "mean |model − libjpeg| \(sum / count) levels")
        // A coefficient on a rounding boundary may land one step away (up to a quarter of the
        // step in a sample, 8 levels at q75): rare, so the tail is bounded, not the maximum.
        // Measured: mean 0.03–0.13 levels, 99th percentile 1–2, where the codec moved the samples
        // by 0.7–1.5 levels on average (q90, q75, q50).
        #expect(p99 <= 2.01, "99th percentile \(p99) levels, largest \(differences.last!)")
        // Not trivially close: the codec itself moved the samples by much more.
        #expect(changed / count > 4 * sum / count, "libjpeg changed samples by \(changed / count) levels on average")
    }
}

/// The ladder on real images: a mark the rehearsed chain reads is left as it is; one it loses is
/// raised within the quality targets, and the real chain then gives the payload back.
@Suite("Closed-loop embedding", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ClosedLoopEmbeddingTests {
    static let marker = ImageMarker(key: try! MarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) }))
    static let payload = Payload(0x0F1E_2D3C_4B5A_6978)
    static let chain = "resize-short:256,center-crop:256x256,jpeg:75"

    static func load(_ name: String) throws -> PlanarImage {
        try ImageCodec.decode(try Corpus.bytes(of: Corpus.image(name)))
    }

    @Test func aMarkTheChainKeepsIsLeftAlone() throws {
        let embedding = try Self.marker.embed(try Self.load("plasma_forest_path.jpg"), payload: Self.payload)
        #expect(embedding.maskingGain == 1 && embedding.psnrCap == ImageEmbedOptions.referencePSNR)
        #expect((embedding.rehearsal?.falsePositiveProbability ?? 1) <= ImageMarker.rehearsalMargin)
    }

    /// Images whose marks the chain loses or nearly loses at masking gain 1 (under ImageLab's key:
    /// χ² 247–412 after the chain). Key and payload decide which of them need raising, so the
    /// expectations are over the set: every raised mark stays within the quality targets, the
    /// real chain reads at least as many of the raised marks as of the same marks unraised, and
    /// their evidence rises. (Under this key: 5 raised, 4 read either way, χ² +25 each on average;
    /// before the fine ceiling of stop 15, which keeps the raise out of the shaded-stripes photo's
    /// smooth bands, 6 raised, 4 → 5 read, +42.)
    @Test func marksTheChainLosesAreRaisedWithinTheTargets() throws {
        let names = ["skimage_brick_texture_gray.png", "etr_splash_logo_alpha.png", "skimage_astronaut.png",
                     "plasma_grey_architecture_gray.jpg", "debian_desktop_screenshot_1920x1080.jpg", "skimage_page_gray.png"]
        let detector = ImageDetector(codebook: Self.marker.codebook)
        var raised = 0, readRaised = 0, readUnraised = 0, gain = 0.0
        for name in names {
            let original = try Self.load(name)
            let embedding = try Self.marker.embed(original, payload: Self.payload)
            guard embedding.maskingGain > 1 || embedding.psnrCap < ImageEmbedOptions.referencePSNR else { continue }
            raised += 1
            #expect(embedding.psnr >= 37.95 && embedding.ssim >= ImageMarker.minimumRaisedSSIM,
                    "\(name): PSNR \(embedding.psnr), SSIM \(embedding.ssim)")
            let unraised = try Self.marker.embed(original, payload: Self.payload, options: ImageEmbedOptions(strength: 0.999))
            let after = detector.detect(try AttackChain(parsing: Self.chain).apply(to: embedding.image, seed: 3))
            let before = detector.detect(try AttackChain(parsing: Self.chain).apply(to: unraised.image, seed: 3))
            readRaised += after.payload == Self.payload ? 1 : 0
            readUnraised += before.payload == Self.payload ? 1 : 0
            gain += after.chiSquare - before.chiSquare
        }
        #expect(raised >= 3, "only \(raised) of \(names.count) raised")
        #expect(readRaised >= readUnraised, "chain read \(readRaised) raised marks, \(readUnraised) unraised, of \(raised)")
        #expect(gain / Double(max(raised, 1)) > 15, "mean χ² gain \(gain / Double(max(raised, 1)))")
    }
}
