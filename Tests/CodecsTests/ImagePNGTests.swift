import Codecs
import Media
import Testing
import TestSupport

/// A synthetic PNG layout and the planes libpng must decode it to.
struct SyntheticPNGCase: CustomTestStringConvertible, Sendable {
    var name: String
    var colorType: ImageTestPNG.ColorType
    var bitDepth: Int
    var withTransparency = false
    var interlaced = false
    var testDescription: String { name }

    static let width = 13, height = 11 // odd sizes exercise bit packing and partial Adam7 blocks

    static let all: [SyntheticPNGCase] = [
        .init(name: "gray 1-bit", colorType: .gray, bitDepth: 1),
        .init(name: "gray 2-bit", colorType: .gray, bitDepth: 2),
        .init(name: "gray 4-bit", colorType: .gray, bitDepth: 4),
        .init(name: "gray 8-bit", colorType: .gray, bitDepth: 8),
        .init(name: "gray 16-bit", colorType: .gray, bitDepth: 16),
        .init(name: "gray 8-bit + tRNS", colorType: .gray, bitDepth: 8, withTransparency: true),
        .init(name: "gray 16-bit + tRNS", colorType: .gray, bitDepth: 16, withTransparency: true),
        .init(name: "gray+alpha 8-bit", colorType: .grayAlpha, bitDepth: 8),
        .init(name: "gray+alpha 16-bit", colorType: .grayAlpha, bitDepth: 16),
        .init(name: "RGB 8-bit", colorType: .rgb, bitDepth: 8),
        .init(name: "RGB 16-bit", colorType: .rgb, bitDepth: 16),
        .init(name: "RGB 8-bit + tRNS", colorType: .rgb, bitDepth: 8, withTransparency: true),
        .init(name: "RGBA 8-bit", colorType: .rgba, bitDepth: 8),
        .init(name: "RGBA 16-bit", colorType: .rgba, bitDepth: 16),
        .init(name: "palette 1-bit", colorType: .palette, bitDepth: 1),
        .init(name: "palette 2-bit", colorType: .palette, bitDepth: 2),
        .init(name: "palette 4-bit", colorType: .palette, bitDepth: 4),
        .init(name: "palette 8-bit", colorType: .palette, bitDepth: 8),
        .init(name: "palette 8-bit + tRNS", colorType: .palette, bitDepth: 8, withTransparency: true),
        .init(name: "interlaced gray 2-bit", colorType: .gray, bitDepth: 2, interlaced: true),
        .init(name: "interlaced RGB 8-bit", colorType: .rgb, bitDepth: 8, interlaced: true),
        .init(name: "interlaced RGBA 16-bit", colorType: .rgba, bitDepth: 16, interlaced: true),
        .init(name: "interlaced palette 4-bit + tRNS", colorType: .palette, bitDepth: 4, withTransparency: true, interlaced: true),
    ]

    /// The PNG file and the planes (colour model, samples in 0...1) it must decode to.
    func build() -> (file: [UInt8], model: ColorModel, planes: [[Float]]) {
        let pixelCount = Self.width * Self.height
        let maxValue = (1 << bitDepth) - 1
        var rng = SeededBytes(seed: UInt64(bitDepth * 100 + Int(colorType.rawValue)))
        let perPixel = colorType.samplesPerPixel
        let samples = (0..<pixelCount * perPixel).map { _ in UInt16(rng.next(below: maxValue + 1)) }
        let unit = { (v: Int, maxValue: Int) in Float(v) / Float(maxValue) }

        switch colorType {
        case .palette:
            let entries = 1 << bitDepth
            let palette = (0..<entries * 3).map { _ in UInt8(rng.next(below: 256)) }
            let alphas = withTransparency ? (0..<entries / 2).map { _ in UInt8(rng.next(below: 256)) } : nil
            let file = ImageTestPNG.make(width: Self.width, height: Self.height, colorType: .palette, bitDepth: bitDepth,
                                         samples: samples, palette: palette, transparency: alphas, interlaced: interlaced)
            var planes = (0..<3).map { c in samples.map { unit(Int(palette[Int($0) * 3 + c]), 255) } }
            if let alphas {
                planes.append(samples.map { Int($0) < alphas.count ? unit(Int(alphas[Int($0)]), 255) : 1 })
            }
            return (file, alphas == nil ? .rgb : .rgba, planes)
        default:
            // Gray below 8 bits is scaled to 8 bits by libpng (v × 255 / max); compare via that route.
            let scale = bitDepth < 8 ? 255 / maxValue : 1
            let stored = bitDepth < 8 ? 255 : maxValue
            var planes = (0..<perPixel).map { c in
                stride(from: c, to: samples.count, by: perPixel).map { unit(Int(samples[$0]) * scale, stored) }
            }
            var transparency: [UInt8]? = nil
            if withTransparency {
                // The first pixel's colour becomes the transparent one, so at least one pixel is clear.
                let key = (0..<perPixel).map { samples[$0] }
                transparency = key.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
                planes.append((0..<pixelCount).map { i in
                    (0..<perPixel).allSatisfy { samples[i * perPixel + $0] == key[$0] } ? 0 : 1
                })
            }
            let file = ImageTestPNG.make(width: Self.width, height: Self.height, colorType: colorType, bitDepth: bitDepth,
                                         samples: samples, transparency: transparency, interlaced: interlaced)
            return (file, ColorModel(channelCount: planes.count)!, planes)
        }
    }
}

