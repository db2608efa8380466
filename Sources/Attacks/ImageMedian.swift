import Media

/// The k × k median filter. Edge samples are repeated beyond the border, as for the blur.
///
/// 3 × 3, by far the most used size (StirMark's and most benchmarks' "median 3"), runs through a
/// 19-exchange sorting network on eight pixels at a time (`SIMD8` min/max, no branches): Paeth's
/// network as given by Devillard, "Fast median search: an ANSI C implementation" (1998),
/// `opt_med9`. Other sizes gather each window and select its middle.
enum ImageMedian {
    /// Every plane replaced by the median of each `size × size` neighbourhood (`size` odd).
    /// - Complexity: O(pixels · planes · 19 / 8) for 3 × 3; O(pixels · planes · size²) on average
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

    /// 3 × 3 over `rows`: interior columns eight at a time, the rest one by one.
    private static func median3(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                width: Int, height: Int, rows: Range<Int>) {
        for y in rows {
            let above = input + max(y - 1, 0) * width
            let row = input + y * width
            let below = input + min(y + 1, height - 1) * width
            let out = output + y * width
            var x = 1
            while x + 8 <= width - 1 {
                func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
                    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
                }
                var p = (load(above + x - 1), load(above + x), load(above + x + 1),
                         load(row + x - 1), load(row + x), load(row + x + 1),
                         load(below + x - 1), load(below + x), load(below + x + 1))
                let median = median9(&p)
                UnsafeMutableRawPointer(out + x).storeBytes(of: median, as: SIMD8<Float>.self)
                x += 8
            }
            // The first column and whatever the vectors left, edge columns repeated.
            func single(_ column: Int) {
                let left = max(column - 1, 0), right = min(column + 1, width - 1)
                var p = (SIMD8(repeating: above[left]), SIMD8(repeating: above[column]), SIMD8(repeating: above[right]),
                         SIMD8(repeating: row[left]), SIMD8(repeating: row[column]), SIMD8(repeating: row[right]),
                         SIMD8(repeating: below[left]), SIMD8(repeating: below[column]), SIMD8(repeating: below[right]))
                out[column] = median9(&p)[0]
            }
            single(0)
            for column in max(x, 1)..<max(width, 1) { single(column) }
        }
    }

    /// The lane-wise median of nine vectors (Devillard's `opt_med9`; the tuple is reordered).
    @inline(__always)
    private static func median9(
        _ p: inout (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
    ) -> SIMD8<Float> {
        @inline(__always) func sort(_ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>) {
            let low = pointwiseMin(a, b)
            b = pointwiseMax(a, b)
            a = low
        }
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.1); sort(&p.3, &p.4); sort(&p.6, &p.7)
        sort(&p.1, &p.2); sort(&p.4, &p.5); sort(&p.7, &p.8)
        sort(&p.0, &p.3); sort(&p.5, &p.8); sort(&p.4, &p.7)
        sort(&p.3, &p.6); sort(&p.1, &p.4); sort(&p.2, &p.5)
        sort(&p.4, &p.7); sort(&p.4, &p.2); sort(&p.6, &p.4)
        sort(&p.4, &p.2)
        return p.4
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

/// Order statistics of a small scratch buffer, which they reorder.
enum Selection {
    /// The middle element of an odd-length buffer.
    static func median(_ values: UnsafeMutableBufferPointer<Float>) -> Float {
        let middle = values.count / 2
        if values.count <= 25 {
            // Insertion sort: fewest operations for windows up to 5 × 5.
            for i in 1..<values.count {
                let value = values[i]
                var j = i
                while j > 0 && values[j - 1] > value {
                    values[j] = values[j - 1]
                    j -= 1
                }
                values[j] = value
            }
            return values[middle]
        }
        return select(values, rank: middle)
    }

    /// The element of rank `rank` (0-based) by Hoare's quickselect with a median-of-three pivot.
    /// - Complexity: O(n) on average.
    static func select(_ values: UnsafeMutableBufferPointer<Float>, rank: Int) -> Float {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { return values[rank] }
        }
        return values[rank]
    }
}
