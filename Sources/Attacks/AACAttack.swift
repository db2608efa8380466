import Codecs
import Foundation
import Media
import Spectral

/// AAC (MPEG-4 AAC-LC in an M4A file) as an attack, through the `ffmpeg` program's native encoder.
///
/// ```
///   input ──resample to an AAC rate (if needed)──▶ 32-bit float WAV ──ffmpeg──▶ .m4a
///         ──ffmpeg──▶ float WAV ──▶ resample back ──▶ align (±4096) ──▶ cut to the input's length
/// ```
/// Why a program and not a library: libsndfile, which carries every other audio codec here, has no
/// AAC; libavcodec could be linked through a C shim, but its encode loop (frame sizes, sample
/// format conversion, priming, flushing) is a few hundred lines written once for one attack, and
/// `ffmpeg` is what the pipelines this attack stands for actually run. The program is found on
/// `PATH`; without it the attack fails with ``AttackError/externalProgram(_:)`` naming the package.
enum AACAttack {
    /// The rates the MPEG-4 AAC encoder takes (ISO/IEC 14496-3 sampling-frequency indices).
    static let rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000]

    /// Encoded with `ffmpeg -c:a aac -b:a KBPSk`, decoded, brought back to the input's rate,
    /// aligned and cut to its length; metadata is the input's.
    static func roundTrip(_ audio: AudioBuffer, kbps: Int) throws -> AudioBuffer {
        let ffmpeg = try program()
        let rate = rates.contains(audio.sampleRate) ? audio.sampleRate : 48000
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tracemark-aac-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("in.wav").path
        let encoded = directory.appendingPathComponent("coded.m4a").path
        let decodedPath = directory.appendingPathComponent("out.wav").path

        let input = Resampler.resample(audio, to: rate)
        let wav = try AudioCodec.encode(input, options: AudioEncodeOptions(format: .wav, sampleFormat: .float32))
        try MediaFile.writeAtomically(wav, toPath: source)
        try run(ffmpeg, ["-i", source, "-c:a", "aac", "-b:a", "\(kbps)k", encoded])
        try run(ffmpeg, ["-i", encoded, "-c:a", "pcm_f32le", decodedPath])

        let decoded = try AudioCodec.decode(try MediaFile.readBytes(atPath: decodedPath))
        return try AudioCodecAttack.restored(decoded, like: audio, codec: .wav)
    }

    /// The `ffmpeg` executable on `PATH`.
    static func program() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw AttackError.externalProgram("aac needs the ffmpeg program on PATH (Debian: apt-get install ffmpeg)")
    }

    /// Runs `ffmpeg` quietly on `arguments`; its own error message if it fails.
    private static func run(_ ffmpeg: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self)
                .split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw AttackError.externalProgram("ffmpeg exited with status \(process.terminationStatus): \(text)")
        }
    }
}
