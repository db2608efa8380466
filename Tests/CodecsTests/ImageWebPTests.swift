import Codecs
import Media
import Testing
import TestSupport

/// WebP through libwebp: sniffing, header, lossy round trips in every colour model, bad input.
@Suite("Image codec: WebP")
struct ImageWebPTests {
    /// A smooth synthetic image (gradients and a soft disc): lossy WebP keeps it within a few levels.
    static func image(_ model: ColorModel, width: Int = 67, height: Int = 45) -> PlanarImage {
        let planes = (0..<model.channelCount).map { c -> [Float] in
            (0..<(width * height)).map { i in
                let x = Float(i % width) / Float(width), y = Float(i / width) / Float(height)
                let disc: Float = (x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5) < 0.06 ? 0.3 : 0
                return min(1, 0.1 + 0.5 * x * Float(c + 1) / Float(model.channelCount) + 0.3 * y + disc)
            }
        }
        return PlanarImage(width: width, height: height, colorModel: model, planes: planes)
    }

    static func maxError(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    @Test(arguments: [ColorModel.rgb, .rgba, .gray, .grayAlpha])
    func lossyRoundTripKeepsSizeAlphaAndContent(model: ColorModel) throws {
        let original = Self.image(model)
        let bytes = try ImageCodec.encode(original, as: .webp, options: ImageEncodeOptions(quality: 95))
        #expect(FormatSniffer.format(of: bytes) == .webp)
        let info = try ImageCodec.probe(bytes)
        #expect(info.format == .webp && info.width == original.width && info.height == original.height)
        #expect(info.colorModel == (model.hasAlpha ? .rgba : .rgb))
        let decoded = try ImageCodec.decode(bytes)
        #expect(decoded.colorModel == (model.hasAlpha ? .rgba : .rgb))
        #expect(decoded.metadata.sourceFormat == .webp)
        // Gray is written as RGB: every colour plane comes back close to the gray plane.
        let colour = model.channelCount >= 3 ? 3 : 1
        for c in 0..<3 {
            let error = Self.maxError(decoded.planes[c], original.planes[min(c, colour - 1)])
            #expect(error < 0.1, "plane \(c): max error \(error)")
        }
        if model.hasAlpha {
            #expect(Self.maxError(decoded.planes[3], original.planes[model.channelCount - 1]) < 0.02)
        }
    }

    @Test func lowerQualityIsSmallerAndLessExact() throws {
        let original = Self.image(.rgb, width: 160, height: 120)
        let high = try ImageCodec.encode(original, as: .webp, options: ImageEncodeOptions(quality: 95))
        let low = try ImageCodec.encode(original, as: .webp, options: ImageEncodeOptions(quality: 20))
        #expect(low.count < high.count)
        let errorHigh = Self.maxError(try ImageCodec.decode(high).planes[1], original.planes[1])
        let errorLow = Self.maxError(try ImageCodec.decode(low).planes[1], original.planes[1])
        #expect(errorLow > errorHigh)
    }

    @Test func luminanceOnlyDecodeIsBT601Luma() throws {
        let bytes = try ImageCodec.encode(Self.image(.rgb), as: .webp, options: ImageEncodeOptions(quality: 90))
        let full = try ImageCodec.decode(bytes)
        let luma = try ImageCodec.decode(bytes, options: ImageDecodeOptions(luminanceOnly: true))
        #expect(luma.colorModel == .gray)
        #expect(Self.maxError(luma.planes[0], ImageTestData.luma(of: full)) < 1e-3)
    }

    @Test func damagedFilesThrowCorrupt() throws {
        let bytes = try ImageCodec.encode(Self.image(.rgb, width: 120, height: 90), as: .webp)
        #expect(throws: CodecError.self) { try ImageCodec.decode(Array(bytes.prefix(bytes.count / 2))) }
        var header = Array(bytes.prefix(40))
        header.replaceSubrange(12..<16, with: Array("XXXX".utf8))
        #expect(throws: CodecError.self) { try ImageCodec.decode(header) }
        #expect(throws: CodecError.self) {
            try ImageCodec.decode(bytes, options: ImageDecodeOptions(maxPixels: 100))
        }
    }
}
