import ArgumentParser
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark embed INPUT OUTPUT --key K --payload HEX`.
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an image or audio file with a 64-bit payload under a key.",
            discussion: """
                The output format follows OUTPUT's extension (.png, .jpg/.jpeg, .webp for images; .wav, \
                .flac, .ogg, .opus, .mp3 for audio, which keeps the input's rate, channels and, where \
                it applies, sample format). Alpha, ICC profile and EXIF are kept (WebP keeps alpha \
                only). The input is never \
                modified; the output is written atomically. Prints one JSON line: payload, key id, \
                quality of the mark (PSNR and SSIM, or SNR), time.
                """
        )

        @Argument(help: "Image or audio file to mark (recognised by content).")
        var input: String

        @Argument(help: "Where to write the marked copy; its extension picks the format.")
        var output: String

        @OptionGroup var keyOption: KeyOption

        @Option(help: ArgumentHelp("The 64-bit payload as 16 hex digits (e.g. creator + asset ids).", valueName: "hex"))
        var payload: String

        @Option(help: "Mark amplitude relative to the default (1: images fill their perceptual budget, PSNR ≥ 38 dB, raised where texture hides it if a rehearsed resize + crop + JPEG would lose the mark; audio about 30.5 dB SNR; 2 is 6 dB stronger; under 1, images are not raised).")
        var strength: Double = 1

        @Option(help: "JPEG or WebP quality of an image output, 1–100.")
        var quality: Int = 92

        @Flag(help: "First look for a mark under this key in the input and refuse (exit 2, no output) if there is one: a file marked twice carries two payloads, and its excerpts may read neither. Costs a detection.")
        var refuseMarked = false

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
                guard let format = ContainerFormat(pathExtension: (output as NSString).pathExtension) else {
                    throw CommandFailure(description: "\(output): the output must end in .png, .jpg, .webp, .wav, .flac, .ogg, .opus or .mp3")
                }
                if isSameFile(input, output) {
                    throw CommandFailure(description: "\(output): is the input; write the marked copy elsewhere")
                }
                let media: DecodedMedia
                do { media = try MediaFile.decode(try MediaFile.readBytes(atPath: input)) } catch {
                    throw FileFailure(path: input, cause: error)
                }
                guard format.kind == media.kind else {
                    throw CommandFailure(description: "\(output): the input is \(media.kind.rawValue), the output extension is for \(format.kind.rawValue)")
                }
                if refuseMarked, let existing = Self.existingMark(in: media, key: key) {
                    throw CommandFailure(description: "\(input): already marked under this key (payload \(existing.payload.hex), "
                        + "false-positive probability \(String(format: "%.1e", existing.falsePositive))); not marked again")
                }
                var report = EmbedReport(kind: media.kind.rawValue, file: input, output: output, payload: payload.hex, keyID: key.id)
                let encoded: [UInt8]
                // Consumed, so that the media is marked in place: the decoded original is not needed
                // afterwards, and a second copy of a large photo's float planes is half a gigabyte
                // (of ten minutes of 44.1-kHz stereo, 212 MB).
                switch consume media {
                case var .image(image):
                    let embedding: ImageMarkReport
                    do {
                        embedding = try ImageMarker(key: key).embed(into: &image, payload: payload, options: ImageEmbedOptions(strength: strength))
                    } catch {
                        throw FileFailure(path: input, cause: error)
                    }
                    do { encoded = try ImageCodec.encode(image, as: format, options: ImageEncodeOptions(quality: quality)) } catch {
                        throw FileFailure(path: output, cause: error)
                    }
                    report.psnr = (embedding.psnr * 100).rounded() / 100
                    report.ssim = (embedding.ssim * 10000).rounded() / 10000
                    report.chipSize = (embedding.chipSize * 100).rounded() / 100
                    report.maskingGain = embedding.maskingGain
                case var .audio(audio):
                    // One 8-bit step (1/128 of full scale) is larger than the whole mark at ~30 dB
                    // under the music: written back as 8-bit PCM, rounding would erase it.
                    if audio.metadata.sampleFormat == .pcm8, format == .wav || format == .flac {
                        throw FileFailure(path: input, cause: MarkError.unreadable(
                            "8-bit PCM cannot hold the mark (one 8-bit step is larger than the mark); make a 16-bit copy first"))
                    }
                    let embedding: AudioMarkReport
                    do {
                        embedding = try AudioMarker(key: key).embed(into: &audio, payload: payload, options: AudioEmbedOptions(strength: strength))
                    } catch {
                        throw FileFailure(path: input, cause: error)
                    }
                    do { encoded = try AudioCodec.encode(audio, options: AudioEncodeOptions(format: format)) } catch {
                        throw FileFailure(path: output, cause: error)
                    }
                    report.snr = (embedding.snr * 100).rounded() / 100
                }
                do { try MediaFile.writeAtomically(encoded, toPath: output) } catch {
                    throw FileFailure(path: output, cause: error)
                }
                report.timeMs = milliseconds(since: start)
                JSONLine.print(report)
            }
        }

        /// The payload a mark under `key` already gives in `media`, with its stated probability.
        static func existingMark(in media: DecodedMedia, key: MarkKey) -> (payload: Payload, falsePositive: Double)? {
            switch media {
            case let .image(image):
                let found = ImageDetector(key: key).detect(image)
                return found.payload.map { ($0, found.falsePositiveProbability) }
            case let .audio(audio):
                let found = AudioDetector(key: key).detect(audio)
                return found.payload.map { ($0, found.falsePositiveProbability) }
            }
        }
    }
}

/// The JSON line `embed` prints: quality fields for the media's kind only.
struct EmbedReport: Encodable {
    var kind: String, file: String, output: String, payload: String, keyID: String
    var psnr: Double?, ssim: Double?, chipSize: Double?, snr: Double?
    /// Images: how far the closed loop raised the textured part of the mark (1: not at all).
    var maskingGain: Double?
    var timeMs: Double = 0

    enum CodingKeys: String, CodingKey {
        case kind, file, output, payload, psnr, ssim, snr
        case keyID = "key_id", chipSize = "chip_size", maskingGain = "masking_gain", timeMs = "time_ms"
    }
}
