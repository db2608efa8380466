import Foundation
import Media

/// The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
///
/// Per media: recovery rate per attack (bars), recovery vs strength (one curve per sweep), the
/// embedding quality of every file (PSNR and SSIM, or SNR) and the summary table; then a
/// file × attack matrix and a collapsible table per file.
public enum HTMLReport {
    public static func render(_ report: RobustnessReport) -> String {
        var html = head(report)
        html += "<body><main>"
        html += header(report)
        for kind in [MediaKind.image, .audio] where report.files.contains(where: { $0.media == kind }) {
            html += section(report, kind: kind)
        }
        html += perFile(report)
        html += footer(report)
        return html + "</main></body></html>\n"
    }

    // MARK: Header

    private static func head(_ report: RobustnessReport) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>tracemark robustness · \(escape(report.suite))</title>
        <style>\(style)</style></head>

        """
    }

    private static func header(_ report: RobustnessReport) -> String {
        let images = report.files.filter { $0.media == .image }.count
        let audio = report.files.filter { $0.media == .audio }.count
        let counts = [images > 0 ? "\(images) image\(images == 1 ? "" : "s")" : nil,
                      audio > 0 ? "\(audio) audio file\(audio == 1 ? "" : "s")" : nil].compactMap { $0 }
        let falseAlarms = report.summaries.reduce(0) { $0 + $1.falseAlarms }
        var html = "<header><h1>Robustness report</h1><p class=\"meta\">"
        html += [
            "suite <b>\(escape(report.suite))</b>", counts.joined(separator: ", "), "\(report.trials.count) trials",
            "seed \(report.seed)", "key \(escape(report.keyID))", "threshold \(SpecText.probability(report.threshold))",
            "\(duration(report.elapsedSeconds)) with \(report.jobs) job\(report.jobs == 1 ? "" : "s")",
        ].joined(separator: " · ")
        html += "</p><div class=\"cards\">"
        for kind in [MediaKind.image, .audio] {
            let table = report.summaries.filter { $0.media == kind && $0.inTable && !$0.stretch }
            guard !table.isEmpty else { continue }
            let perfect = table.filter { $0.recoveryRate == 1 }.count
            html += card("\(perfect) / \(table.count)", "\(kind.rawValue) target attacks fully recovered")
        }
        html += card("\(falseAlarms)", "false alarms (unmarked or wrong key)", bad: falseAlarms > 0)
        if let gate = report.gate {
            html += card(gate.passed ? "passed" : "failed", "gate", bad: !gate.passed, good: gate.passed)
        }
        html += "</div>"
        if let gate = report.gate, !gate.reasons.isEmpty {
            html += "<div class=\"reasons\"><b>Gate failed:</b><ul>"
            html += gate.reasons.map { "<li>\(escape($0))</li>" }.joined()
            html += "</ul></div>"
        }
        if !report.failures.isEmpty {
            html += "<div class=\"reasons\"><b>Inputs that failed:</b><ul>"
            html += report.failures.map { "<li>\(escape($0.file)): \(escape($0.error))</li>" }.joined()
            html += "</ul></div>"
        }
        return html + "</header>"
    }

    private static func card(_ value: String, _ caption: String, bad: Bool = false, good: Bool = false) -> String {
        "<div class=\"card\(bad ? " bad" : good ? " ok" : "")\"><div class=\"big\">\(escape(value))</div><div>\(escape(caption))</div></div>"
    }

    // MARK: Per media

    private static func section(_ report: RobustnessReport, kind: MediaKind) -> String {
        let summaries = report.summaries.filter { $0.media == kind }
        let title = kind == .image ? "Images" : "Audio"
        var html = "<section><h2>\(title)</h2>"
        html += "<h3>Recovery rate per attack</h3><p class=\"note\">Payload recovered exactly (all 64 bits) after the attack, "
            + "over every file and trial. Grey: stretch goals.</p>"
        let bars = summaries.filter(\.inTable).map { summary in
            SVGChart.Bar(label: summary.title + (summary.stretch ? " (stretch)" : ""), rate: summary.recoveryRate,
                         detail: "\(summary.recovered)/\(summary.trials)" + (summary.errors > 0 ? ", \(summary.errors) failed" : ""),
                         warning: summary.falseAlarms > 0 ? "\(summary.falseAlarms) false alarm\(summary.falseAlarms == 1 ? "" : "s")" : nil,
                         muted: summary.stretch, tooltip: "\(summary.spec): \(summary.recovered) of \(summary.trials) recovered")
        }
        html += "<div class=\"chart\">\(SVGChart.recoveryBars(bars))</div>"

        let sweeps = report.sweeps.filter { $0.media == kind }
        if !sweeps.isEmpty {
            html += "<h3>Recovery vs strength</h3><div class=\"grid\">"
            for sweep in sweeps {
                let points = sweep.points.map { point in
                    let summary = report.summary(sweep.entryID(point))
                    return (x: point.value, rate: summary?.recoveryRate,
                            tooltip: "\(point.spec): " + (summary.map { "\($0.recovered) of \($0.trials) recovered" } ?? "not run"))
                }
                html += "<div class=\"chart\">\(SVGChart.curve(title: sweep.name, axis: sweep.axis, points: points))</div>"
            }
            html += "</div>"
        }

        html += "<h3>Embedding quality</h3><div class=\"grid\">"
        let files = report.files.filter { $0.media == kind }
        let label = { (file: FileResult) in (file.file as NSString).lastPathComponent }
        if kind == .image {
            html += "<div class=\"chart\">" + SVGChart.dotPlot(title: "PSNR, marked vs original", unit: "dB",
                rows: files.map { (label($0), $0.quality.psnr ?? .nan) }, decimals: 1) + "</div>"
            html += "<div class=\"chart\">" + SVGChart.dotPlot(title: "SSIM (luma)", unit: "",
                rows: files.map { (label($0), $0.quality.ssim ?? .nan) }, decimals: 4) + "</div>"
        } else {
            html += "<div class=\"chart\">" + SVGChart.dotPlot(title: "SNR, marked vs original", unit: "dB",
                rows: files.map { (label($0), $0.quality.snr ?? .nan) }, decimals: 1) + "</div>"
        }
        html += "</div>"
        html += "<h3>Summary per attack</h3>" + summaryTable(summaries, kind: kind)
        return html + "</section>"
    }

    private static func summaryTable(_ summaries: [AttackSummary], kind: MediaKind) -> String {
        let quality = kind == .image ? "Mean PSNR / SSIM" : "Mean SNR"
        var html = "<div class=\"scroll\"><table><thead><tr><th>Attack</th><th class=\"n\">Recovered</th>"
            + "<th class=\"n\">Detected</th><th class=\"n\">False alarms<br><span>unmarked / wrong key</span></th>"
            + "<th class=\"n\">Wrong<br>payload</th><th class=\"n\">Errors</th><th class=\"n\">χ²/dof</th><th class=\"n\">Median<br>FPR</th>"
            + "<th class=\"n\">\(quality)</th><th class=\"n\">Attack<br>ms</th><th class=\"n\">Detect<br>ms</th></tr></thead><tbody>"
        for s in summaries {
            let rate = s.recoveryRate.map { "<span class=\"pill \(SVGChart.rateClass($0))\">\(percent($0))</span>" } ?? "–"
            let tag = s.stretch ? " <span class=\"tag\">stretch</span>" : s.inTable ? "" : " <span class=\"tag\">sweep</span>"
            let spec = s.label == nil ? "" : "<br><code>\(escape(s.spec))</code>"
            let quality = kind == .image
                ? "\(number(s.meanQuality.psnr, 1)) dB / \(number(s.meanQuality.ssim, 4))"
                : "\(number(s.meanQuality.snr, 1)) dB"
            html += "<tr><td>\(escape(s.title))\(tag)\(spec)</td>"
                + "<td class=\"n\">\(s.recovered)/\(s.trials) \(rate)</td><td class=\"n\">\(s.detected)</td>"
                + "<td class=\"n\(s.falseAlarms > 0 ? " badtext" : "")\">\(s.falseAlarms) <span>(\(s.unmarkedFalseAlarms) / \(s.wrongKeyFalseAlarms))</span></td>"
                + "<td class=\"n\(s.wrongPayloads > 0 ? " badtext" : "")\">\(s.wrongPayloads)</td>"
                + "<td class=\"n\(s.errors > 0 ? " badtext" : "")\">\(s.errors)</td>"
                + "<td class=\"n\">\(number(s.meanChiSquarePerDegree, 2))</td>"
                + "<td class=\"n\">\(SpecText.probability(s.medianFalsePositiveProbability))</td>"
                + "<td class=\"n\">\(quality)</td><td class=\"n\">\(number(s.meanAttackMs, 0))</td>"
                + "<td class=\"n\">\(number(s.meanDetectMs, 0))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    // MARK: Per file

    private static func perFile(_ report: RobustnessReport) -> String {
        guard !report.files.isEmpty else { return "" }
        var html = "<section><h2>Per file</h2><p class=\"note\">✓ payload recovered · ✗ not recovered · "
            + "<b class=\"badtext\">!</b> false alarm or wrong payload · – attack failed. Several trials: recovered/trials. "
            + "Open a file for every attack and trial.</p>"
        let byFile = Dictionary(grouping: report.trials, by: \.file)
        for kind in [MediaKind.image, .audio] {
            let files = report.files.filter { $0.media == kind }
            let attacks = report.attacks.filter { $0.media == kind && $0.inTable }
            guard !files.isEmpty else { continue }
            html += "<h3>\(kind == .image ? "Images" : "Audio")</h3><div class=\"scroll fit\"><table class=\"matrix\"><thead><tr><th class=\"bottom\">File</th>"
            html += attacks.map { "<th class=\"rot\"><div title=\"\(escape($0.spec))\">\(escape($0.title))</div></th>" }.joined()
            html += "</tr></thead><tbody>"
            for file in files {
                let trials = byFile[file.file] ?? []
                html += "<tr><td class=\"file\">\(escape((file.file as NSString).lastPathComponent))</td>"
                for attack in attacks {
                    html += matrixCell(trials.filter { $0.attack == attack.id })
                }
                html += "</tr>"
            }
            html += "</tbody></table></div>"
            for file in files { html += fileDetails(file, trials: byFile[file.file] ?? [], attacks: report.attacks) }
        }
        return html + "</section>"
    }

    private static func matrixCell(_ trials: [TrialResult]) -> String {
        guard !trials.isEmpty else { return "<td></td>" }
        let ran = trials.filter { $0.error == nil }
        let recovered = ran.filter(\.recovered).count
        let alarm = ran.contains { $0.falseAlarms > 0 || $0.wrongPayload }
        let tip = trials.map { t in
            t.error.map { "trial \(t.trial): \($0)" } ?? "trial \(t.trial): FPR \(SpecText.probability(t.marked?.falsePositiveProbability))"
        }.joined(separator: "; ")
        let (mark, cls): (String, String)
        if ran.isEmpty {
            (mark, cls) = ("–", "err")
        } else if trials.count == 1 {
            (mark, cls) = (recovered == 1 ? "✓" : "✗", recovered == 1 ? "good" : "poor")
        } else {
            (mark, cls) = ("\(recovered)/\(ran.count)", recovered == ran.count ? "good" : recovered == 0 ? "poor" : "fair")
        }
        return "<td class=\"cell \(cls)\" title=\"\(escape(tip))\">\(mark)\(alarm ? "<b class=\"badtext\">!</b>" : "")</td>"
    }

    private static func fileDetails(_ file: FileResult, trials: [TrialResult], attacks: [AttackInfo]) -> String {
        let titles = Dictionary(attacks.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let quality = file.media == .image
            ? "PSNR \(number(file.quality.psnr, 1)) dB, SSIM \(number(file.quality.ssim, 4))"
            : "SNR \(number(file.quality.snr, 1)) dB"
        let recovered = trials.filter(\.recovered).count
        var html = "<details><summary><b>\(escape((file.file as NSString).lastPathComponent))</b> · \(escape(file.size)) · "
            + "payload <code>\(file.payload)</code> · \(quality) · embed \(number(file.embedMs, 0)) ms · "
            + "\(recovered)/\(trials.count) recovered</summary>"
        html += "<div class=\"scroll\"><table><thead><tr><th>Attack</th><th class=\"n\">Trial</th><th>Attacked</th><th>Recovered</th>"
            + "<th class=\"n\">FPR</th><th class=\"n\">χ²/dof</th><th class=\"n\">Unmarked FPR</th><th class=\"n\">Wrong-key FPR</th>"
            + "<th class=\"n\">Attack ms</th><th class=\"n\">Detect ms</th></tr></thead><tbody>"
        for t in trials {
            let title = escape(titles[t.attack] ?? t.attack)
            guard t.error == nil, let marked = t.marked else {
                html += "<tr><td>\(title)</td><td class=\"n\">\(t.trial)</td><td colspan=\"8\" class=\"badtext\">\(escape(t.error ?? "no result"))</td></tr>"
                continue
            }
            let verdict = t.recovered ? "<span class=\"pill good\">yes</span>"
                : t.wrongPayload ? "<span class=\"pill poor\">wrong payload</span>"
                : marked.detected ? "<span class=\"pill fair\">detected, no payload</span>" : "<span class=\"pill poor\">no</span>"
            let alarm = { (d: DetectionOutcome?) in
                "<td class=\"n\(d?.detected == true ? " badtext" : "")\">\(SpecText.probability(d?.falsePositiveProbability))</td>"
            }
            html += "<tr><td>\(title)</td><td class=\"n\">\(t.trial)</td><td>\(escape(t.attackedSize ?? ""))</td><td>\(verdict)</td>"
                + "<td class=\"n\">\(SpecText.probability(marked.falsePositiveProbability))</td>"
                + "<td class=\"n\">\(number(marked.chiSquare / Double(max(marked.degreesOfFreedom, 1)), 2))</td>"
                + alarm(t.unmarked) + alarm(t.wrongKey)
                + "<td class=\"n\">\(number(t.attackMs, 0))</td><td class=\"n\">\(number(t.detectMs, 0))</td></tr>"
        }
        return html + "</tbody></table></div></details>"
    }

    private static func footer(_ report: RobustnessReport) -> String {
        var html = "<footer><p>Recovered: detected with exactly the embedded payload. False alarm: a detection on the unmarked "
            + "original after the same attack (same seed), or on the marked copy under a wrong key (id \(escape(report.wrongKeyID))). "
            + "FPR: the detector's stated false-positive probability. χ²/dof: the payload chips' χ² per degree of freedom, "
            + "about 1 without a mark. \(escape(report.bitErrorsNote.prefix(1).uppercased() + report.bitErrorsNote.dropFirst())).</p>"
        if !report.skipped.isEmpty {
            html += "<p>Skipped: " + report.skipped.map { "\(escape(($0.file as NSString).lastPathComponent)) (\(escape($0.reason)))" }
                .joined(separator: ", ") + ".</p>"
        }
        return html + "</footer>"
    }

    // MARK: Formatting

    private static func number(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "–" }
        if value.isInfinite { return "∞" }
        return String(format: "%.\(decimals)f", value)
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }

    private static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2329;background:#f4f5f7;margin:0}
        main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
        h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:34px 0 6px;padding-bottom:4px;border-bottom:2px solid #d5d9de}
        h3{font-size:16px;margin:22px 0 6px}
        .meta{color:#56606b;margin:0 0 14px}.note{color:#56606b;margin:0 0 8px;font-size:13px}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
        .card{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:10px 16px;min-width:150px;color:#56606b;font-size:13px}
        .card .big{font-size:24px;font-weight:600;color:#1d2329}.card.bad .big{color:#c62828}.card.ok .big{color:#2e7d32}
        .reasons{background:#fdecea;border:1px solid #f5c2c0;border-radius:8px;padding:8px 14px;margin:10px 0}
        .reasons ul{margin:4px 0 0;padding-left:20px}
        .chart{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:10px;overflow-x:auto}
        .grid{display:flex;flex-wrap:wrap;gap:14px}
        svg{display:block;font:12px system-ui,-apple-system,"DejaVu Sans",sans-serif}
        svg .label{fill:#1d2329;font-size:13px}svg .small{font-size:12px}svg .value{fill:#38424c;font-size:12.5px}
        svg .tick{fill:#6b7580;font-size:11px}svg .axislabel{fill:#56606b;font-size:12px}
        svg .title{fill:#1d2329;font-size:14px;font-weight:600}svg .warn{fill:#c62828;font-weight:600;font-size:12.5px}
        svg .grid{stroke:#e3e6ea}svg .axis{stroke:#9aa3ad}svg .rowline{stroke:#f0f1f3}
        svg .mean{stroke:#7a8591;stroke-dasharray:4 3}svg .curve{fill:none;stroke:#4a5a6a;stroke-width:2}
        svg .dot{fill:#1f6fb2}svg rect.good,svg circle.good{fill:#2e9d4a}svg rect.fair,svg circle.fair{fill:#e0a21b}
        svg rect.poor,svg circle.poor{fill:#d64541}svg .muted{opacity:.55}svg text.muted{font-style:italic}
        table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}
        th,td{border-bottom:1px solid #e3e6ea;padding:5px 8px;text-align:left;vertical-align:middle;white-space:nowrap}
        th{background:#eef0f3;font-weight:600}th span,td span{color:#6b7580;font-weight:normal;font-size:12px}
        td.n,th.n{text-align:right}code{font:12px ui-monospace,"DejaVu Sans Mono",monospace;color:#38424c}
        .scroll{overflow-x:auto;border:1px solid #d5d9de;border-radius:8px}.scroll.fit{display:inline-block;max-width:100%}
        th.bottom{vertical-align:bottom}
        .pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;font-weight:600}
        .pill.good{background:#2e9d4a}.pill.fair{background:#d08f0a}.pill.poor{background:#d64541}
        .tag{display:inline-block;border:1px solid #b9c0c8;border-radius:8px;padding:0 6px;font-size:11px;color:#56606b}
        .badtext{color:#c62828;font-weight:600}
        table.matrix{width:auto}table.matrix td.cell{text-align:center;min-width:20px;padding:4px 5px;font-weight:600}
        table.matrix td.good{background:#e3f4e7;color:#1e6b33}table.matrix td.fair{background:#fdf1d6;color:#8a5d00}
        table.matrix td.poor{background:#fbe1e0;color:#a12622}table.matrix td.err{background:#eceef1;color:#6b7580}
        table.matrix td.file{font-size:12.5px}
        th.rot{height:150px;vertical-align:bottom;padding:4px 3px}
        th.rot div{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500;font-size:12px;margin:0 auto}
        details{background:#fff;border:1px solid #d5d9de;border-radius:8px;margin:8px 0;padding:6px 10px}
        details summary{cursor:pointer}details .scroll{margin-top:8px}
        footer{margin-top:36px;color:#56606b;font-size:12.5px}
        """
}
