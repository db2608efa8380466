import Attacks
import Foundation
import Media
import Testing
import TestSupport

@Suite("Image attacks: noise, filters, tone")
struct ImageToneFilterAttackTests {
    /// `plane[clamp(x), clamp(y)]`: the edge repeated, as the filters do.
    static func sample(_ plane: [Float], _ width: Int, _ height: Int, _ x: Int, _ y: Int) -> Float {
        plane[min(max(y, 0), height - 1) * width + min(max(x, 0), width - 1)]
    }

    @Test("noise: measured σ within 5 % of the request, mean 0, alpha untouched", arguments: [1.0, 4.0, 10.0])
    func noiseSigma(sigma: Double) throws {
        let original = AttackFixtures.constantImage(width: 200, height: 200, value: 0.5, model: .rgba)
        let attacked = try Attack.noise(sigma: sigma).apply(to: original, seed: 42)
        for p in 0..<3 {
            let difference = zip(attacked.planes[p], original.planes[p]).map { $0 - $1 }
            let measured = AttackMeasure.standardDeviation(difference) * 255
            #expect(abs(measured - sigma) / sigma < 0.05, "σ requested \(sigma), measured \(measured)")
            #expect(abs(AttackMeasure.mean(difference) * 255) < 0.05 * sigma)
        }
        #expect(attacked.planes[3] == original.planes[3])
        #expect(try Attack.noise(sigma: sigma).apply(to: original, seed: 42) == attacked)
        #expect(try Attack.noise(sigma: sigma).apply(to: original, seed: 43) != attacked)
    }

    @Test("blur equals the direct 2-D Gaussian sum", arguments: [0.6, 1.2, 2.5])
    func blurMatchesDirectSum(sigma: Double) throws {
        let (width, height) = (13, 9)
        let original = AttackFixtures.randomImage(width: width, height: height, model: .gray, seed: 7)
        let attacked = try Attack.blur(sigma: sigma).apply(to: original, seed: 0)
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let kernel = raw.map { $0 / raw.reduce(0, +) }
        let plane = original.planes[0]
        var worst = 0.0
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for j in -radius...radius {
                    for i in -radius...radius {
                        sum += kernel[i + radius] * kernel[j + radius] * Double(Self.sample(plane, width, height, x + i, y + j))
                    }
                }
                worst = max(worst, abs(sum - Double(attacked.planes[0][y * width + x])))
            }
        }
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    @Test("median equals the sorted middle of each window",
          arguments: [(3, 11, 8), (3, 37, 5), (3, 2, 3), (3, 1, 1), (5, 11, 8), (7, 11, 8)])
    func medianMatchesSort(size: Int, width: Int, height: Int) throws {
        let original = AttackFixtures.randomImage(width: width, height: height, model: .rgb, seed: 8)
        let attacked = try Attack.median(size: size).apply(to: original, seed: 0)
        let r = size / 2
        for p in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    var window: [Float] = []
                    for j in -r...r { for i in -r...r { window.append(Self.sample(original.planes[p], width, height, x + i, y + j)) } }
                    #expect(attacked.planes[p][y * width + x] == window.sorted()[window.count / 2])
                }
            }
        }
    }

    @Test("median removes salt-and-pepper, blur spreads it")
    func medianRemovesImpulses() throws {
        var image = AttackFixtures.constantImage(width: 20, height: 20, value: 0.4, model: .gray)
        image.planes[0][10 * 20 + 10] = 1
        image.planes[0][3 * 20 + 15] = 0
        let median = try Attack.median(size: 3).apply(to: image, seed: 0)
        #expect(median.planes[0].allSatisfy { $0 == 0.4 })
        let blurred = try Attack.blur(sigma: 1).apply(to: image, seed: 0)
        #expect(blurred.planes[0][10 * 20 + 10] < 0.6 && blurred.planes[0][10 * 20 + 11] > 0.4)
    }

    @Test("brightness, contrast and gamma match the formula; alpha untouched")
    func toneFormulas() throws {
        let original = AttackFixtures.randomImage(width: 16, height: 16, model: .rgba, seed: 10)
        let bright = try Attack.brightness(factor: 1.2).apply(to: original, seed: 0)
        let contrast = try Attack.contrast(factor: 0.7).apply(to: original, seed: 0)
        let strongContrast = try Attack.contrast(factor: 1.8).apply(to: original, seed: 0)
        let gamma = try Attack.gamma(2.2).apply(to: original, seed: 0)
        for p in 0..<3 {
            let plane = original.planes[p]
            let mean = Float(AttackMeasure.mean(plane))
            for i in plane.indices {
                #expect(abs(bright.planes[p][i] - min(plane[i] * 1.2, 1)) < 1e-6)
                #expect(abs(contrast.planes[p][i] - ((plane[i] - mean) * 0.7 + mean)) < 1e-6)
                #expect(abs(strongContrast.planes[p][i] - min(max((plane[i] - mean) * 1.8 + mean, 0), 1)) < 1e-6)
                #expect(abs(gamma.planes[p][i] - pow(plane[i], 2.2)) < 1e-6)
            }
        }
        for attacked in [bright, contrast, strongContrast, gamma] {
            #expect(attacked.planes[3] == original.planes[3])
        }
    }

    @Test("a chain applies its steps in order, each with its own seed",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func chainOnCorpusImage() throws {
        let original = try AttackFixtures.image("skimage_astronaut.png", centerSquare: 128)
        let chain = try AttackChain(parsing: "resize:0.75,crop:0.8,noise:2,jpeg:75")
        let attacked = try chain.apply(to: original, seed: 99)
        #expect(attacked.width == 86 && attacked.height == 86)
        #expect(try chain.apply(to: .image(original), seed: 99).kind == .image)
        guard case let .image(again) = try chain.apply(to: .image(original), seed: 99) else {
            Issue.record("not an image")
            return
        }
        #expect(again == attacked)
        #expect(try chain.apply(to: original, seed: 100) != attacked)
        #expect(attacked.metadata.iccProfile == original.metadata.iccProfile)
    }
}
