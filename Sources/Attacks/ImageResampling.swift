import Foundation
import Media

/// Antialiased separable Lanczos-3 resizing, as PIL's `Image.resize(…, LANCZOS)` and libvips'
/// `vips_resize` do it.
///
/// Each output sample is a weighted sum of the input samples around its centre, first along rows,
/// then along columns. When shrinking by `s < 1` the kernel is stretched by `1/s` (its support
/// grows from 3 to `3/s` input pixels), which makes it a low-pass filter at the new Nyquist
/// frequency: no aliasing, unlike sampling the unstretched kernel. Weights are normalised to sum
/// to 1 per output sample, so a constant image stays constant and the mean is kept.
///
/// ```
///   input  w × h ──rows──▶  W × h ──columns──▶  W × H      (each pass skipped when its size is kept)
/// ```
///
/// Output samples are clamped to `0...1`: Lanczos rings (overshoots) at sharp edges, by about
/// 10 % of the step, and samples outside the nominal range mean nothing to a file writer.
enum ImageResampling {
    /// `image` resampled to `width × height`. Each axis is scaled by its own ratio, so the
    /// picture always fills the new frame.
    /// - Complexity: O(planes · (W·h·t_x + W·H·t_y)), with t = 6 taps for enlarging and `6/s`
    ///   for shrinking by s. Row bands run in parallel.
    static func resize(_ image: PlanarImage, width: Int, height: Int) -> PlanarImage {
        precondition(width > 0 && height > 0, "output size must be positive")
        if width == image.width && height == image.height { return image }
        let rows = width == image.width ? nil : LanczosWeights(inputCount: image.width, outputCount: width)
        let columns = height == image.height ? nil : LanczosWeights(inputCount: image.height, outputCount: height)
        let planes = image.planes.map { plane in
            var current = plane
            if let rows {
                current = resampleRows(current, width: image.width, height: image.height, weights: rows,
                                       clamp: columns == nil)
            }
            if let columns {
                current = resampleColumns(current, width: width, weights: columns)
            }
            return current
        }
        return image.replacing(width: width, height: height, planes: planes)
    }

    /// Horizontal pass: each row of `width` samples becomes `weights.outputCount` samples.
    private static func resampleRows(_ plane: [Float], width: Int, height: Int, weights: LanczosWeights,
                                     clamp: Bool) -> [Float] {
        let outputWidth = weights.outputCount
        return plane.withUnsafeBufferPointer { input in
            makePlane(count: outputWidth * height) { output in
                let source = input.baseAddress!, destination = output.baseAddress!
                weights.withTables { starts, counts, table, taps in
                    forEachBand(count: height) { band in
                        for y in band {
                            let row = source + y * width
                            let out = destination + y * outputWidth
                            for x in 0..<outputWidth {
                                let window = row + starts[x]
                                let weight = table + x * taps
                                var sum: Float = 0
                                for k in 0..<counts[x] { sum += weight[k] * window[k] }
                                out[x] = clamp ? min(max(sum, 0), 1) : sum
                            }
                        }
                    }
                }
            }
        }
    }

    /// Vertical pass over rows of `width` samples. Each output row is a weighted sum of whole input
    /// rows, so the inner loop runs along contiguous memory and vectorises.
    private static func resampleColumns(_ plane: [Float], width: Int, weights: LanczosWeights) -> [Float] {
        let outputHeight = weights.outputCount
        return plane.withUnsafeBufferPointer { input in
            makePlane(count: width * outputHeight) { output in
                let source = input.baseAddress!, destination = output.baseAddress!
                weights.withTables { starts, counts, table, taps in
                    forEachBand(count: outputHeight) { band in
                        for y in band {
                            let out = destination + y * width
                            let weight = table + y * taps
                            let first = source + starts[y] * width
                            let w0 = weight[0]
                            for x in 0..<width { out[x] = w0 * first[x] }
                            for k in 1..<max(1, counts[y]) {
                                let row = first + k * width
                                let wk = weight[k]
                                for x in 0..<width { out[x] += wk * row[x] }
                            }
                            for x in 0..<width { out[x] = min(max(out[x], 0), 1) }
                        }
                    }
                }
            }
        }
    }
}

/// The Lanczos-3 weights of every output sample along one axis: for output `i`, `counts[i]`
/// weights (stored `taps` apart) applied to inputs `starts[i] ..< starts[i] + counts[i]`.
///
/// Geometry as in PIL's `precompute_coeffs` (libImaging/Resample.c): output sample `i` is centred
/// at input coordinate `(i + 0.5) / scale`, pixel centres at half-integers; the window is cut at
/// the image edges and the remaining weights renormalised (the same as PIL; libvips extends the
/// edge instead, which differs only in the outermost few pixels).
struct LanczosWeights {
    let outputCount: Int
    /// Weights stored per output sample (the widest window).
    let taps: Int
    private let starts: [Int]
    private let counts: [Int]
    private let weights: [Float]

    /// Lanczos-3: `sinc(x)·sinc(x/3)` for `|x| < 3`. Turkowski, "Filters for common resampling
    /// tasks", Graphics Gems I (1990).
    static func lanczos3(_ x: Double) -> Double {
        if x == 0 { return 1 }
        guard abs(x) < 3 else { return 0 }
        let px = Double.pi * x
        return 3 * sin(px) * sin(px / 3) / (px * px)
    }

    init(inputCount: Int, outputCount: Int) {
        precondition(inputCount > 0 && outputCount > 0)
        let scale = Double(outputCount) / Double(inputCount)
        // Shrinking stretches the kernel by 1/scale so that it cuts at the output's Nyquist.
        let filterScale = max(1, 1 / scale)
        let support = 3 * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: outputCount)
        var counts = [Int](repeating: 0, count: outputCount)
        var weights = [Float](repeating: 0, count: outputCount * taps)
        var row = [Double](repeating: 0, count: taps)
        for i in 0..<outputCount {
            let center = (Double(i) + 0.5) / scale
            let first = max(0, Int((center - support + 0.5).rounded(.down)))
            let end = min(inputCount, Int((center + support + 0.5).rounded(.down)))
            let count = min(taps, max(1, end - first))
            var total = 0.0
            for k in 0..<count {
                row[k] = Self.lanczos3((Double(first + k) - center + 0.5) / filterScale)
                total += row[k]
            }
            for k in 0..<count {
                weights[i * taps + k] = Float(total == 0 ? (k == 0 ? 1 : 0) : row[k] / total)
            }
            starts[i] = min(first, inputCount - 1)
            counts[i] = count
        }
        self.outputCount = outputCount
        self.taps = taps
        self.starts = starts
        self.counts = counts
        self.weights = weights
    }

    /// The tables as pointers, for the kernels' inner loops.
    func withTables<R>(_ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Float>, Int) -> R) -> R {
        starts.withUnsafeBufferPointer { s in
            counts.withUnsafeBufferPointer { c in
                weights.withUnsafeBufferPointer { w in
                    body(s.baseAddress!, c.baseAddress!, w.baseAddress!, taps)
                }
            }
        }
    }
}