@Suite("Image codec: PNG")
struct ImagePNGTests {
    @Test("synthetic PNGs decode to the expected samples and survive encode → decode exactly",
          arguments: SyntheticPNGCase.all)
    func syntheticLossless(_ testCase: SyntheticPNGCase) throws {
        let (file, model, expected) = testCase.build()
        let decoded = try ImageCodec.decode(file)
        #expect(decoded.width == SyntheticPNGCase.width && decoded.height == SyntheticPNGCase.height)
        #expect(decoded.colorModel == model)
        #expect(decoded.planes == expected)
        #expect(decoded.metadata.bitDepth == testCase.bitDepth)
        #expect(decoded.metadata.isInterlaced == testCase.interlaced)

        let again = try ImageCodec.decode(try ImageCodec.encode(decoded, as: .png))
        #expect(again.colorModel == decoded.colorModel)
        #expect(again.planes == decoded.planes)
        #expect(again.metadata.bitDepth == (testCase.bitDepth == 16 ? 16 : 8))
    }

    @Test("16-bit output keeps every one of 65536 levels")
    func sixteenBitPrecision() throws {
        let levels = (0..<65536).map { Float($0) / 65535 }
        let image = PlanarImage(width: 256, height: 256, colorModel: .gray, planes: [levels],
                                metadata: ImageMetadata(bitDepth: 16))
        let decoded = try ImageCodec.decode(try ImageCodec.encode(image, as: .png))
        #expect(decoded.metadata.bitDepth == 16)
        #expect(decoded.planes == image.planes)
    }

    @Test("encoding clamps out-of-range and NaN samples and rounds to the nearest level")
    func clampAndRound() throws {
        let values: [Float] = [-0.5, .nan, 0.4 / 255, 0.6 / 255, 1.5, 128.49 / 255, 128.51 / 255, .infinity]
        let image = PlanarImage(width: values.count, height: 1, colorModel: .gray, planes: [values])
        let decoded = try ImageCodec.decode(try ImageCodec.encode(image, as: .png))
        let levels = decoded.planes[0].map { Int(($0 * 255).rounded()) }
        #expect(levels == [0, 0, 0, 1, 255, 128, 129, 255])
    }

