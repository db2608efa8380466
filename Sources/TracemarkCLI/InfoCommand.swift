import ArgumentParser
import Tracemark

extension TracemarkCommand {
    /// `tracemark info FILE...`: one JSON object per file with its kind and properties.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the properties of image and audio files, one JSON object per line.",
            discussion: """
                Reads only headers. A file that cannot be read is reported on standard error and \
                the others are still listed; the exit code is then 2.
                """
        )

        @Argument(help: "Image or audio files (PNG, JPEG, WebP, GIF, BMP, TIFF, WAV, FLAC, Ogg, Opus, MP3, M4A/MP4, WebM, AAC).")
        var files: [String]

        func run() throws {
            var failed = false
            for path in files {
                do {
                    let info = try MediaFile.probe(try MediaFile.readBytes(atPath: path))
                    JSONLine.print(InfoReport(file: path, info: info))
                } catch {
                    failed = true
                    Diagnostics.report(FileFailure(path: path, cause: error))
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}

/// The JSON shape of `info`: fields for the file's kind only (absent keys, not nulls).
struct InfoReport: Encodable {
    var file: String
    var kind: String
    var container: String
    var width: Int?, height: Int?, color: String?, bitDepth: Int?, interlaced: Bool?, icc: Bool?, exifOrientation: Int?
    var sampleRate: Int?, frames: Int?, duration: Double?, sampleFormat: String?
    var channels: Int

    init(file: String, info: MediaInfo) {
        self.file = file
        switch info {
        case let .image(image):
            kind = "image"; container = image.format.rawValue
            width = image.width; height = image.height; color = image.colorModel.rawValue
            channels = image.colorModel.channelCount; bitDepth = image.bitDepth
            interlaced = image.isInterlaced; icc = image.hasICCProfile; exifOrientation = image.exifOrientation
        case let .audio(audio):
            kind = "audio"; container = audio.format.rawValue
            sampleRate = audio.sampleRate; channels = audio.channelCount; frames = audio.frameCount
            duration = (audio.duration * 1000).rounded() / 1000; sampleFormat = audio.sampleFormat.rawValue
        }
    }

    enum CodingKeys: String, CodingKey {
        case file, kind, container, width, height, color, channels, interlaced, icc, duration, frames
        case bitDepth = "bit_depth", exifOrientation = "exif_orientation"
        case sampleRate = "sample_rate", sampleFormat = "sample_format"
    }
}
