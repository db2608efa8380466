import Codecs
import Media
import TestSupport
import Testing

/// GIF, BMP and TIFF through libavcodec (read only): sniffing, lossless formats bit-exact, a
/// palette close, refusals. The files are made by `ffmpeg` from a synthetic PNG.
@Suite("Image read through libavcodec", .enabled(if: FFmpegProgram.path != nil, "needs ffmpeg on PATH"))
struct ImageLibavReadTests {
    static let source = ImageWebPTests.image(.rgb, width: 67, height: 45)
    static let sourcePNG = try! ImageCodec.encode(source, as: .png)

    static func made(_ arguments: [String], suffix: String) throws -> [UInt8] {
        try FFmpeg.convert(sourcePNG, inputSuffix: "png", arguments: arguments, suffix: suffix)
    }

    @Test("BMP and TIFF (plain and LZW) decode bit-exact, GIF within its palette")
    func decodes() throws {
        let expected = try ImageCodec.decode(Self.sourcePNG)
        for (arguments, suffix, format) in [(["-pix_fmt", "bgr24"], "bmp", ContainerFormat.bmp),
                                            (["-pix_fmt", "rgb24"], "tiff", .tiff),
                                            (["-pix_fmt", "rgb24", "-compression_algo", "lzw"], "tiff", .tiff)] {
            let bytes = try Self.made(arguments, suffix: suffix)
            #expect(FormatSniffer.format(of: bytes) == format)
            let info = try ImageCodec.probe(bytes)
            #expect(info.format == format && info.width == 67 && info.height == 45 && info.colorModel == .rgb)
            let decoded = try ImageCodec.decode(bytes)
            #expect(decoded.metadata.sourceFormat == format)
            #expect(decoded.planes == expected.planes, "\(suffix) \(arguments)")
            let luma = try ImageCodec.decode(bytes, options: ImageDecodeOptions(luminanceOnly: true))
            #expect(luma.colorModel == .gray && luma.width == 67)
        }
        let gif = try Self.made([], suffix: "gif")
        #expect(FormatSniffer.format(of: gif) == .gif)
        let decoded = try ImageCodec.decode(gif)
        #expect(decoded.width == 67 && decoded.height == 45 && decoded.metadata.sourceFormat == .gif)
        // ffmpeg's default GIF palette is a fixed, dithered 256 colours: close on average.
        let error = zip(decoded.planes[0], expected.planes[0]).map { abs($0 - $1) }.reduce(0, +) / Float(decoded.pixelCount)
        #expect(error < 0.05, "mean error \(error)")
    }

    @Test("signatures: GIF87a/89a, TIFF both byte orders, BMP only with a known DIB header size")
    func sniffs() {
        #expect(FormatSniffer.format(of: Array("GIF87a".utf8) + [0, 0]) == .gif)
        #expect(FormatSniffer.format(of: Array("GIF89a".utf8) + [0, 0]) == .gif)
        #expect(FormatSniffer.format(of: [0x49, 0x49, 42, 0, 8, 0, 0, 0]) == .tiff)
        #expect(FormatSniffer.format(of: [0x4D, 0x4D, 0, 42, 0, 0, 0, 8]) == .tiff)
        var bmp = [UInt8](repeating: 0, count: 54)
        bmp[0] = 0x42; bmp[1] = 0x4D; bmp[14] = 40
        #expect(FormatSniffer.format(of: bmp) == .bmp)
        bmp[14] = 41
        #expect(FormatSniffer.format(of: bmp) == nil, "\"BM\" and an unknown header size is not a BMP")
    }

    /// Cut anywhere, or with bytes flipped, a GIF, BMP or TIFF either decodes or throws a
    /// ``CodecError``: the C decode loop never crashes on damaged input.
    @Test("damaged GIF, BMP and TIFF files decode or throw a CodecError", arguments: ["gif", "bmp", "tiff"])
    func damagedFilesFailCleanly(suffix: String) throws {
        let whole = try Self.made([], suffix: suffix)
        for (trial, bytes) in damagedCopies(of: whole, count: 16, seed: 13).enumerated() {
            do {
                let decoded = try ImageCodec.decode(bytes)
                #expect(decoded.width > 0 && decoded.height > 0)
            } catch {
                #expect(error is CodecError, "\(suffix) trial \(trial): \(error)")
            }
        }
    }

    @Test("a truncated GIF and GIF as an output are refused with a reason")
    func refusals() throws {
        let gif = try Self.made([], suffix: "gif")
        #expect { try ImageCodec.decode(Array(gif.prefix(20))) } throws: { error in
            guard case CodecError.corrupt(format: .gif, _) = error else { return false }
            return true
        }
        #expect { try ImageCodec.encode(Self.source, as: .gif) } throws: { error in
            guard case CodecError.encodeFailed(format: .gif, let reason) = error else { return false }
            return reason.contains("read, not written")
        }
    }
}
