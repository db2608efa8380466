import Foundation

/// The `ffmpeg` program on `PATH` (a declared dependency: the harness's AAC attack runs it), for
/// tests that make files in formats tracemark reads but does not write.
public enum FFmpegProgram {
    public static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// Damaged copies of a file for tests of bad input: the first half cut at random lengths, the
/// rest with 2 to `count` / 2 + 1 bytes overwritten at random places (seeded: the same on every
/// run).
public func damagedCopies(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { trial in
        var copy = bytes
        if trial < count / 2 {
            copy = Array(copy.prefix(Int(random.next() % UInt64(copy.count))))
        } else {
            for _ in 0...(trial - count / 2 + 1) {
                copy[Int(random.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: random.next())
            }
        }
        return copy
    }
}
