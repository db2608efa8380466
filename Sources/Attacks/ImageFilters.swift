import Foundation
import Media

/// Neighbourhood filters: Gaussian blur and median. Both repeat the edge samples beyond the
/// border (OpenCV's `BORDER_REPLICATE`, PIL's behaviour), so a constant image stays constant and
/// the border does not darken.
enum ImageFilters {
    /// The normalised Gaussian kernel of standard deviation `sigma`, `2r + 1` taps with
    /// `r = ⌈3σ⌉`: the tails beyond 3σ hold 0.27 % of the weight.
    static func gaussianKernel(sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let weights = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// Every plane blurred with a separable Gaussian of standard deviation `sigma` pixels;
    /// `sigma` 0 returns the image unchanged.
    /// - Complexity: O(pixels · planes · (2r + 1) · 2) for r = ⌈3σ⌉; row bands run in parallel.
    static func gaussianBlur(_ image: PlanarImage, sigma: Double) -> PlanarImage {
        guard sigma > 0 else { return image }
        let kernel = gaussianKernel(sigma: sigma)
        let planes = image.planes.map { plane in
            let rows = convolveRows(plane, width: image.width, height: image.height, kernel: kernel)
            return convolveColumns(rows, width: image.width, height: image.height, kernel: kernel)
        }
        return image.replacing(width: image.width, height: image.height, planes: planes)
    }

    /// Horizontal pass: each row is copied into a padded scratch row (edges repeated) so the
    /// inner loop needs no bounds logic.
    private static func convolveRows(_ plane: [Float], width: Int, height: Int, kernel: [Float]) -> [Float] {
        let radius = kernel.count / 2
        return plane.withUnsafeBufferPointer { input in
            kernel.withUnsafeBufferPointer { kernel in
                makePlane(count: plane.count) { output in
                    forEachBand(count: height) { band in
                        var padded = [Float](repeating: 0, count: width + 2 * radius)
                        padded.withUnsafeMutableBufferPointer { padded in
                            for y in band {
                                let row = input.baseAddress! + y * width
                                for i in 0..<padded.count { padded[i] = row[min(max(i - radius, 0), width - 1)] }
                                let out = output.baseAddress! + y * width
                                for x in 0..<width {
                                    var sum: Float = 0
                                    for k in 0..<kernel.count { sum += kernel[k] * padded[x + k] }
                                    out[x] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Vertical pass: each output row is a weighted sum of whole input rows (edge rows repeated),
    /// so the inner loop runs along contiguous memory.
    private static func convolveColumns(_ plane: [Float], width: Int, height: Int, kernel: [Float]) -> [Float] {
        let radius = kernel.count / 2
        return plane.withUnsafeBufferPointer { input in
            kernel.withUnsafeBufferPointer { kernel in
                makePlane(count: plane.count) { output in
                    forEachBand(count: height) { band in
                        for y in band {
                            let out = output.baseAddress! + y * width
                            out.update(repeating: 0, count: width)
                            for k in 0..<kernel.count {
                                let row = input.baseAddress! + min(max(y + k - radius, 0), height - 1) * width
                                let weight = kernel[k]
                                for x in 0..<width { out[x] += weight * row[x] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every plane replaced by the median of each `size × size` neighbourhood (`size` odd).
    /// - Complexity: O(pixels · planes · size²) on average (quickselect per pixel; insertion sort
    ///   up to 5 × 5); row bands run in parallel, each with one scratch window.
    static func median(_ image: PlanarImage, size: Int) -> PlanarImage {
        precondition(size > 0 && size % 2 == 1, "median size must be odd")
        guard size > 1 else { return image }
        let width = image.width, height = image.height, radius = size / 2
        let planes = image.planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                makePlane(count: plane.count) { output in
                    forEachBand(count: height) { band in
                        var window = [Float](repeating: 0, count: size * size)
                        window.withUnsafeMutableBufferPointer { window in
                            for y in band {
                                for x in 0..<width {
                                    var n = 0
                                    for dy in -radius...radius {
                                        let row = input.baseAddress! + min(max(y + dy, 0), height - 1) * width
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
            }
        }
        return image.replacing(width: width, height: height, planes: planes)
    }
}

/// Order statistics of a small scratch buffer, which they reorder.
enum Selection {
    /// The middle element of an odd-length buffer.
    static func median(_ values: UnsafeMutableBufferPointer<Float>) -> Float {
        let middle = values.count / 2
        if values.count <= 25 {
            // Insertion sort: fewest operations for the 3×3 and 5×5 windows that matter most.
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
