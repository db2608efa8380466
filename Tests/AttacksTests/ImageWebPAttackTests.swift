import Attacks
import Codecs
import Media
import Testing
import TestSupport

@Suite("Image attacks: WebP", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
struct ImageWebPAttackTests {
    @Test("the model, size and metadata are the input's; lower quality, lower PSNR",
          arguments: ["skimage_camera_gray.png", "etr_splash_logo_alpha.png", "skimage_coffee.png"])
    func webpKeepsShapeAndDegradesWithQuality(name: String) throws {
        let original = try AttackFixtures.image(name, centerSquare: 256)
        let high = try Attack.webp(quality: 90).apply(to: original, seed: 0)
        let low = try Attack.webp(quality: 20).apply(to: original, seed: 0)
        #expect(high.colorModel == original.colorModel, "\(name): \(high.colorModel)")
        #expect(high.width == original.width && high.height == original.height)
        #expect(high.metadata.iccProfile == original.metadata.iccProfile)
        let good = AttackMeasure.psnr(original, high), poor = AttackMeasure.psnr(original, low)
        #expect(good > 30 && poor < good, "\(name): PSNR \(good) dB at q90, \(poor) dB at q20")
    }

    @Test func theEncodedFileIsTheAttacksOwn() throws {
        let original = try AttackFixtures.image("skimage_coffee.png", centerSquare: 128)
        let attack = Attack.webp(quality: 60)
        let bytes = try attack.encodedFile(for: .image(original))
        #expect(FormatSniffer.format(of: bytes) == .webp && attack.codecFormat == .webp)
        #expect(try ImageCodec.decode(bytes).planes == (try attack.apply(to: original, seed: 0)).planes)
    }
}
