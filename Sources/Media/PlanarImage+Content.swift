/// A rectangle of whole pixels inside an image.
public struct PixelRect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

extension PlanarImage {
    /// The rectangle at `(x, y)` of `width × height` pixels, which must lie inside the image.
    /// - Complexity: O(width · height · planes), one row copy at a time.
    public func cropped(to rect: PixelRect) -> PlanarImage {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.width > 0 && rect.height > 0
                     && rect.x + rect.width <= width && rect.y + rect.height <= height, "crop outside the image")
        if rect.width == width && rect.height == height { return self }
        let planes = planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                [Float](unsafeUninitializedCapacity: rect.width * rect.height) { output, initialized in
                    for row in 0..<rect.height {
                        let from = input.baseAddress! + (rect.y + row) * width + rect.x
                        (output.baseAddress! + row * rect.width).update(from: from, count: rect.width)
                    }
                    initialized = rect.width * rect.height
                }
            }
        }
        return PlanarImage(width: rect.width, height: rect.height, colorModel: colorModel, planes: planes, metadata: metadata)
    }

    /// The rectangle of the picture inside the uniform border a letterbox, pillarbox or square "border" resize adds
    /// (img2dataset's default resize pads to a square): from each side, edge rows (columns) are
    /// stripped while everything stripped on that side so far is one colour — each colour plane
    /// within `tolerance` over all of it. A detector that scales the image by its short side must
    /// scale the picture, not the canvas: a 16:9 photo padded to a square otherwise loses 44 % of
    /// its resolution to padding. Requiring one colour per side, not merely flat rows, keeps a
    /// smooth gradient (a sky, a wallpaper) from being taken for padding.
    ///
    /// Alpha is ignored. An image that is uniform everywhere is returned whole.
    /// - Parameter tolerance: the largest range (max − min) of a padding band, on the 0…1 scale;
    ///   JPEG leaves a flat border within a level or two, and ringing next to the picture keeps
    ///   those few rows as picture, which costs nothing.
    /// - Complexity: O(pixels in the stripped border + one row or column of the picture per side).
    public func contentBounds(tolerance: Float = 2.5 / 255) -> PixelRect {
        let colorPlanes = Array(planes.prefix(colorModel.colorChannelCount))
        let whole = PixelRect(x: 0, y: 0, width: width, height: height)

        /// Strips lines from one side while the band stays one colour; returns how many.
        /// `sample(line, k, plane)` reads the k-th sample of a line (rows or columns), `limit` is
        /// the number of lines available on that side and `length` the samples per line.
        func strip(limit: Int, length: Int, _ sample: (_ line: Int, _ k: Int, _ plane: [Float]) -> Float) -> Int {
            var low = [Float](repeating: .infinity, count: colorPlanes.count)
            var high = [Float](repeating: -.infinity, count: colorPlanes.count)
            var stripped = 0
            while stripped < limit {
                for (p, plane) in colorPlanes.enumerated() {
                    var l = low[p], h = high[p]
                    for k in 0..<length {
                        let v = sample(stripped, k, plane)
                        l = min(l, v); h = max(h, v)
                    }
                    guard h - l <= tolerance else { return stripped }
                    low[p] = l; high[p] = h
                }
                stripped += 1
            }
            return stripped
        }
        let w = width
        let top = strip(limit: height, length: width) { line, k, plane in plane[line * w + k] }
        guard top < height else { return whole }
        let bottom = height - strip(limit: height - top, length: width) { line, k, plane in plane[(height - 1 - line) * w + k] }
        // Empty when the rows below `top` are one colour too (an image of two flat bands): whole.
        let left = strip(limit: width, length: bottom - top) { line, k, plane in plane[(top + k) * w + line] }
        guard left < width else { return whole }
        let right = width - strip(limit: width - left, length: bottom - top) { line, k, plane in plane[(top + k) * w + width - 1 - line] }
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The picture inside the border a padded copy has: a uniform border (``contentBounds(tolerance:)``)
    /// or, failing that, a featureless fill on two opposite sides (``fillBounds()``).
    /// - Complexity: O(pixels).
    public func pictureBounds() -> PixelRect {
        let whole = PixelRect(x: 0, y: 0, width: width, height: height)
        let content = contentBounds()
        return content != whole ? content : fillBounds() ?? whole
    }

    /// The picture between two bands of featureless fill on opposite sides — top and bottom, or
    /// left and right — of about the same thickness: a picture centred on a blurred, enlarged copy
    /// of itself, as social media pad a photo to a square or a 9:16 frame. A line (row or column)
    /// is fill when its mean absolute second difference along it is under a fifth of the 80th
    /// percentile line's: the blur leaves gradients but no curvature (0.4–0.8 levels a pixel on
    /// four blur-filled corpus photos at 270 px, 5–23 in their pictures). Both bands must span at
    /// least ``fillMinimumBand`` of the side and differ by at most a third (the blur of a flat part
    /// of the picture reaches into the fill), and the picture between them must hold detail: one
    /// smooth band (a sky), or a smooth image, is not fill. When the curvature along the lines
    /// finds no fill, the smaller of along and across them is tried: an edge replicated outwards
    /// (`edge` padding) keeps the edge line's detail along it but is constant across.
    /// - Returns: `nil` when there is no such fill.
    /// - Complexity: O(pixels).
    public func fillBounds() -> PixelRect? {
        let colorPlanes = Array(planes.prefix(colorModel.colorChannelCount))
        guard width >= 16, height >= 16, !colorPlanes.isEmpty else { return nil }
        // Judged at about the detector's working size, whatever the decoded size: JPEG's noise in
        // the fill and the picture's detail compare differently at full resolution. Blocks of
        // k × k pixels, averaged over the colour planes.
        let k = max(1, min(width, height) / Self.fillAnalysisShortSide)
        let w = width / k, h = height / k
        guard w >= 16, h >= 16 else { return nil }
        var small = [Float](repeating: 0, count: w * h)
        small.withUnsafeMutableBufferPointer { small in
            let scale = 1 / Float(k * k * colorPlanes.count)
            let blockColumn = (0..<(w * k)).map { $0 / k }
            for plane in colorPlanes {
                plane.withUnsafeBufferPointer { p in
                    for y in 0..<(h * k) {
                        let row = p.baseAddress! + y * width, target = small.baseAddress! + (y / k) * w
                        if k == 1 {
                            for x in 0..<w { target[x] += row[x] * scale }
                        } else {
                            for x in 0..<(w * k) { target[blockColumn[x]] += row[x] * scale }
                        }
                    }
                }
            }
        }
        let curvatures = small.withUnsafeBufferPointer { small -> FillCurvatures? in
            // Most images have detail in their outermost lines: the full passes are skipped when
            // no end can be fill.
            guard FillCurvatures.endsMayBeFill(small, width: w, height: h, fraction: Self.fillCurvatureFraction,
                                               quantile: Self.fillReferenceQuantile) else { return nil }
            return FillCurvatures(small, width: w, height: h)
        }
        guard let curvatures else { return nil }
        /// The fill's thickness at each end of `lines`, when both ends are fill of about equal
        /// thickness around a picture with detail.
        func bands(_ lines: [Float]) -> (Int, Int)? {
            // The reference is a line of the picture: the fill may take most of the lines (a
            // 16:9 photo in a 9:16 frame leaves it a third).
            let reference = lines.sorted()[Int(Self.fillReferenceQuantile * Double(lines.count))]
            let threshold = reference * Self.fillCurvatureFraction
            guard reference > 0 else { return nil }
            let first = lines.firstIndex { $0 >= threshold } ?? lines.count
            let last = lines.count - 1 - (lines.lastIndex { $0 >= threshold } ?? -1)
            let minimum = Int((Self.fillMinimumBand * Double(lines.count)).rounded(.up))
            guard first >= minimum, last >= minimum, lines.count - first - last >= 16,
                  abs(first - last) <= max(first, last) / 3 + 2 else { return nil }
            return (first, last)
        }
        // Bands in blocks, back in pixels; the picture keeps any remainder the blocks left out.
        var rect = PixelRect(x: 0, y: 0, width: width, height: height)
        // A blurred fill is found by the curvature along the lines; an edge replicated outwards,
        // which keeps the edge line's detail along it, by the smaller of the two (tried second, so
        // that it never moves a blurred fill's bands: a dark picture's rows are smooth across too).
        if let (top, bottom) = bands(curvatures.rows) ?? bands(curvatures.rowsEither) {
            rect.y = top * k
            rect.height = height - (top + bottom) * k
        }
        if let (left, right) = bands(curvatures.columns) ?? bands(curvatures.columnsEither) {
            rect.x = left * k
            rect.width = width - (left + right) * k
        }
        return rect == PixelRect(x: 0, y: 0, width: width, height: height) ? nil : rect
    }

    /// The fill is judged on blocks that bring the short side to about this many pixels.
    public static let fillAnalysisShortSide = 270
    /// A fill band is at least this fraction of the side it pads.
    public static let fillMinimumBand = 0.05
    /// A line is fill when its curvature is under this fraction of the reference line's, the
    /// line at this quantile of all lines' curvatures.
    public static let fillCurvatureFraction: Float = 0.2
    public static let fillReferenceQuantile = 0.8
}

