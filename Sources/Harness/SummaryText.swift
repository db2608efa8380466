import Foundation
import Media

/// The report as a table for a terminal: one line per attack, then the gate's verdict.
public enum SummaryText {
    public static func render(_ report: RobustnessReport) -> String {
        var lines: [String] = []
        for kind in [MediaKind.image, .audio] {
            let summaries = report.summaries.filter { $0.media == kind }
            guard !summaries.isEmpty else { continue }
            let files = report.files.filter { $0.media == kind }.count
            let quality = kind == .image ? "PSNR dB  SSIM" : "SNR dB"
            lines.append("\(kind == .image ? "Images" : "Audio") (\(files) file\(files == 1 ? "" : "s"), suite \(report.suite))")
            let rows = summaries.map { s -> [String] in
                let q = kind == .image
                    ? "\(fixed(s.meanQuality.psnr, 1))  \(fixed(s.meanQuality.ssim, 4))"
                    : fixed(s.meanQuality.snr, 1)
                let tag = s.stretch ? " (stretch)" : s.inTable ? "" : " (sweep)"
                return [s.title + tag, "\(s.recovered)/\(s.trials)", s.recoveryRate.map(percent) ?? "–",
                        "\(s.falseAlarms)", "\(s.wrongPayloads)", "\(s.errors)", fixed(s.meanChiSquarePerDegree, 1), q]
            }
            lines += table(header: ["attack", "recovered", "rate", "false alarms", "wrong payload", "errors", "χ²/dof", quality],
                           rows: rows, rightAligned: [1, 2, 3, 4, 5, 6, 7])
            lines.append("")
        }
        for skipped in report.skipped where !skipped.reason.hasPrefix("not an image") {
            lines.append("skipped \(skipped.file): \(skipped.reason)")
        }
        for failure in report.failures { lines.append("failed \(failure.file): \(failure.error)") }
        lines.append("\(report.trials.count) trials in \(String(format: "%.1f", report.elapsedSeconds)) s (\(report.jobs) job\(report.jobs == 1 ? "" : "s"))")
        if let gate = report.gate {
            lines.append(gate.passed ? "gate: passed" : "gate: FAILED")
            lines += gate.reasons.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "–" }
        return value.isFinite ? String(format: "%.\(decimals)f", value) : "inf"
    }

    /// Columns padded to their widest cell (by characters, so `χ²` and `×` count once).
    private static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return rightAligned.contains(column) ? padding + row[column] : row[column] + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
