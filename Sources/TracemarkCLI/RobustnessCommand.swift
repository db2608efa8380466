import ArgumentParser
import Attacks
import Dispatch
import Foundation
import Harness
import Synchronization
import Tracemark

extension TracemarkCommand {
    /// `tracemark robustness INPUT... --key K [--suite quick|standard|FILE.json] [--seed N]
    /// [--json R.json] [--html R.html] [--gate GATE.json] [--jobs N]`.
    struct Robustness: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark files, attack them (JPEG, resize, crop, MP3, excerpts …) and measure what the mark survives.",
            discussion: """
                For every input (folders are walked; files are recognised by content, others \
                skipped): embed a random payload (seeded from the file name and --seed) and measure \
                the quality (PSNR/SSIM, or SNR); then for every attack of the suite, attack the \
                marked copy, detect, and record whether the payload came back exactly, the stated \
                false-positive probability and the timings. The unmarked original goes through the \
                same attack and must stay silent, and so must the marked copy under a wrong key: \
                any detection there is a false alarm.

                Suites: quick (a few attacks, seconds on Samples/), standard (every target attack \
                of the image and audio marks plus strength sweeps; minutes on a corpus), or a JSON \
                file: {"attacks": ["jpeg:75", {"spec": "excerpt:15", "trials": 3}], "sweeps": \
                [{"name": "JPEG quality", "axis": "quality", "points": ["jpeg:90", "jpeg:50"]}]}.

                A gate file names per attack the minimum recovery rate and the maximum false \
                alarms: {"attacks": [{"attack": "jpeg:75", "media": "image", "min_recovery": 0.9}]}; \
                attacks it does not name must raise no false alarm.

                Results do not depend on --jobs. A summary table goes to standard output, progress to \
                standard error when it is a terminal. Exit code 0 when the gate holds (or none is \
                given), 1 when it does not, 2 on an error (a key, suite, gate or input that fails).

                ATTACKS (spec, media, parameter and unit; then what it does):
                \(Attacks.Attack.parameterHelpText)
                """
        )

        @Argument(help: "Images, audio files and folders to test.")
        var inputs: [String]

        @OptionGroup var keyOption: KeyOption

        @Option(help: ArgumentHelp("quick, standard, or a suite file (JSON).", valueName: "suite"))
        var suite = "standard"

        @Option(help: "Seed for the payloads, the attacks' randomness and the wrong key.")
        var seed: UInt64 = 0

        @Option(help: ArgumentHelp("Write the full report as JSON.", valueName: "file"))
        var json: String?

        @Option(help: ArgumentHelp("Write the report as one self-contained HTML page.", valueName: "file"))
        var html: String?

        @Option(help: ArgumentHelp("Check the results against a gate file (JSON); exit 1 when it fails.", valueName: "file"))
        var gate: String?

        @Option(help: "Trials run at once; the default is the number of cores.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1...256") }
            if let json, let html, json == html { throw ValidationError("--json and --html must differ") }
        }

        func run() throws {
            var exitCode: Int32 = 0
            try reportingFailures {
                let key = try keyOption.load()
                let suite = try Suite.named(self.suite)
                let gate = try gate.map { path in try Gate(json: try MediaFile.readBytes(atPath: path), name: path) }
                let files = try InputFiles.collect(inputs)
                let runner = RobustnessRunner(key: key, suite: suite, options: RobustnessOptions(seed: seed, jobs: jobs))
                var report = Self.runBlocking(runner, files: files, showProgress: isatty(STDERR_FILENO) == 1)
                report.gate = gate?.evaluate(report)
                if let json { try write(report.encoded(), to: json) }
                if let html { try write(Array(HTMLReport.render(report).utf8), to: html) }
                print(SummaryText.render(report))
                for failure in report.failures {
                    Diagnostics.report(CommandFailure(description: "\(failure.file): \(failure.error)"))
                }
                exitCode = !report.failures.isEmpty ? 2 : report.gate?.passed == false ? 1 : 0
            }
            if exitCode != 0 { throw ExitCode(exitCode) }
        }

        private func write(_ bytes: [UInt8], to path: String) throws {
            do {
                try MediaFile.writeAtomically(bytes, toPath: path)
            } catch {
                throw FileFailure(path: path, cause: error)
            }
        }

        /// The async run, waited for on this (non-async) command's thread.
        static func runBlocking(_ runner: RobustnessRunner, files: [InputFile], showProgress: Bool) -> RobustnessReport {
            final class Outcome: Sendable { let report = Mutex<RobustnessReport?>(nil) }
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                let report = await runner.run(files, progress: showProgress ? Self.showProgress : nil)
                outcome.report.withLock { $0 = report }
                done.signal()
            }
            done.wait()
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            return outcome.report.withLock { $0! }  // set by the task before it signalled
        }

        @Sendable private static func showProgress(_ progress: RobustnessProgress) {
            let name = (progress.file as NSString).lastPathComponent
            let line = "\r\u{1B}[K[\(progress.completed)/\(progress.total)] \(name)"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
