import ArgumentParser
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark embed INPUT OUTPUT --key K --payload HEX`.
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an image with a 64-bit payload under a key.",
            discussion: """
                The output format follows OUTPUT's extension (.png, .jpg/.jpeg). Alpha, ICC profile \
                and EXIF are kept. The input is never modified; the output is written atomically. \
                Prints one JSON line: payload, key id, PSNR and SSIM of the mark, chip size, time.
                """
        )

        @Argument(help: "Image to mark (PNG or JPEG, recognised by content).")
        var input: String

        @Argument(help: "Where to write the marked image (.png, .jpg or .jpeg).")
        var output: String

        @OptionGroup var keyOption: KeyOption

        @Option(help: ArgumentHelp("The 64-bit payload as 16 hex digits (e.g. creator + asset ids).", valueName: "hex"))
        var payload: String

        @Option(help: "Mark amplitude relative to the default (1 fills the perceptual budget, PSNR ≥ 39 dB; 2 is 6 dB stronger).")
        var strength: Double = 1

        @Option(help: "JPEG quality of the output, 1–100.")
        var quality: Int = 92

        func validate() throws {
            guard (1...100).contains(quality) else { throw ValidationError("--quality must be between 1 and 100") }
            guard strength > 0, strength <= 8 else { throw ValidationError("--strength must be in (0, 8]") }
        }

        func run() throws {
            try reportingFailures {
                let start = ContinuousClock.now
                let payload: Payload
                do { payload = try Payload(hex: self.payload) } catch { throw CommandFailure(description: "\(error)") }
                let key = try keyOption.load()
                let format = ContainerFormat(pathExtension: (output as NSString).pathExtension)
                guard let format, format.kind == .image else {
                    throw CommandFailure(description: "\(output): the output must end in .png, .jpg or .jpeg")
                }
                if isSameFile(input, output) {
                    throw CommandFailure(description: "\(output): is the input; write the marked copy elsewhere")
                }
                let image: PlanarImage
                do {
                    let bytes = try MediaFile.readBytes(atPath: input)
                    guard case let .image(decoded) = try MediaFile.decode(bytes) else {
                        throw MarkError.invalidParameter("audio marking is not available yet")
                    }
                    image = decoded
                } catch {
                    throw FileFailure(path: input, cause: error)
                }
                let embedding: ImageEmbedding
                do {
                    embedding = try ImageMarker(key: key).embed(image, payload: payload,
                                                                options: ImageEmbedOptions(strength: strength))
                } catch {
                    throw FileFailure(path: input, cause: error)
                }
                do {
                    let encoded = try ImageCodec.encode(embedding.image, as: format,
                                                        options: ImageEncodeOptions(quality: quality))
                    try MediaFile.writeAtomically(encoded, toPath: output)
                } catch {
                    throw FileFailure(path: output, cause: error)
                }
                JSONLine.print(EmbedReport(file: input, output: output, payload: payload.hex, keyID: key.id,
                                           psnr: (embedding.psnr * 100).rounded() / 100,
                                           ssim: (embedding.ssim * 10000).rounded() / 10000,
                                           chipSize: (embedding.chipSize * 100).rounded() / 100,
                                           timeMs: milliseconds(since: start)))
            }
        }
    }
}

struct EmbedReport: Encodable {
    var file: String, output: String, payload: String, keyID: String
    var psnr: Double, ssim: Double, chipSize: Double, timeMs: Double

    enum CodingKeys: String, CodingKey {
        case file, output, payload, psnr, ssim
        case keyID = "key_id", chipSize = "chip_size", timeMs = "time_ms"
    }
}
