import ArgumentParser
import Foundation
import Tracemark

/// `--key KEYFILE`, shared by every command that marks or reads marks.
struct KeyOption: ParsableArguments {
    /// Key file written by `tracemark keygen` (keep it secret).
    @Option(name: .long, help: ArgumentHelp("Key file written by `tracemark keygen`.", valueName: "keyfile"))
    var key: String

    func load() throws -> MarkKey {
        do {
            let bytes = try MediaFile.readBytes(atPath: key)
            return try MarkKey(fileText: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw FileFailure(path: key, cause: error)
        }
    }
}

/// A failure the CLI reports as one line and exit code 2.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

extension ParsableCommand {
    /// Runs `body`, turning any thrown error into one `tracemark: …` line and exit code 2.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Diagnostics.report(error)
            throw ExitCode(2)
        }
    }
}

/// Whether two paths name the same file (so that an output never replaces its own input).
func isSameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else {
        return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
    }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}

/// Milliseconds since `start`, rounded to 0.1.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
    return (ms * 10).rounded() / 10
}
