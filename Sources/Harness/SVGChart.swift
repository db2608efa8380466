import Foundation

/// The report's charts as inline SVG: no script, no fonts or images fetched, so the HTML file is
/// complete on its own and prints as it shows.
enum SVGChart {
    /// One horizontal bar.
    struct Bar {
        var label: String
        /// 0...1, or `nil` for "not run".
        var rate: Double?
        /// Text right of the bar (`18/24`).
        var detail: String
        /// Drawn in a warning colour after the detail (`2 false alarms`).
        var warning: String?
        var muted: Bool
        var tooltip: String
    }

    /// Recovery rate per attack: a labelled horizontal bar per attack, coloured by rate.
    static func recoveryBars(_ bars: [Bar], width: Int = 980) -> String {
        let labelWidth = 270, rowHeight = 24, top = 26, plotWidth = width - labelWidth - 240
        let height = top + rowHeight * bars.count + 8
        var svg = open(width: width, height: height, title: "Recovery rate per attack")
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = labelWidth + plotWidth * tick / 100
            svg += line(x, top - 4, x, height - 8, cls: tick == 0 ? "axis" : "grid")
            svg += text("\(tick)%", x: x, y: top - 10, anchor: "middle", cls: "tick")
        }
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let muted = bar.muted ? " muted" : ""
            svg += "<g><title>\(escape(bar.tooltip))</title>"
            svg += text(ellipsis(bar.label, 40), x: labelWidth - 8, y: y + 16, anchor: "end", cls: "label\(muted)")
            if let rate = bar.rate {
                let w = max(Double(plotWidth) * rate, rate > 0 ? 2 : 0)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(fmt(w))\" height=\"\(rowHeight - 8)\" class=\"\(rateClass(rate))\(muted)\"/>"
                svg += text("\(percent(rate))  \(bar.detail)", x: labelWidth + plotWidth + 8, y: y + 16, anchor: "start", cls: "value")
            } else {
                svg += text("not run  \(bar.detail)", x: labelWidth + plotWidth + 8, y: y + 16, anchor: "start", cls: "value muted")
            }
            if let warning = bar.warning {
                svg += text("⚠ \(warning)", x: width - 4, y: y + 16, anchor: "end", cls: "warn")
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    /// Recovery rate against an attack's strength: one line with a dot per point.
    static func curve(title: String, axis: String, points: [(x: Double, rate: Double?, tooltip: String)],
                      width: Int = 560, height: Int = 260) -> String {
        let left = 48, right = 16, top = 30, bottom = 44
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let xs = points.map(\.x)
        var low = xs.min() ?? 0, high = xs.max() ?? 1
        if high - low < 1e-9 { low -= 1; high += 1 }
        let px = { (x: Double) in Double(left) + (x - low) / (high - low) * Double(plotWidth) }
        let py = { (rate: Double) in Double(top) + (1 - rate) * Double(plotHeight) }
        var svg = open(width: width, height: height, title: title)
        svg += text(title, x: left, y: 18, anchor: "start", cls: "title")
        for tick in stride(from: 0, through: 100, by: 25) {
            let y = Int(py(Double(tick) / 100))
            svg += line(left, y, left + plotWidth, y, cls: tick == 0 ? "axis" : "grid")
            svg += text("\(tick)%", x: left - 6, y: y + 4, anchor: "end", cls: "tick")
        }
        var lastTick = -1e9
        for x in xs.sorted() where px(x) - lastTick >= 26 {
            lastTick = px(x)
            svg += line(Int(px(x)), top + plotHeight, Int(px(x)), top + plotHeight + 4, cls: "axis")
            svg += text(SpecText.number(x), x: Int(px(x)), y: top + plotHeight + 16, anchor: "middle", cls: "tick")
        }
        svg += text(axis, x: left + plotWidth / 2, y: height - 6, anchor: "middle", cls: "axislabel")
        let drawn = points.filter { $0.rate != nil }.sorted { $0.x < $1.x }
        if drawn.count > 1 {
            let path = drawn.map { "\(fmt(px($0.x))),\(fmt(py($0.rate!)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" class=\"curve\"/>"
        }
        for point in drawn {
            svg += "<circle cx=\"\(fmt(px(point.x)))\" cy=\"\(fmt(py(point.rate!)))\" r=\"4\" class=\"\(rateClass(point.rate!))\">"
            svg += "<title>\(escape(point.tooltip))</title></circle>"
        }
        return svg + "</svg>"
    }

    /// One value per file as a dot on a shared axis, with the mean as a dashed line: the spread of
    /// a quality measure over the corpus.
    static func dotPlot(title: String, unit: String, rows: [(label: String, value: Double)], decimals: Int,
                        width: Int = 560) -> String {
        let labelWidth = 290, rowHeight = 18, top = 46, right = 56
        let height = top + rowHeight * rows.count + 26
        let plotWidth = width - labelWidth - right
        let finite = rows.map(\.value).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        let pad = max((high - low) * 0.08, decimals >= 3 ? 0.001 : 0.5)
        low -= pad
        high += pad
        let px = { (v: Double) in Double(labelWidth) + (min(max(v, low), high) - low) / (high - low) * Double(plotWidth) }
        var svg = open(width: width, height: height, title: title)
        svg += text(title, x: labelWidth, y: 16, anchor: "start", cls: "title")
        let bottom = top + rowHeight * rows.count
        for tick in niceTicks(low, high, count: 4) {
            svg += line(Int(px(tick)), top - 6, Int(px(tick)), bottom, cls: "grid")
            svg += text(String(format: "%.\(decimals >= 3 ? 3 : 0)f", tick), x: Int(px(tick)), y: bottom + 14, anchor: "middle", cls: "tick")
        }
        svg += text(unit, x: labelWidth + plotWidth + 16, y: bottom + 14, anchor: "start", cls: "axislabel")
        if let mean = mean(rows.map(\.value)) {
            svg += "<line x1=\"\(fmt(px(mean)))\" y1=\"\(top - 8)\" x2=\"\(fmt(px(mean)))\" y2=\"\(bottom)\" class=\"mean\"/>"
            svg += text("mean \(String(format: "%.\(decimals)f", mean))", x: Int(px(mean)), y: top - 11, anchor: "middle", cls: "tick")
        }
        for (index, row) in rows.enumerated() {
            let y = top + index * rowHeight + rowHeight / 2
            let value = row.value.isFinite ? String(format: "%.\(decimals)f", row.value) : "∞"
            svg += "<g><title>\(escape(row.label)): \(value) \(escape(unit))</title>"
            svg += line(labelWidth, y, labelWidth + plotWidth, y, cls: "rowline")
            svg += text(ellipsis(row.label, 36), x: labelWidth - 8, y: y + 4, anchor: "end", cls: "label small")
            svg += "<circle cx=\"\(fmt(px(row.value.isFinite ? row.value : high)))\" cy=\"\(y)\" r=\"4.5\" class=\"dot\"/>"
            svg += text(value, x: labelWidth + plotWidth + 8, y: y + 4, anchor: "start", cls: "value small")
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    // MARK: Pieces

    static func rateClass(_ rate: Double) -> String {
        rate >= 0.95 ? "good" : rate >= 0.5 ? "fair" : "poor"
    }

    private static func open(width: Int, height: Int, title: String) -> String {
        // No xmlns: inline SVG in HTML needs none, and the file must name no URL at all.
        "<svg viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
            + "role=\"img\" aria-label=\"\(escape(title))\">"
    }

    private static func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, cls: String) -> String {
        "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" class=\"\(cls)\"/>"
    }

    private static func text(_ content: String, x: Int, y: Int, anchor: String, cls: String) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" class=\"\(cls)\">\(escape(content))</text>"
    }

    private static func ellipsis(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    /// About `count` round tick values between `low` and `high`.
    static func niceTicks(_ low: Double, _ high: Double, count: Int) -> [Double] {
        let raw = (high - low) / Double(count)
        guard raw > 0, raw.isFinite else { return [] }
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var tick = ceil(low / step) * step
        while tick <= high + step * 1e-9 {
            ticks.append(tick)
            tick += step
        }
        return ticks
    }
}

/// HTML escaping for text and attribute values.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(character)
        }
    }
    return out
}

/// Numbers as people read them in the report.
enum SpecText {
    /// `75`, `0.25`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%g", value)
    }

    /// A probability: `1.2e-45`, `< 1e-300` for an underflow to zero.
    static func probability(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value == 0 { return "< 1e-300" }
        if value >= 0.01 { return String(format: "%.2f", value) }
        return String(format: "%.1e", value)
    }
}
