import ArgumentParser
import Tracemark

/// The command-line tool. Each subcommand lives in its own file as `extension TracemarkCommand`.
@main
struct TracemarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracemark",
        abstract: "Embed and detect invisible, keyed creator marks in images and audio.",
        discussion: """
            Media are recognised by content (PNG, JPEG, WebP, WAV, FLAC, Ogg Vorbis, Opus, MP3; read only: \
            GIF, BMP, TIFF, AAC or ALAC in M4A/MP4, WebM, ADTS AAC), never by file name. Exit codes: 0 success, 1 nothing found (detect), 2 an input failed.
            """,
        version: "0.1.0",
        subcommands: [Info.self, Keygen.self, Embed.self, Detect.self, Diff.self, Attack.self, Scan.self, Robustness.self]
    )

    /// Sets the process's allocator policy (``AllocatorTuning``) before any work: a scan or a
    /// multi-file detect decodes one file after another, and glibc's default would hand every
    /// large buffer back to the kernel and fault it in again for the next file.
    static func main() {
        AllocatorTuning.keepFreedMemory()
        main(nil)
    }
}
