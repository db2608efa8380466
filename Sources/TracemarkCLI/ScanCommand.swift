import ArgumentParser
import Foundation
import Tracemark

extension TracemarkCommand {
    /// `tracemark scan PATH... --key K [--key K2 …] [--files-from FILE|-] [--output scan.jsonl] …`.
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sweep files, folders, lists of paths and tar/zip shards for marks, in parallel.",
            discussion: """
                Media are recognised by content; other files and archive members are skipped and \
                counted. Archives (.tar, .tar.gz, .zip) are read as streams, never unpacked to disk; \
                their members are named ARCHIVE#MEMBER. Every item is checked against every key.

                Output: one JSON line per item (item, kind, detected, payload, key_id, \
                false_positive_probability; error and error_kind when it failed; hits when several \
                keys found a mark). With several keys the line names the best key and its \
                false-positive probability is multiplied by the number of keys. A summary goes to \
                standard error (and to --summary as JSON).

                Exit code 0 when the scan finished, even with bad files; 1 with --fail-on-error when \
                any item failed; 2 on a fatal error (unreadable key or list, output not writable).
                """
        )

        @Argument(help: "Files, folders (walked recursively) and archives to scan.")
        var paths: [String] = []

        @Option(name: .customLong("key"), help: ArgumentHelp(
            "Key file written by `tracemark keygen`; repeat the option to check several keys.", valueName: "keyfile"))
        var keys: [String] = []

        @Option(name: .customLong("files-from"), help: ArgumentHelp(
            "Also scan the paths listed in this file, one per line ('-' reads standard input).", valueName: "file"))
        var filesFrom: String?

        @Option(help: ArgumentHelp("Write the JSON lines to this file instead of standard output.", valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("Also write the summary to this file, as JSON.", valueName: "file"))
        var summary: String?

        @Option(help: "Worker threads, each decoding one item at a time; the default is the number of cores.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Continue the scan in --output: items it already holds are not scanned again.")
        var resume = false

        @Option(help: ArgumentHelp(
            "Scan only share I of N (0 ≤ I < N), chosen by a hash of each file's or archive's path.", valueName: "I/N"))
        var shard: String?

        @Flag(help: "Exit with code 1 when any item failed.")
        var failOnError = false

        @Option(help: "Report a mark only when its false-positive probability (over all keys) is at most this.")
        var threshold: Double = ImageDetectOptions.defaultThreshold

        @Flag(help: "Audio: search replay speeds 0.67–1.5 instead of 0.8–1.25 (slower).")
        var wideSpeedSearch = false

        func validate() throws {
            guard !keys.isEmpty else { throw ValidationError("give at least one --key") }
            guard !paths.isEmpty || filesFrom != nil else { throw ValidationError("give paths to scan, or --files-from") }
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1...256") }
            guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
            if let shard {
                do { _ = try ScanShard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
            }
            if resume, output == nil { throw ValidationError("--resume needs --output (the file to continue)") }
            if let summary, let output, summary == output { throw ValidationError("--summary and --output must differ") }
        }

        func run() throws {
            try reportingFailures { try scan() }
        }

        private func scan() throws {
            let detectors = try loadKeys()
            let (writer, resumed) = try openOutput()
            let options = ScanOptions(jobs: jobs, threshold: threshold, shard: try shard.map { try ScanShard(parsing: $0) },
                                      audioSpeeds: wideSpeedSearch ? .wide : .standard)
            var sources = paths.map(ScanSource.path)
            if let filesFrom { sources.append(.pathList(filesFrom)) }

            let progressLine: ProgressLine? = isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
            var onProgress: (@Sendable (ScanProgress) -> Void)?
            if let progressLine { onProgress = { progressLine.show($0) } }
            let scanner = CorpusScanner(detectors: detectors, options: options)
            let summary = try scanner.run(sources, resume: resumed, progress: onProgress) { record in
                try writer.write(record)
            }
            writer.synchronize()
            progressLine?.clear()
            FileHandle.standardError.write(Data((summary.text + "\n").utf8))
            if let path = self.summary { try MediaFile.writeAtomically(summary.json(), toPath: path) }
            if failOnError && summary.errors > 0 { throw ExitCode(1) }
        }

        /// One detector set per key; the same key given twice is checked once.
        private func loadKeys() throws -> [KeyDetector] {
            var seen = Set<String>()
            return try keys.compactMap { path in
                let key: MarkKey
                do {
                    let bytes = try MediaFile.readBytes(atPath: path)
                    key = try MarkKey(fileText: String(decoding: bytes, as: UTF8.self))
                } catch {
                    throw FileFailure(path: path, cause: error)
                }
                return seen.insert(key.id).inserted ? KeyDetector(key: key) : nil
            }
        }

        /// The writer, and what an earlier run left in the output when resuming. Without
        /// `--resume`, an output that already holds lines is refused rather than replaced.
        private func openOutput() throws -> (JSONLinesWriter, ScanResume) {
            guard let output else { return (.standardOutput(), ScanResume()) }
            var resumed = ScanResume()
            if resume {
                resumed = try ScanResume.load(path: output)
                if resumed.truncatedBytes > 0 {
                    Diagnostics.report(CommandFailure(description: "\(output): cut a torn last line of \(resumed.truncatedBytes) bytes"))
                }
                if resumed.unreadableLines > 0 {
                    Diagnostics.report(CommandFailure(description: "\(output): \(resumed.unreadableLines) lines are not scan records; their items are scanned again"))
                }
            } else {
                var info = stat()
                if stat(output, &info) == 0, info.st_size > 0, (info.st_mode & S_IFMT) == S_IFREG {
                    throw CommandFailure(description: "\(output) already holds results: pass --resume to continue that scan, or remove it")
                }
            }
            return (try JSONLinesWriter(appendingTo: output), resumed)
        }
    }
}

/// The progress line on a terminal: rewritten in place, cleared at the end.
private struct ProgressLine: Sendable {
    func show(_ progress: ScanProgress) {
        var text = "scan: \(progress.items) items, \(String(format: "%.1f", progress.itemsPerSecond)) items/s, "
            + "\(progress.marked) marked, \(progress.errors) failed"
        if let eta = progress.etaSeconds {
            let seconds = Int(eta.rounded())
            text += String(format: ", ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