/// Per row and per column of a small gray image, the mean |x[i−1] − 2x[i] + x[i+1]| along the line
/// and the smaller of that and the same across it (see ``PlanarImage/fillBounds()``): a blur is
/// smooth both ways, an edge replicated outwards (`edge` padding) is constant across only.
private struct FillCurvatures {
    var rows: [Float], columns: [Float], rowsEither: [Float], columnsEither: [Float]

    init(_ small: UnsafeBufferPointer<Float>, width w: Int, height h: Int) {
        var rows = [Float](repeating: 0, count: h), columns = [Float](repeating: 0, count: w)
        var rowsAcross = [Float](repeating: 0, count: h), columnsAcross = [Float](repeating: 0, count: w)
        let base = small.baseAddress!
        rows.withUnsafeMutableBufferPointer { rows in
            columnsAcross.withUnsafeMutableBufferPointer { columnsAcross in
                for y in 0..<h {
                    let line = base + y * w
                    var sum: Float = 0
                    for x in 1..<(w - 1) {
                        let c = abs(line[x - 1] - 2 * line[x] + line[x + 1])
                        sum += c
                        columnsAcross[x] += c
                    }
                    rows[y] = sum / Float(w - 2)
                }
            }
        }
        columns.withUnsafeMutableBufferPointer { columns in
            rowsAcross.withUnsafeMutableBufferPointer { rowsAcross in
                for y in 1..<(h - 1) {
                    let above = base + (y - 1) * w, here = above + w, below = here + w
                    var sum: Float = 0
                    for x in 0..<w {
                        let c = abs(above[x] - 2 * here[x] + below[x])
                        sum += c
                        columns[x] += c
                    }
                    rowsAcross[y] = sum / Float(w)
                }
            }
        }
        // The first and last lines take their neighbour's value across.
        rowsAcross[0] = rowsAcross[1]; rowsAcross[h - 1] = rowsAcross[h - 2]
        columnsAcross[0] = columnsAcross[1]; columnsAcross[w - 1] = columnsAcross[w - 2]
        for x in 0..<w { columns[x] /= Float(h - 2) }
        self.rows = rows
        self.columns = columns
        rowsEither = zip(rows, rowsAcross).map { min($0, $1) }
        columnsEither = zip(columns, columnsAcross).map { min($0, $1 / Float(h)) }
    }

