import Codecs
import Foundation
import Media
import Testing
import TestSupport

@Suite("Image codec: JPEG")
struct ImageJPEGTests {
    static let psnrFloor = 40.0 // dB, re-encoding at q95 against the decoded original

    /// 4:4:4, because three of these files are 4:4:4 and halving their chroma alone costs about
    /// 5 dB (skimage_rocket.jpg: 34.7 dB at q95 4:2:0).
    @Test("re-encoding at q95 4:4:4 stays above 40 dB PSNR", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["skimage_rocket.jpg", "skimage_hubble_deep_field.jpg", "plasma_colorful_cups.jpg",
                      "plasma_grey_architecture_gray.jpg", "debian_desktop_screenshot_1920x1080.jpg"])
    func reencodeQuality(_ name: String) throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes(name))
        let options = ImageEncodeOptions(quality: 95, chromaSubsampling: .s444)
        let again = try ImageCodec.decode(try ImageCodec.encode(original, as: .jpeg, options: options))
        #expect(again.colorModel == original.colorModel)
        let psnr = ImageTestData.psnr(original, again)
        #expect(psnr > Self.psnrFloor, "\(name): expected > \(Self.psnrFloor) dB, observed \(psnr) dB")
    }

    @Test("PSNR falls as quality falls (q95 → q75 → q50)", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func qualityMonotonic() throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes("skimage_rocket.jpg"))
        let psnrs = try [95, 75, 50].map { quality in
            let encoded = try ImageCodec.encode(original, as: .jpeg, options: ImageEncodeOptions(quality: quality))
            return ImageTestData.psnr(original, try ImageCodec.decode(encoded))
        }
        #expect(psnrs[0] > psnrs[1] && psnrs[1] > psnrs[2], "observed \(psnrs)")
    }

    @Test("synthetic gray and RGB round trips, baseline and progressive, 4:2:0 and 4:4:4",
          arguments: [ColorModel.gray, .rgb, .rgba], [false, true])
    func synthetic(model: ColorModel, progressive: Bool) throws {
        let image = ImageTestData.image(width: 67, height: 45, colorModel: model)
        for subsampling in ChromaSubsampling.allCases {
            let options = ImageEncodeOptions(quality: 95, chromaSubsampling: subsampling, progressive: progressive)
            let encoded = try ImageCodec.encode(image, as: .jpeg, options: options)
            let decoded = try ImageCodec.decode(encoded)
            #expect(decoded.colorModel == model.withoutAlpha, "JPEG drops alpha")
            #expect(decoded.metadata.isInterlaced == progressive)
            var reference = image
            reference.colorModel = model.withoutAlpha
            reference.planes = Array(image.planes.prefix(model.colorChannelCount))
            let psnr = ImageTestData.psnr(reference, decoded)
            #expect(psnr > 30, "\(model) \(subsampling): observed \(psnr) dB")
        }
    }

    @Test("4:4:4 keeps colour detail better than 4:2:0")
    func chromaSubsampling() throws {
        let image = ImageTestData.image(width: 64, height: 64, colorModel: .rgb)
        let psnr = try ChromaSubsampling.allCases.map { subsampling in
            let options = ImageEncodeOptions(quality: 95, chromaSubsampling: subsampling)
            return ImageTestData.psnr(image, try ImageCodec.decode(try ImageCodec.encode(image, as: .jpeg, options: options)))
        }
        #expect(psnr[1] > psnr[0], "4:2:0 \(psnr[0]) dB, 4:4:4 \(psnr[1]) dB")
    }

    @Test("ICC and EXIF survive JPEG → JPEG byte for byte", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["plasma_colorful_cups.jpg", "skimage_rocket.jpg", "skimage_hubble_deep_field.jpg"])
    func metadataKept(_ name: String) throws {
        let original = try ImageCodec.decode(try ImageCorpus.bytes(name))
        #expect(original.metadata.iccProfile != nil, "\(name) carries an ICC profile")
        let again = try ImageCodec.decode(try ImageCodec.encode(original, as: .jpeg))
        #expect(again.metadata.iccProfile == original.metadata.iccProfile)
        #expect(again.metadata.exif == original.metadata.exif)
        #expect(again.metadata.exifOrientation == original.metadata.exifOrientation)
    }

    @Test("corpus EXIF orientation is read", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func corpusOrientation() throws {
        // Both byte orders: the cups file is little-endian TIFF, the bird file big-endian.
        for name in ["plasma_colorful_cups.jpg", "lomiri_kleiber_bird_6028.jpg"] {
            let info = try ImageCodec.probe(try ImageCorpus.bytes(name))
            #expect(info.exifOrientation == 1, "\(name)")
        }
    }

    @Test("DCT scaling gives ⌈w/N⌉ × ⌈h/N⌉", arguments: [1, 2, 4, 8])
    func scaledSizes(denominator: Int) throws {
        let image = ImageTestData.image(width: 101, height: 37, colorModel: .rgb)
        let encoded = try ImageCodec.encode(image, as: .jpeg)
        let scaled = try ImageCodec.decode(encoded, options: ImageDecodeOptions(jpegScaleDenominator: denominator))
        #expect(scaled.width == (101 + denominator - 1) / denominator)
        #expect(scaled.height == (37 + denominator - 1) / denominator)
        #expect(scaled.metadata.decodeScaleDenominator == denominator)
    }

    /// A wide picture padded to a square canvas: scaled by the canvas, 1/8 would leave the picture
    /// 75 px tall; the decoder must notice and decode it at 1/2 (picture 300 px tall).
    @Test("luminance decoding keeps the picture's short side, not only the canvas's")
    func paddedPictureIsDecodedFinely() throws {
        let picture = ImageTestData.image(width: 2048, height: 600, colorModel: .gray)
        var canvas = [Float](repeating: 1, count: 2048 * 2048)
        for row in 0..<600 {
            canvas.replaceSubrange((724 + row) * 2048..<(725 + row) * 2048, with: picture.planes[0][row * 2048..<(row + 1) * 2048])
        }
        let padded = PlanarImage(width: 2048, height: 2048, colorModel: .gray, planes: [canvas])
        let luma = try ImageCodec.decodeLuminance(try ImageCodec.encode(padded, as: .jpeg), minimumShortSide: 256)
        #expect(luma.metadata.decodeScaleDenominator == 2)
        let unpadded = try ImageCodec.decodeLuminance(try ImageCodec.encode(padded.cropped(to: PixelRect(x: 0, y: 724, width: 2048, height: 600)), as: .jpeg),
                                                      minimumShortSide: 256)
        #expect(unpadded.metadata.decodeScaleDenominator == 2)
    }

    @Test("DCT scaling of corpus JPEGs", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["skimage_rocket.jpg", "plasma_summer_1am.jpg", "plasma_grey_architecture_gray.jpg"])
    func scaledCorpus(_ name: String) throws {
        let bytes = try ImageCorpus.bytes(name)
        let info = try ImageCodec.probe(bytes)
        for denominator in [2, 4, 8] {
            let scaled = try ImageCodec.decode(bytes, options: ImageDecodeOptions(jpegScaleDenominator: denominator))
            #expect(scaled.width == (info.width + denominator - 1) / denominator, "\(name) 1/\(denominator)")
            #expect(scaled.height == (info.height + denominator - 1) / denominator, "\(name) 1/\(denominator)")
            #expect(scaled.colorModel == info.colorModel)
        }
        #expect(throws: CodecError.self) { try ImageCodec.decode(bytes, options: ImageDecodeOptions(jpegScaleDenominator: 3)) }
    }

    @Test("luminanceOnly matches the luma of a full RGB decode", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: ["skimage_rocket.jpg", "debian_desktop_screenshot_1920x1080.jpg"])
    func luminanceOnly(_ name: String) throws {
        let bytes = try ImageCorpus.bytes(name)
        let full = try ImageCodec.decode(bytes)
        let luma = try ImageCodec.decode(bytes, options: ImageDecodeOptions(luminanceOnly: true))
        #expect(luma.colorModel == .gray && luma.planes.count == 1)
        #expect(luma.width == full.width && luma.height == full.height)
        let psnr = Measure.psnr(luma.planes[0], ImageTestData.luma(of: full))
        #expect(psnr > 40, "\(name): observed \(psnr) dB")

        let scaled = try ImageCodec.decode(bytes, options: ImageDecodeOptions(jpegScaleDenominator: 4, luminanceOnly: true))
        #expect(scaled.planes.count == 1 && scaled.width == (full.width + 3) / 4)
    }

    @Test("probe reports corpus JPEG headers", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func probeCorpus() throws {
        let cups = try ImageCodec.probe(try ImageCorpus.bytes("plasma_colorful_cups.jpg"))
        #expect(cups == ImageInfo(format: .jpeg, width: 2560, height: 1600, colorModel: .rgb, bitDepth: 8,
                                  isInterlaced: true, hasICCProfile: true, exifOrientation: 1))
        let gray = try ImageCodec.probe(try ImageCorpus.bytes("plasma_grey_architecture_gray.jpg"))
        #expect(gray == ImageInfo(format: .jpeg, width: 2560, height: 1600, colorModel: .gray, bitDepth: 8,
                                  isInterlaced: false, hasICCProfile: false, exifOrientation: nil))
        let bird = try ImageCodec.probe(try ImageCorpus.bytes("lomiri_kleiber_bird_6028.jpg"))
        #expect(bird.width == 6028 && bird.height == 3391 && !bird.isInterlaced)
    }

    @Test("probe reads a JPEG header without decoding the scan")
    func probeWithoutPixels() throws {
        let encoded = try ImageCodec.encode(ImageTestData.image(width: 120, height: 80, colorModel: .gray), as: .jpeg)
        let cut = Array(encoded.prefix(encoded.count / 2))
        let info = try ImageCodec.probe(cut)
        #expect(info.width == 120 && info.height == 80 && info.colorModel == .gray)
        #expect(throws: CodecError.self) { try ImageCodec.decode(cut) }
    }

    /// An 8×8 CMYK JPEG (Adobe marker, transform 0) written by libjpeg-turbo 2.1.5, 185 bytes.
    static let cmykJPEG = [UInt8](Data(base64Encoded:
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwAQCwwODAoQDg0OEhEQExgoGhgWFhgxIyUdKDozPTw5Mzg3QEhcTkBEV0U3OFBtUVdfYmdoZz5NcXlwZHhcZWdj/8AAFAgACAAIBEMRAE0RAFkRAEsRAP/EABYAAQEBAAAAAAAAAAAAAAAAAAMABP/EABYQAAMAAAAAAAAAAAAAAAAAAAAGQ//aAA4EQwBNAFkASwAAPwDOlTDSpklTESpn/9k=")!)

    /// A full decode (what marking needs) refuses CMYK: writing it back faithfully would need its
    /// CMYK profile. Probing and the luminance decode (what detection and scans read) accept it.
    @Test("CMYK JPEGs: refused for a full decode, read for their luma")
    func cmykLumaOnly() throws {
        do {
            _ = try ImageCodec.decode(Self.cmykJPEG)
            Issue.record("a CMYK JPEG was decoded in full")
        } catch let CodecError.unsupported(format, reason) {
            #expect(format == .jpeg && reason.contains("CMYK"), "\(reason)")
        }
        let info = try ImageCodec.probe(Self.cmykJPEG)
        #expect(info.width == 8 && info.height == 8 && info.colorModel == .rgb)
        let luma = try ImageCodec.decode(Self.cmykJPEG, options: ImageDecodeOptions(luminanceOnly: true))
        #expect(luma.colorModel == .gray && luma.width == 8 && luma.height == 8)
    }

    /// A photo converted to CMYK (PIL, Adobe's inverted inks) reads as the luma of the RGB it came
    /// from: the fixture is a marked copy of the rocket sample, so compare with that sample's luma.
    @Test("a CMYK JPEG's luma is the luma of the RGB it was made from")
    func cmykLumaMatchesTheSource() throws {
        let cmyk = try ImageCodec.decode(try Corpus.bytes(of: Corpus.fixture("skimage_rocket_marked_cmyk.jpg")),
                                         options: ImageDecodeOptions(luminanceOnly: true))
        let rgb = try ImageCodec.decode(try Corpus.bytes(of: Corpus.sample("images/skimage_rocket.jpg")),
                                        options: ImageDecodeOptions(luminanceOnly: true))
        #expect(cmyk.width == rgb.width && cmyk.height == rgb.height)
        var difference = 0.0
        for i in 0..<rgb.pixelCount { difference += Double(abs(cmyk.planes[0][i] - rgb.planes[0][i])) }
        let mean = difference / Double(rgb.pixelCount) * 255
        // The mark (about a level) and JPEG 75 of the four inks separate them, nothing more.
        #expect(mean < 4, "mean |Δ luma| \(mean) levels")
    }

    @Test("invalid JPEG encode parameters throw encodeFailed")
    func invalidEncodeOptions() {
        let image = ImageTestData.image(width: 8, height: 8, colorModel: .rgb)
        for quality in [0, 101] {
            #expect(throws: CodecError.self) { try ImageCodec.encode(image, as: .jpeg, options: ImageEncodeOptions(quality: quality)) }
        }
        var bigExif = image
        bigExif.metadata.exif = ImageTestData.exifBlock(orientation: 1, littleEndian: true) + [UInt8](repeating: 0, count: 70_000)
        #expect(throws: CodecError.self) { try ImageCodec.encode(bigExif, as: .jpeg) }
    }
}
