import ArgumentParser
import Attacks
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark attack INPUT OUTPUT --attack SPEC [--seed N]`: what the robustness harness does
    /// to a marked file, one file at a time.
    struct Attack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply signal attacks (JPEG, resize, crop, MP3, noise …) to an image or audio file.",
            discussion: """
                SPEC is a comma-separated list of attacks applied in order, e.g. \
                resize:0.75,crop:0.8,jpeg:75 or mp3:128,speed:1.02; "none" applies nothing. The \
                same SPEC, input and --seed always give the same output.

                OUTPUT's extension chooses its format (.png .jpg .webp .wav .flac .ogg .opus .mp3). When \
                the last attack is the output's own codec (jpeg:75 to a .jpg, mp3:128 to a .mp3), \
                OUTPUT is the very file that attack encoded, not a second encoding of it. \
                Otherwise JPEG is written at quality 95 with full-resolution chroma, MP3, Vorbis and \
                Opus at their encoders' default quality, PNG, WAV and FLAC losslessly. The input is \
                never modified; the output is written atomically.

                ATTACKS (spec, media, parameter and unit; then what it does):
                \(Attacks.Attack.parameterHelpText)
                """
        )

        @Argument(help: "Image or audio file to attack (recognised by content).")
        var input: String

        @Argument(help: "Where to write the attacked file; its extension chooses the format.")
        var output: String

        @Option(help: ArgumentHelp("The attacks to apply, comma-separated (see ATTACKS above).", valueName: "spec"))
        var attack: String

        @Option(help: "Seed for the attacks' randomness (crop position, noise, excerpt start).")
        var seed: UInt64 = 0

        func validate() throws {
            do {
                _ = try AttackChain(parsing: attack)
            } catch {
                throw ValidationError("--attack: \(error)")
            }
            guard outputFormat != nil else {
                throw ValidationError("\(output): the output must end in .png, .jpg, .webp, .wav, .flac, .ogg, .opus or .mp3")
            }
        }

        func run() throws {
            try reportingFailures {
                let chain = try AttackChain(parsing: attack)
                guard let format = outputFormat else { throw CommandFailure(description: "\(output): unknown format") }
                if isSameFile(input, output) {
                    throw CommandFailure(description: "\(output): is the input; write the attacked copy elsewhere")
                }
                let media: DecodedMedia
                do {
                    media = try MediaFile.decode(MediaFile.readBytes(atPath: input))
                } catch {
                    throw FileFailure(path: input, cause: error)
                }
                guard media.kind == format.kind else {
                    throw CommandFailure(description: "\(output): a .\(format.rawValue) file cannot hold the \(media.kind.rawValue) in \(input)")
                }
                let bytes: [UInt8]
                do {
                    bytes = try Self.attackedFile(media, chain: chain, seed: seed, format: format)
                } catch let error as AttackError {
                    throw FileFailure(path: input, cause: error)
                } catch {
                    throw FileFailure(path: output, cause: error)
                }
                do {
                    try MediaFile.writeAtomically(bytes, toPath: output)
                } catch {
                    throw FileFailure(path: output, cause: error)
                }
            }
        }

        private var outputFormat: ContainerFormat? {
            ContainerFormat(pathExtension: (output as NSString).pathExtension)
        }

        /// The chain applied to `media` and encoded as `format`. A final codec attack of the
        /// output's own format writes the file it encodes; the steps before it keep their indices,
        /// so their seeds, and the result, are the same as with the whole chain.
        static func attackedFile(_ media: DecodedMedia, chain: AttackChain, seed: UInt64,
                                 format: ContainerFormat) throws -> [UInt8] {
            var steps = chain.steps
            if let last = steps.last, last.codecFormat == format {
                steps.removeLast()
                let attacked = try AttackChain(steps: steps).apply(to: media, seed: seed)
                return try last.encodedFile(for: attacked)
            }
            switch try chain.apply(to: media, seed: seed) {
            case let .image(image):
                let options = format == .jpeg ? ImageEncodeOptions(quality: 95, chromaSubsampling: .s444) : .init()
                return try ImageCodec.encode(image, as: format, options: options)
            case let .audio(audio):
                return try AudioCodec.encode(audio, options: AudioEncodeOptions(format: format))
            }
        }
    }
}
