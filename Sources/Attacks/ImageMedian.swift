import Media

/// The k × k median filter. Edge samples are repeated beyond the border, as for the blur.
///
/// 3 × 3, by far the most used size (StirMark's and most benchmarks' "median 3"), runs through a
/// 19-exchange sorting network (min/max, no branches), which vectorises across a row: Paeth's
/// network as given by Devillard, "Fast median search: an ANSI C implementation" (1998),
/// `opt_med9`. Other sizes gather each window and select its middle.
enum ImageMedian {
    /// Every plane replaced by the median of each `size × size` neighbourhood (`size` odd).
    /// - Complexity: O(pixels · planes · 19) for 3 × 3; O(pixels · planes · size²) on average
    ///   otherwise (insertion sort up to 5 × 5, quickselect above). Row bands run in parallel.
    static func median(_ image: PlanarImage, size: Int) -> PlanarImage {
        precondition(size > 0 && size % 2 == 1, "median size must be odd")
        guard size > 1 else { return image }
        let width = image.width, height = image.height
        let planes = image.planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                makePlane(count: plane.count) { output in
                    forEachBand(count: height) { band in
                        if size == 3 {
                            median3(input.baseAddress!, output.baseAddress!, width: width, height: height, rows: band)
                        } else {
                            medianGeneral(input.baseAddress!, output.baseAddress!, width: width, height: height,
                                          size: size, rows: band)
                        }
                    }
                }
            }
        }
        return image.replacing(width: width, height: height, planes: planes)
    }

    /// 3 × 3 over `rows`. The interior columns run the network in straight-line scalar code that
    /// the compiler vectorises; the two edge columns repeat their edge sample.
    private static func median3(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                width: Int, height: Int, rows: Range<Int>) {
        for y in rows {
            let above = input + max(y - 1, 0) * width
            let row = input + y * width
            let below = input + min(y + 1, height - 1) * width
            let out = output + y * width
            if width < 3 {
                for x in 0..<width {
                    let l = max(x - 1, 0), r = min(x + 1, width - 1)
                    out[x] = median9(above[l], above[x], above[r], row[l], row[x], row[r], below[l], below[x], below[r])
                }
                continue
            }
            out[0] = median9(above[0], above[0], above[1], row[0], row[0], row[1], below[0], below[0], below[1])
            for x in 1..<width - 1 {
                out[x] = median9(above[x - 1], above[x], above[x + 1], row[x - 1], row[x], row[x + 1],
                                 below[x - 1], below[x], below[x + 1])
            }
            let e = width - 1
            out[e] = median9(above[e - 1], above[e], above[e], row[e - 1], row[e], row[e],
                             below[e - 1], below[e], below[e])
        }
    }

    /// The median of nine values by Devillard's `opt_med9` network: 19 compare-exchanges, each a
    /// min and a max, no branches.
    @inline(__always)
    private static func median9(_ a0: Float, _ a1: Float, _ a2: Float, _ a3: Float, _ a4: Float, _ a5: Float,
                                _ a6: Float, _ a7: Float, _ a8: Float) -> Float {
        var p0 = a0, p1 = a1, p2 = a2, p3 = a3, p4 = a4, p5 = a5, p6 = a6, p7 = a7, p8 = a8
        @inline(__always) func sort(_ a: inout Float, _ b: inout Float) {
            let low = Swift.min(a, b)
            b = Swift.max(a, b)
            a = low
        }
        sort(&p1, &p2); sort(&p4, &p5); sort(&p7, &p8)
        sort(&p0, &p1); sort(&p3, &p4); sort(&p6, &p7)
        sort(&p1, &p2); sort(&p4, &p5); sort(&p7, &p8)
        sort(&p0, &p3); sort(&p5, &p8); sort(&p4, &p7)
        sort(&p3, &p6); sort(&p1, &p4); sort(&p2, &p5)
        sort(&p4, &p7); sort(&p4, &p2); sort(&p6, &p4)
        sort(&p4, &p2)
        return p4
    }

    /// Any odd size over `rows`: each window gathered into one scratch buffer per band.
    private static func medianGeneral(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                      width: Int, height: Int, size: Int, rows: Range<Int>) {
        let radius = size / 2
        var window = [Float](repeating: 0, count: size * size)
        window.withUnsafeMutableBufferPointer { window in
            for y in rows {
                for x in 0..<width {
                    var n = 0
                    for dy in -radius...radius {
                        let row = input + min(max(y + dy, 0), height - 1) * width
                        for dx in -radius...radius {
                            window[n] = row[min(max(x + dx, 0), width - 1)]
                            n += 1
                        }
                    }
                    output[y * width + x] = Selection.median(window)
                }
            }
        }
    }
}
