import ArgumentParser
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark diff ORIGINAL MARKED --output PNG`: the mark made visible.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the difference between an original and its marked copy, amplified, as a gray PNG.",
            discussion: """
                Mid-gray is no change; lighter and darker show where the mark raised or lowered the \
                luminance. By default the residual is stretched so that ±4 standard deviations span \
                the whole gray range; --gain sets the amplification instead.
                """
        )

        @Argument(help: "The unmarked original.") var original: String
        @Argument(help: "The marked copy (same size).") var marked: String
        @Option(name: .shortAndLong, help: "Where to write the PNG.") var output: String
        @Option(help: "Amplification of the luminance residual (default: automatic).") var gain: Double?

        func run() throws {
            try reportingFailures {
                let a = try loadImage(original), b = try loadImage(marked)
                guard a.width == b.width, a.height == b.height else {
                    throw CommandFailure(description: "\(marked): is \(b.width)×\(b.height), the original \(a.width)×\(a.height)")
                }
                let residual = ResidualImage.amplifiedLumaDifference(a, b, gain: gain)
                do {
                    try MediaFile.writeAtomically(try ImageCodec.encode(residual.image, as: .png), toPath: output)
                } catch {
                    throw FileFailure(path: output, cause: error)
                }
                JSONLine.print(["output": output, "gain": String(format: "%.1f", residual.gain)])
            }
        }

        private func loadImage(_ path: String) throws -> PlanarImage {
            do {
                guard case let .image(image) = try MediaFile.decode(try MediaFile.readBytes(atPath: path)) else {
                    throw MarkError.invalidParameter("not an image")
                }
                return image
            } catch {
                throw FileFailure(path: path, cause: error)
            }
        }
    }
}
