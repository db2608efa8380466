import Foundation

/// The `ffmpeg` program on `PATH` (a declared dependency: the harness's AAC attack runs it), for
/// tests that make files in formats tracemark reads but does not write.
public enum FFmpegProgram {
    public static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
