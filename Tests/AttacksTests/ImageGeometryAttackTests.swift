import Attacks
import Codecs
import Foundation
import Media
import Testing
import TestSupport

@Suite("Image attacks: codecs, resizing, crops, rotation")
struct ImageGeometryAttackTests {
    @Test("jpeg: quality lowers PSNR step by step, size kept",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func jpegQualityLadder() throws {
        let original = try AttackFixtures.image("skimage_coffee.png")
        var previous = Double.infinity
        for quality in [95, 75, 50, 20] {
            let attacked = try Attack.jpeg(quality: quality).apply(to: original, seed: 0)
            #expect(attacked.width == original.width && attacked.height == original.height)
            #expect(attacked.colorModel == .rgb)
            let psnr = AttackMeasure.psnr(original, attacked)
            #expect(psnr < previous, "q\(quality): \(psnr) dB, not below \(previous) dB")
            #expect(psnr > 25, "q\(quality): \(psnr) dB")
            previous = psnr
        }
    }

    @Test("a codec attack's encoded file is what the attack decodes")
    func encodedFile() throws {
        let original = AttackFixtures.randomImage(width: 24, height: 16, model: .rgba, seed: 12)
        for attack in [Attack.jpeg(quality: 60), .png] {
            let bytes = try attack.encodedFile(for: .image(original))
            #expect(FormatSniffer.format(of: bytes) == attack.codecFormat)
            #expect(try ImageCodec.decode(bytes) == attack.apply(to: original, seed: 0))
        }
        #expect(Attack.flip.codecFormat == nil)
        #expect(throws: AttackError.self) { try Attack.flip.encodedFile(for: .image(original)) }
        #expect(throws: AttackError.self) { try Attack.mp3(kbps: 128).encodedFile(for: .image(original)) }
    }

    @Test("png: samples rounded to 8-bit levels")
    func pngQuantises() throws {
        let original = AttackFixtures.randomImage(width: 17, height: 9, model: .rgba, seed: 3)
        let attacked = try Attack.png.apply(to: original, seed: 0)
        #expect(attacked.colorModel == .rgba && attacked.metadata.bitDepth == 8)
        for (plane, attackedPlane) in zip(original.planes, attacked.planes) {
            for (x, y) in zip(plane, attackedPlane) {
                #expect(abs(y - (x * 255).rounded() / 255) < 1e-6)
            }
        }
    }

    @Test("resize: output sizes", arguments: [
        ("resize:0.5", 300, 200), ("resize:0.75", 450, 300), ("resize:1.5", 900, 600), ("resize:0.333", 200, 133),
        ("resize-short:200", 300, 200), ("resize-short:512", 768, 512), ("aspect:1.1", 660, 400),
        ("aspect:0.5", 300, 400), ("center-crop:100x50", 100, 50), ("center-crop:1000x50", 600, 50),
        ("border:300", 300, 300), ("border:900", 900, 900), ("resize-to:256x256", 256, 256), ("resize-to:90x700", 90, 700),
    ])
    func sizes(spec: String, width: Int, height: Int) throws {
        let image = AttackFixtures.constantImage(width: 600, height: 400, value: 0.5, model: .gray)
        let attacked = try AttackChain(parsing: spec).apply(to: image, seed: 0)
        #expect(attacked.width == width && attacked.height == height)
    }

    @Test("resize-short keeps the aspect of a portrait image")
    func resizeShortPortrait() throws {
        let image = AttackFixtures.constantImage(width: 300, height: 500, value: 0.5, model: .gray)
        let attacked = try Attack.resizeShort(pixels: 150).apply(to: image, seed: 0)
        #expect(attacked.width == 150 && attacked.height == 250)
    }

    @Test("border pads the scaled picture to a white square, centred")
    func borderPadsWithWhite() throws {
        let image = AttackFixtures.constantImage(width: 600, height: 400, value: 0.25, model: .gray)
        let attacked = try Attack.border(pixels: 300).apply(to: image, seed: 0)
        let column = (0..<300).map { attacked.planes[0][$0 * 300 + 150] }
        #expect(column[0..<50].allSatisfy { $0 == 1 } && column[250..<300].allSatisfy { $0 == 1 })
        #expect(column[50..<250].allSatisfy { abs($0 - 0.25) < 1e-5 })
    }

    @Test("pad-edge pads the scaled picture to a square by repeating its edge rows")
    func padEdgeRepeatsTheEdgeRows() throws {
        let image = AttackFixtures.randomImage(width: 600, height: 400, model: .gray, seed: 9)
        let attacked = try Attack.padEdge(pixels: 300).apply(to: image, seed: 0)
        #expect(attacked.width == 300 && attacked.height == 300)
        let plane = attacked.planes[0]
        func row(_ y: Int) -> ArraySlice<Float> { plane[(y * 300)..<(y * 300 + 300)] }
        // The picture fills rows 50 … 249; above and below, copies of its first and last rows.
        #expect(row(0) == row(50) && row(49) == row(50) && row(299) == row(249) && row(250) == row(249))
        #expect(row(50) != row(51))
    }

    @Test("blur-fill fits the picture in the frame, centred, on a blurred copy of itself")
    func blurFillCentresThePictureOnABlurredCopy() throws {
        let image = AttackFixtures.randomImage(width: 320, height: 180, model: .gray, seed: 5)
        let attacked = try Attack.blurFill(width: 200, height: 200).apply(to: image, seed: 0)
        #expect(attacked.width == 200 && attacked.height == 200)
        // The picture, 200 × 113, keeps its (downscaled) texture in rows 43 … 155; the fill above and below it
        // is the same texture enlarged and blurred (σ 5 px): nearly flat, and not constant.
        func rowDeviation(_ y: Int) -> Double {
            AttackMeasure.standardDeviation(Array(attacked.planes[0][(y * 200)..<(y * 200 + 200)]))
        }
        let picture = rowDeviation(100)
        #expect(picture > 0.1)
        #expect(rowDeviation(5) < picture / 4 && rowDeviation(195) < picture / 4, "\(rowDeviation(5)) \(rowDeviation(195)) \(picture)")
        #expect(rowDeviation(5) > 0)
        #expect(try Attack(parsing: "blur-fill:1080x1920") == .blurFill(width: 1080, height: 1920))
    }

    @Test("resize: a constant image stays constant", arguments: [0.3, 0.5, 0.77, 1.7])
    func constantStaysConstant(factor: Double) throws {
        let image = AttackFixtures.constantImage(width: 61, height: 47, value: 0.37)
        let attacked = try Attack.resize(factor: factor).apply(to: image, seed: 0)
        for plane in attacked.planes {
            #expect(plane.allSatisfy { abs($0 - 0.37) < 1e-5 })
        }
    }

    @Test("resize 0.5 is close to a 2×2 box average and keeps the mean",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func halfSizeMatchesBoxAverage() throws {
        let original = try AttackFixtures.image("skimage_coffee.png", centerSquare: 256)
        let attacked = try Attack.resize(factor: 0.5).apply(to: original, seed: 0)
        #expect(attacked.width == 128 && attacked.height == 128)
        var box = attacked
        box.planes = original.planes.map { plane in
            (0..<128 * 128).map { i in
                let x = 2 * (i % 128), y = 2 * (i / 128)
                return (plane[y * 256 + x] + plane[y * 256 + x + 1] + plane[(y + 1) * 256 + x]
                        + plane[(y + 1) * 256 + x + 1]) / 4
            }
        }
        let psnr = AttackMeasure.psnr(attacked, box)
        #expect(psnr > 30, "PSNR against the box average \(psnr) dB")
        for (before, after) in zip(original.planes, attacked.planes) {
            let drift = abs(AttackMeasure.mean(before) - AttackMeasure.mean(after))
            #expect(drift < 0.5 / 255, "mean moved by \(drift * 255) levels")
        }
    }

    @Test("resize up then down comes back close to the original",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func upAndDown() throws {
        let original = try AttackFixtures.image("skimage_camera_gray.png", centerSquare: 128)
        let attacked = try AttackChain(parsing: "resize:2,resize:0.5").apply(to: original, seed: 0)
        #expect(attacked.width == 128)
        let psnr = AttackMeasure.psnr(original, attacked)
        #expect(psnr > 35, "\(psnr) dB")
    }

    @Test("crop: the requested area, an exact sub-rectangle, placed by the seed",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func crop() throws {
        let original = try AttackFixtures.image("skimage_camera_gray.png", centerSquare: 200)
        let first = try Attack.crop(area: 0.5).apply(to: original, seed: 1)
        let again = try Attack.crop(area: 0.5).apply(to: original, seed: 1)
        let other = try Attack.crop(area: 0.5).apply(to: original, seed: 2)
        #expect(first == again)
        let area = Double(first.pixelCount) / Double(original.pixelCount)
        #expect(abs(area - 0.5) / 0.5 < 0.01, "area \(area)")
        let firstAt = try #require(AttackMeasure.locate(first, in: original))
        let otherAt = try #require(AttackMeasure.locate(other, in: original))
        #expect(firstAt != otherAt, "seeds 1 and 2 both cropped at \(firstAt)")
        // Positions cover the image: over many seeds both ends of the range are reached nearly.
        let small = AttackFixtures.randomImage(width: 40, height: 40, model: .gray, seed: 9)
        var xs: [Int] = []
        for seed in 0..<40 {
            let crop = try Attack.crop(area: 0.25).apply(to: small, seed: UInt64(seed))
            xs.append(try #require(AttackMeasure.locate(crop, in: small)).x)
        }
        #expect(xs.min()! <= 3 && xs.max()! >= 17, "x positions \(xs)")
    }

    @Test("center-crop takes the middle")
    func centerCrop() throws {
        let original = AttackFixtures.randomImage(width: 30, height: 20, model: .rgb, seed: 4)
        let attacked = try Attack.centerCrop(width: 10, height: 6).apply(to: original, seed: 0)
        let position = AttackMeasure.locate(attacked, in: original)
        #expect(position?.x == 10 && position?.y == 7)
    }

    @Test("flip mirrors each row; twice is the identity")
    func flip() throws {
        let original = AttackFixtures.randomImage(width: 7, height: 3, model: .grayAlpha, seed: 5)
        let flipped = try Attack.flip.apply(to: original, seed: 0)
        for p in 0..<2 {
            for y in 0..<3 {
                for x in 0..<7 { #expect(flipped.planes[p][y * 7 + x] == original.planes[p][y * 7 + 6 - x]) }
            }
        }
        #expect(try Attack.flip.apply(to: flipped, seed: 0) == original)
    }

    @Test("rotate 90° is an exact transpose-and-mirror, 180° a double flip")
    func rotateRightAngles() throws {
        let n = 33
        let original = AttackFixtures.randomImage(width: n, height: n, model: .rgb, seed: 6)
        let turned = try Attack.rotate(degrees: 90, cropToValid: false).apply(to: original, seed: 0)
        for p in 0..<3 {
            for y in 0..<n {
                for x in 0..<n {
                    // Counter-clockwise: the right edge comes to the top.
                    #expect(turned.planes[p][y * n + x] == original.planes[p][x * n + (n - 1 - y)])
                }
            }
        }
        let halfTurn = try Attack.rotate(degrees: 180, cropToValid: false).apply(to: original, seed: 0)
        #expect(halfTurn.planes.map { $0.reversed() as [Float] } == original.planes)
        let fullTurn = try Attack.rotate(degrees: 360, cropToValid: true).apply(to: original, seed: 0)
        #expect(fullTurn == original)
    }

    @Test("shear moves each row by its distance below the centre times tan θ; 0° is the identity")
    func shearMovesRows() throws {
        let (width, height) = (41, 21)
        let original = AttackFixtures.randomImage(width: width, height: height, model: .rgb, seed: 9)
        #expect(try Attack.shear(degrees: 0).apply(to: original, seed: 0) == original)
        // tan 45° = 1: the row r below the centre row (10) moves right by r whole pixels, exactly
        // (the cubic kernel interpolates), and what enters from outside the input is black.
        let sheared = try Attack.shear(degrees: 45).apply(to: original, seed: 0)
        #expect(sheared.width == width && sheared.height == height)
        for p in 0..<3 {
            for y in 0..<height {
                let move = y - 10
                for x in 0..<width {
                    let source = x - move
                    let expected = source >= 0 && source < width ? original.planes[p][y * width + source] : 0
                    #expect(abs(sheared.planes[p][y * width + x] - expected) < 1e-5, "(\(x), \(y))")
                }
            }
        }
        #expect(try AttackChain(parsing: "shear:5").description == "shear:5")
    }

    @Test("keystone keeps the bottom row and narrows the top row about the centre line")
    func keystoneNarrowsTheTop() throws {
        let (width, height) = (41, 21)
        let original = AttackFixtures.randomImage(width: width, height: height, model: .gray, seed: 10)
        #expect(try Attack.keystone(fraction: 0).apply(to: original, seed: 0) == original)
        let squeezed = try Attack.keystone(fraction: 0.25).apply(to: original, seed: 0)
        #expect(squeezed.width == width && squeezed.height == height)
        let bottom = (height - 1) * width
        for x in 0..<width { #expect(abs(squeezed.planes[0][bottom + x] - original.planes[0][bottom + x]) < 1e-5) }
        // The top row is the original's scaled by 1/2 about the centre: column 20 ± k reads 20 ± 2k,
        // and beyond a quarter of the width on each side lies black.
        for k in 0...9 {
            #expect(abs(squeezed.planes[0][20 + k] - original.planes[0][20 + 2 * k]) < 1e-5)
            #expect(abs(squeezed.planes[0][20 - k] - original.planes[0][20 - 2 * k]) < 1e-5)
        }
        for x in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40] { #expect(squeezed.planes[0][x] == 0, "column \(x)") }
    }

    @Test("rotate 5°: same canvas, black corners, centre kept",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func rotateFiveDegrees() throws {
        let original = try AttackFixtures.image("skimage_coffee.png", centerSquare: 160)
        let rotated = try AttackChain(parsing: "rotate:5").apply(to: original, seed: 0)
        #expect(rotated.width == 160 && rotated.height == 160)
        for plane in rotated.planes {
            for index in [0, 159, 159 * 160, 160 * 160 - 1] { #expect(plane[index] == 0) }
        }
        // The central pixel hardly moves (the centre is at 79.5, between pixels).
        let centre = 80 * 160 + 80
        for (before, after) in zip(original.planes, rotated.planes) {
            #expect(abs(before[centre] - after[centre]) < 0.06)
        }
    }

    @Test("rotate 5° with crop: smaller, same aspect, no black pixel",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [5.0, -5.0, 12.5])
    func rotateAndCrop(degrees: Double) throws {
        var original = try AttackFixtures.image("skimage_coffee.png")
        // Lift every sample to 0.1 ... 0.9 so that a corner (0) cannot hide among dark pixels.
        original.planes = original.planes.map { $0.map { 0.1 + 0.8 * $0 } }
        let rotated = try Attack.rotate(degrees: degrees, cropToValid: true).apply(to: original, seed: 0)
        #expect(rotated.width < original.width && rotated.height < original.height)
        let aspect = Double(rotated.width) / Double(rotated.height)
        #expect(abs(aspect - 1.5) / 1.5 < 0.01, "aspect \(aspect)")
        // Bicubic overshoot at sharp edges can dip a little below 0.1, never near 0.
        for plane in rotated.planes {
            let darkest = plane.min()!
            #expect(darkest > 0.01, "darkest sample \(darkest)")
        }
        // On a flat image every kept pixel interpolates inside the picture only: exactly flat.
        let flat = AttackFixtures.constantImage(width: 600, height: 400, value: 0.5, model: .gray)
        let flatRotated = try Attack.rotate(degrees: degrees, cropToValid: true).apply(to: flat, seed: 0)
        #expect(flatRotated.width == rotated.width && flatRotated.height == rotated.height)
        #expect(flatRotated.planes[0].allSatisfy { abs($0 - 0.5) < 1e-5 })
        // Not cropped more than needed: a centred s·600 × s·400 rectangle fits for
        // s = min(600 / (600 cos θ + 400 sin θ), 400 / (600 sin θ + 400 cos θ)).
        let c = cos(abs(degrees) * Double.pi / 180), s = sin(abs(degrees) * Double.pi / 180)
        let bound = min(600 / (600 * c + 400 * s), 400 / (600 * s + 400 * c)) * 600
        #expect(Double(rotated.width) > bound - 3, "width \(rotated.width), bound \(bound)")
    }
}