    /// Whether both ends of the rows, or of the columns, are smooth (along or across) against 17
    /// lines sampled between them, with three times the fill test's margin: when neither pair
    /// is, no band can be fill.
    static func endsMayBeFill(_ small: UnsafeBufferPointer<Float>, width w: Int, height h: Int,
                              fraction: Float, quantile: Double) -> Bool {
        let base = small.baseAddress!
        /// Mean curvature along `count` samples from `start`, `step` apart (ends excluded).
        func along(_ start: Int, _ step: Int, _ count: Int) -> Float {
            var sum: Float = 0
            for i in 1..<(count - 1) {
                let p = base + start + i * step
                sum += abs(p[-step] - 2 * p[0] + p[step])
            }
            return sum / Float(count - 2)
        }
        /// Mean curvature across the three lines from `start` (`next` apart), over `count` samples
        /// `step` apart.
        func across(_ start: Int, _ step: Int, _ next: Int, _ count: Int) -> Float {
            var sum: Float = 0
            for i in 0..<count {
                let p = base + start + i * step
                sum += abs(p[0] - 2 * p[next] + p[2 * next])
            }
            return sum / Float(count)
        }
        func ends(lines: Int, along: (Int) -> Float, across: (Int) -> Float) -> Bool {
            let samples = (0..<17).map { along(1 + $0 * (lines - 3) / 16) }.sorted()
            let limit = 3 * fraction * samples[Int(quantile * 16)]
            return min(along(0), across(0)) < limit && min(along(lines - 1), across(lines - 3)) < limit
        }
        return ends(lines: h, along: { along($0 * w, 1, w) }, across: { across($0 * w, 1, w, w) })
            || ends(lines: w, along: { along($0, w, h) }, across: { across($0, w, 1, h) })
    }
}