    @Test("every corpus PNG survives decode → encode → decode exactly",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage), arguments: ImageCorpus.names(withExtension: "png"))
    func corpusLossless(_ name: String) throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes(name))
        let again = try ImageCodec.decode(try ImageCodec.encode(original, as: .png))
        #expect(again.width == original.width && again.height == original.height)
        #expect(again.colorModel == original.colorModel)
        #expect(again.planes == original.planes, "\(name): samples changed")
        #expect(again.metadata.iccProfile == original.metadata.iccProfile)
    }

    @Test("real transparency survives PNG re-encoding", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func alphaKept() throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes("etr_splash_logo_alpha.png"))
        #expect(original.colorModel == .rgba)
        let alpha = try #require(original.alpha)
        #expect(alpha.contains(0) && alpha.contains { $0 > 0 && $0 < 1 }, "expected clear and soft-edged pixels")
        let again = try ImageCodec.decode(try ImageCodec.encode(original, as: .png))
        #expect(again.alpha == alpha)
    }

    @Test("ICC profiles survive PNG → PNG byte for byte", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["plasma_flying_konqui_rgba_opaque.png", "skimage_chelsea_cat.png", "skimage_astronaut.png"])
    func iccKept(_ name: String) throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes(name))
        let profile = try #require(original.metadata.iccProfile, "\(name) carries an ICC profile")
        let encoded = try ImageCodec.encode(original, as: .png)
        #expect(try ImageCodec.decode(encoded).metadata.iccProfile == profile)
        #expect(try ImageCodec.probe(encoded).hasICCProfile)
        let stripped = try ImageCodec.encode(original, as: .png, options: ImageEncodeOptions(keepMetadata: false))
        #expect(try ImageCodec.decode(stripped).metadata.iccProfile == nil)
    }

    @Test("an ICC profile libpng rejects is dropped and the image still decodes",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func invalidICCDropped() throws {
        // Its header's rendering intent is 0x01000000 (written with the wrong byte order).
        let page = try ImageCodec.decode(try ImageCorpus.bytes("skimage_page_gray.png"))
        #expect(page.metadata.iccProfile == nil)
        #expect(page.width == 384 && page.height == 191)
    }

    /// Alpha is kept: detection also reads an image without its fully transparent parts.
    @Test("luminanceOnly returns BT.601 luma of a PNG, and its alpha")
    func luminanceOnly() throws {
        let image = ImageTestData.image(width: 32, height: 24, colorModel: .rgba)
        let encoded = try ImageCodec.encode(image, as: .png)
        let luma = try ImageCodec.decode(encoded, options: ImageDecodeOptions(luminanceOnly: true))
        #expect(luma.colorModel == .grayAlpha && luma.planes.count == 2)
        let expected = ImageTestData.luma(of: image)
        #expect(Measure.relativeMaxError(luma.planes[0], expected) < 1e-5)
        #expect(luma.alpha == image.alpha)

        let grayAlpha = ImageTestData.image(width: 16, height: 16, colorModel: .grayAlpha)
        let gray = try ImageCodec.decode(try ImageCodec.encode(grayAlpha, as: .png), options: ImageDecodeOptions(luminanceOnly: true))
        #expect(gray.planes == grayAlpha.planes)

        let rgb = ImageTestData.image(width: 16, height: 16, colorModel: .rgb)
        let opaque = try ImageCodec.decode(try ImageCodec.encode(rgb, as: .png), options: ImageDecodeOptions(luminanceOnly: true))
        #expect(opaque.colorModel == .gray && opaque.planes.count == 1)
    }

    @Test("probe reads PNG headers without decoding pixels")
    func probe() throws {
        let (file, model, _) = SyntheticPNGCase(name: "", colorType: .palette, bitDepth: 4, withTransparency: true,
                                                 interlaced: true).build()
        let expected = ImageInfo(format: .png, width: SyntheticPNGCase.width, height: SyntheticPNGCase.height,
                                 colorModel: model, bitDepth: 4, isInterlaced: true, hasICCProfile: false,
                                 exifOrientation: nil)
        #expect(try ImageCodec.probe(file) == expected)
        // Cut inside IDAT: decoding fails, the header is still all there.
        let headerOnly = Array(file.prefix(file.count - 20))
        #expect(try ImageCodec.probe(headerOnly) == expected)
        #expect(throws: CodecError.self) { try ImageCodec.decode(headerOnly) }
    }

    @Test("probe reports corpus PNG headers", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func probeCorpus() throws {
        let gray = try ImageCodec.probe(try ImageCorpus.bytes("skimage_camera_gray.png"))
        #expect(gray == ImageInfo(format: .png, width: 512, height: 512, colorModel: .gray, bitDepth: 8,
                                  isInterlaced: false, hasICCProfile: false, exifOrientation: nil))
        let konqui = try ImageCodec.probe(try ImageCorpus.bytes("plasma_flying_konqui_rgba_opaque.png"))
        #expect(konqui.width == 2560 && konqui.height == 1600 && konqui.colorModel == .rgba && konqui.hasICCProfile)
    }

    @Test("invalid encode parameters throw encodeFailed")
    func invalidEncodeOptions() {
        let image = ImageTestData.image(width: 8, height: 8, colorModel: .rgb)
        #expect(throws: CodecError.self) { try ImageCodec.encode(image, as: .png, options: ImageEncodeOptions(pngBitDepth: 4)) }
        #expect(throws: CodecError.self) { try ImageCodec.encode(image, as: .wav) }
    }
}
