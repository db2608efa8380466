import ArgumentParser
import Tracemark

extension TracemarkCommand {
    /// `tracemark keygen --output KEYFILE`: a fresh secret key.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a fresh random 256-bit marking key (text, mode 0600).",
            discussion: """
                The key decides every pattern of the mark: without it a mark can be neither read nor \
                written. Keep it secret and backed up; marks made with a lost key cannot be read. \
                Prints the key's public id (safe to share) as JSON.
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the key.", valueName: "keyfile"))
        var output: String

        @Flag(help: "Replace an existing file.")
        var force = false

        func run() throws {
            try reportingFailures {
                if !force, FileManager.default.fileExists(atPath: output) {
                    throw CommandFailure(description: "\(output): exists (use --force to replace it)")
                }
                let key = MarkKey.generate()
                do {
                    try MediaFile.writeAtomically(Array(key.fileText.utf8), toPath: output, permissions: 0o600)
                } catch {
                    throw FileFailure(path: output, cause: error)
                }
                JSONLine.print(["key_file": output, "key_id": key.id])
            }
        }
    }
}

import Foundation
