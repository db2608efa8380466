import Codecs
import Foundation
import Media
import Testing
import TestSupport

/// Damaged, hostile and foreign input: every case must throw a ``CodecError`` (or, for flipped
/// entropy-coded bytes, decode to an image of the header's size), never crash, hang or allocate
/// what a header merely claims.
@Suite("Image codec: bad input")
struct ImageBadInputTests {
    static let truncationFiles = ["skimage_text_gray.png", "skimage_chelsea_cat.png", "etr_splash_logo_alpha.png",
                                  "skimage_rocket.jpg", "plasma_grey_architecture_gray.jpg",
                                  "debian_desktop_screenshot_1920x1080.jpg"]
    static let flipFiles = ["skimage_text_gray.png", "skimage_page_gray.png", "skimage_rocket.jpg",
                            "skimage_hubble_deep_field.jpg", "debian_desktop_screenshot_1920x1080.jpg"]

    /// Decodes `bytes`, requiring failure by ``CodecError``; returns it for closer checks.
    @discardableResult
    static func expectCodecError(_ bytes: [UInt8], options: ImageDecodeOptions = .init(),
                                 _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) -> CodecError? {
        do {
            let image = try ImageCodec.decode(bytes, options: options)
            Issue.record("\(comment): decoded \(image.width)×\(image.height) instead of throwing", sourceLocation: sourceLocation)
        } catch let error as CodecError {
            return error
        } catch {
            Issue.record("\(comment): threw \(error), not a CodecError", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test("truncated real files throw", .enabled(if: Corpus.isAvailable, Corpus.skipMessage), arguments: truncationFiles)
    func truncated(_ name: String) throws {
        let bytes = try ImageCorpus.bytes(name)
        let cuts = [0, 10, 100] + [0.25, 0.5, 0.75, 0.99].map { Int(Double(bytes.count) * $0) }
        for cut in cuts {
            let error = Self.expectCodecError(Array(bytes.prefix(cut)), "\(name) cut at \(cut) of \(bytes.count)")
            if cut == 0 { #expect(error == .unrecognizedFormat) }
        }
    }

    @Test("a truncated synthetic 16-bit interlaced PNG throws at every cut")
    func truncatedSynthetic() throws {
        let (file, _, _) = SyntheticPNGCase(name: "", colorType: .rgba, bitDepth: 16, interlaced: true).build()
        // Every cut short of IEND loses image data (the last 12 bytes are IEND).
        for cut in stride(from: 0, to: file.count - 12, by: 7) {
            Self.expectCodecError(Array(file.prefix(cut)), "cut at \(cut) of \(file.count)")
        }
    }

    @Test("a missing trailer (PNG IEND, JPEG EOI) alone does not lose a complete image")
    func missingTrailer() throws {
        let image = ImageTestData.image(width: 30, height: 20, colorModel: .rgb)
        let png = try ImageCodec.encode(image, as: .png)
        #expect(try ImageCodec.decode(Array(png.dropLast(12))).planes == image.planes)
        for progressive in [false, true] {
            let jpeg = try ImageCodec.encode(image, as: .jpeg, options: ImageEncodeOptions(progressive: progressive))
            #expect(try ImageCodec.decode(Array(jpeg.dropLast(2))) == ImageCodec.decode(jpeg))
            // One byte less and the last scan is short of data.
            Self.expectCodecError(Array(jpeg.dropLast(3)), "JPEG missing EOI and one byte, progressive: \(progressive)")
        }
    }

    @Test("empty, random and signature-only input throw", arguments: [1, 2, 3] as [UInt64])
    func garbage(seed: UInt64) {
        var rng = SeededBytes(seed: seed)
        let random = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(Self.expectCodecError([], "empty") == .unrecognizedFormat)
        #expect(Self.expectCodecError(random, "random bytes") == .unrecognizedFormat)
        Self.expectCodecError(ImageTestPNG.signature + random, "PNG signature + random bytes")
        Self.expectCodecError(ImageTestPNG.signature, "PNG signature alone")
        Self.expectCodecError([0xFF, 0xD8, 0xFF] + random, "JPEG SOI + random bytes")
        Self.expectCodecError([0xFF, 0xD8, 0xFF, 0xD9], "JPEG SOI + EOI")
        #expect(throws: CodecError.self) { try ImageCodec.probe(ImageTestPNG.signature + random) }
        #expect(throws: CodecError.self) { try ImageCodec.probe([]) }
    }

    @Test("audio handed to the image codec throws")
    func notAnImage() {
        let wav = Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 64)
        #expect(throws: CodecError.self) { try ImageCodec.decode(wav) }
    }

    @Test("a PNG whose IHDR claims 100000×100000 is refused before allocating")
    func hugePNG() throws {
        let file = Self.pngClaiming(width: 100_000, height: 100_000)
        let clock = ContinuousClock()
        var error: CodecError?
        let elapsed = clock.measure { error = Self.expectCodecError(file, "100000×100000 PNG") }
        #expect(error == .tooLarge(width: 100_000, height: 100_000, limit: 200_000_000))
        #expect(elapsed < .seconds(1), "refusal took \(elapsed)")
        // A side longer than the whole limit is refused by libpng's user limit, reported the same way.
        #expect(Self.expectCodecError(Self.pngClaiming(width: 300_000_000, height: 1), "300M×1 PNG")
            == .tooLarge(width: 300_000_000, height: 1, limit: 200_000_000))
        // probe only reads the header, so it reports the claimed size.
        #expect(try ImageCodec.probe(file).width == 100_000)
    }

    @Test("maxPixels is honoured for real sizes")
    func customLimit() throws {
        let image = ImageTestData.image(width: 40, height: 30, colorModel: .gray)
        let limit = ImageDecodeOptions(maxPixels: 1000)
        for format in [ContainerFormat.png, .jpeg] {
            let encoded = try ImageCodec.encode(image, as: format)
            #expect(Self.expectCodecError(encoded, options: limit, "\(format)") == .tooLarge(width: 40, height: 30, limit: 1000))
            #expect(try ImageCodec.decode(encoded, options: ImageDecodeOptions(maxPixels: 1200)).width == 40)
        }
    }

    @Test("a JPEG whose SOF claims 60000×60000 is refused before allocating", arguments: [false, true])
    func hugeJPEG(progressive: Bool) throws {
        let small = try ImageCodec.encode(ImageTestData.image(width: 16, height: 16, colorModel: .rgb), as: .jpeg,
                                          options: ImageEncodeOptions(progressive: progressive))
        let file = ImageTestData.patchingJPEGSize(small, width: 60_000, height: 60_000)
        let clock = ContinuousClock()
        var error: CodecError?
        let elapsed = clock.measure { error = Self.expectCodecError(file, "60000×60000 JPEG") }
        #expect(error == .tooLarge(width: 60_000, height: 60_000, limit: 200_000_000))
        #expect(elapsed < .seconds(1), "refusal took \(elapsed)")
    }

    @Test("flipped bytes in the middle never crash", .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: flipFiles)
    func flippedBytes(_ name: String) throws {
        let original = try ImageCorpus.bytes(name)
        let header = try ImageCodec.probe(original)
        for seed in UInt64(1)...6 {
            var rng = SeededBytes(seed: seed)
            var bytes = original
            for _ in 0..<4 {
                let position = bytes.count / 4 + rng.next(below: bytes.count / 2)
                bytes[position] ^= UInt8(1 + rng.next(below: 255))
            }
            do {
                let image = try ImageCodec.decode(bytes)
                // Entropy-coded data can legitimately decode to garbage; the frame must not change.
                #expect(image.width == header.width && image.height == header.height, "\(name) seed \(seed)")
            } catch is CodecError {
                // refused: fine
            } catch {
                Issue.record("\(name) seed \(seed): threw \(error), not a CodecError")
            }
        }
    }

    @Test("a PNG with a corrupted critical chunk CRC throws")
    func badCRC() throws {
        var file = try ImageCodec.encode(ImageTestData.image(width: 20, height: 20, colorModel: .rgb), as: .png)
        file[29] ^= 0xFF // IHDR's CRC starts after 8 signature + 8 chunk head + 13 data bytes
        let error = Self.expectCodecError(file, "IHDR with a bad CRC")
        guard case .corrupt(format: .png, _)? = error else {
            Issue.record("expected .corrupt(.png), got \(String(describing: error))")
            return
        }
    }

    /// A PNG with a valid IHDR (and CRC) claiming the given size, a tiny IDAT and IEND.
    static func pngClaiming(width: Int, height: Int) -> [UInt8] {
        ImageTestPNG.signature
            + ImageTestPNG.chunk("IHDR", ImageTestPNG.header(width: width, height: height, bitDepth: 8, colorType: .rgb,
                                                             interlaced: false))
            + ImageTestPNG.chunk("IDAT", ImageTestPNG.zlibStored([0, 1, 2, 3]))
            + ImageTestPNG.chunk("IEND", [])
    }
}
