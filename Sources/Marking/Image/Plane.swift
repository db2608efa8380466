import Media

/// One channel of samples, row-major: the unit the image mark works on (luminance, mask, mark).
struct Plane: Sendable {
    var width: Int
    var height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    init(width: Int, height: Int, repeating value: Float = 0) {
        self.init(width: width, height: height, values: [Float](repeating: value, count: width * height))
    }

    var count: Int { values.count }

    subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }
}

extension Plane {
    /// Mean over a (2r+1)×(2r+1) window, the window clipped at the borders (normalised by the
    /// number of samples actually inside). Two separable running sums.
    /// - Complexity: O(width · height), independent of `radius`.
    func boxMean(radius r: Int) -> Plane {
        guard r > 0 else { return self }
        var horizontal = [Float](repeating: 0, count: count)
        var output = [Float](repeating: 0, count: count)
        let w = width, h = height
        // 1 / (samples in the window) per column: a multiply per sample instead of a division
        // (the divisions were a tenth of the detector's analysis time).
        let inverseColumnCounts = (0..<w).map { x in 1 / Double(min(x + r, w - 1) - max(x - r, 0) + 1) }
        values.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                inverseColumnCounts.withUnsafeBufferPointer { inverse in
                    // Running sums in Double: in Float they drift over long rows, enough to turn a
                    // zero local energy slightly negative.
                    for y in 0..<h {
                        let row = y * w
                        var sum = 0.0
                        for x in 0..<min(r, w) { sum += Double(src[row + x]) }
                        // The same sums as one loop with both bounds tested per sample, split
                        // where the window enters and leaves the row.
                        let entering = max(0, min(w, w - r)), leaving = min(w, r + 1)
                        for x in 0..<min(entering, leaving) {
                            sum += Double(src[row + x + r])
                            dst[row + x] = Float(sum * inverse[x])
                        }
                        for x in min(entering, leaving)..<max(entering, leaving) {
                            if x + r < w { sum += Double(src[row + x + r]) }
                            if x - r - 1 >= 0 { sum -= Double(src[row + x - r - 1]) }
                            dst[row + x] = Float(sum * inverse[x])
                        }
                        for x in max(entering, leaving)..<w {
                            sum -= Double(src[row + x - r - 1])
                            dst[row + x] = Float(sum * inverse[x])
                        }
                    }
                }
            }
        }
        horizontal.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var columnSums = [Double](repeating: 0, count: w)
                columnSums.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<min(r, h) { for x in 0..<w { sums[x] += Double(src[y * w + x]) } }
                    for y in 0..<h {
                        if y + r < h { for x in 0..<w { sums[x] += Double(src[(y + r) * w + x]) } }
                        if y - r - 1 >= 0 { for x in 0..<w { sums[x] -= Double(src[(y - r - 1) * w + x]) } }
                        let inverse = 1 / Double(min(y + r, h - 1) - max(y - r, 0) + 1)
                        for x in 0..<w { dst[y * w + x] = Float(sums[x] * inverse) }
                    }
                }
            }
        }
        return Plane(width: w, height: h, values: output)
    }

    /// Area-averaging downscale to `newWidth × newHeight` (each output sample is the exact mean of
    /// the input area it covers, with fractional edge weights): the anti-aliased reduction the
    /// detector needs, cheaper than a windowed-sinc filter and free of ringing.
    func areaDownscaled(toWidth newWidth: Int, height newHeight: Int) -> Plane {
        precondition(newWidth <= width && newHeight <= height && newWidth > 0 && newHeight > 0)
        if newWidth == width && newHeight == height { return self }
        let xSpans = Self.areaSpans(from: width, to: newWidth)
        let ySpans = Self.areaSpans(from: height, to: newHeight)
        // The column spans flattened (first tap of each output column, taps' inputs and weights in
        // one run each): the row pass reads them for every row.
        var spanStart = [0], tapInput = [Int](), tapWeight = [Float]()
        for span in xSpans {
            for (ix, weight) in span { tapInput.append(ix); tapWeight.append(weight) }
            spanStart.append(tapInput.count)
        }
        var rows = [Float](repeating: 0, count: newWidth * height)
        values.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { dst in
                spanStart.withUnsafeBufferPointer { start in
                    tapInput.withUnsafeBufferPointer { input in
                        tapWeight.withUnsafeBufferPointer { weight in
                            for y in 0..<height {
                                let row = y * width
                                for ox in 0..<newWidth {
                                    var sum: Float = 0
                                    for t in start[ox]..<start[ox + 1] { sum += src[row + input[t]] * weight[t] }
                                    dst[y * newWidth + ox] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        var output = [Float](repeating: 0, count: newWidth * newHeight)
        rows.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                for (oy, span) in ySpans.enumerated() {
                    for (iy, weight) in span {
                        for x in 0..<newWidth { dst[oy * newWidth + x] += src[iy * newWidth + x] * weight }
                    }
                }
            }
        }
        return Plane(width: newWidth, height: newHeight, values: output)
    }

    /// For each output index, the input indices it covers and their normalised weights.
    private static func areaSpans(from inputCount: Int, to outputCount: Int) -> [[(Int, Float)]] {
        let ratio = Double(inputCount) / Double(outputCount)
        return (0..<outputCount).map { o in
            let start = Double(o) * ratio, end = Double(o + 1) * ratio
            var span = [(Int, Float)]()
            var i = Int(start)
            while Double(i) < end && i < inputCount {
                let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                if overlap > 1e-9 { span.append((i, Float(overlap / ratio))) }
                i += 1
            }
            return span
        }
    }
}

extension Plane {
    /// The rectangle `rect` (inside the plane) as a plane of its own; the plane itself when `rect`
    /// is all of it (``Media/PlanarImage/cropped(to:)`` on a one-plane image: no copy but the crop).
    func cropped(to rect: PixelRect) -> Plane {
        let image = PlanarImage(width: width, height: height, colorModel: .gray, planes: [values]).cropped(to: rect)
        return Plane(width: image.width, height: image.height, values: image.planes[0])
    }
}
