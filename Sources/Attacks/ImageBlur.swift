import Foundation
import Media

/// The Gaussian blur. Edge samples are repeated beyond the border (OpenCV's `BORDER_REPLICATE`,
/// PIL's behaviour), so a constant image stays constant and the border does not darken.
enum ImageBlur {
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
}
