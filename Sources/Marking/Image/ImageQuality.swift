import Media

/// Objective quality of a marked image against its original.
public enum ImageQuality {
    /// PSNR in dB over the colour planes (alpha excluded), peak 1.
    public static func psnr(_ original: PlanarImage, _ marked: PlanarImage) -> Double {
        precondition(original.width == marked.width && original.height == marked.height)
        let channels = min(original.colorModel.colorChannelCount, marked.colorModel.colorChannelCount)
        var sum = 0.0
        for c in 0..<channels {
            original.planes[c].withUnsafeBufferPointer { a in
                marked.planes[c].withUnsafeBufferPointer { b in
                    var planeSum: Float = 0
                    for i in 0..<a.count { let d = a[i] - b[i]; planeSum += d * d }
                    sum += Double(planeSum)
                }
            }
        }
        return psnr(squaredError: sum, samples: channels * original.pixelCount)
    }

    /// PSNR in dB, peak 1, from a sum of squared differences over `samples` values.
    static func psnr(squaredError: Double, samples: Int) -> Double {
        let mse = squaredError / Double(samples)
        return mse == 0 ? .infinity : -10 * log10(mse)
    }

    /// Mean SSIM of the luma (Wang et al. 2004) with a 9×9 box window, K1 = 0.01, K2 = 0.03.
    public static func ssim(_ original: PlanarImage, _ marked: PlanarImage) -> Double {
        ssim(Luminance.plane(of: original), Luminance.plane(of: marked))
    }

    /// Streaming SSIM: the five window moments are kept as column sums over the window's rows,
    /// slid down one row at a time, then slid across each row — one pass, O(width) memory.
    /// - Complexity: O(width · height).
    static func ssim(_ x: Plane, _ y: Plane) -> Double {
        precondition(x.width == y.width && x.height == y.height)
        let radius = 4, w = x.width, h = x.height
        let c1 = 0.01 * 0.01, c2 = 0.03 * 0.03
        // Column sums of x, y, x², y², xy over the rows currently in the window.
        var columns = [Double](repeating: 0, count: 5 * w)
        var total = 0.0
        x.values.withUnsafeBufferPointer { xs in
            y.values.withUnsafeBufferPointer { ys in
                columns.withUnsafeMutableBufferPointer { col in
                    func accumulate(row: Int, sign: Double) {
                        let base = row * w
                        for i in 0..<w {
                            let a = Double(xs[base + i]), b = Double(ys[base + i])
                            col[i] += sign * a
                            col[w + i] += sign * b
                            col[2 * w + i] += sign * a * a
                            col[3 * w + i] += sign * b * b
                            col[4 * w + i] += sign * a * b
                        }
                    }
                    // 1 / (samples in the window), as row and column factors: multiplies instead of
                    // five divisions per pixel (a third of the SSIM pass).
                    let inverseColumnCounts = (0..<w).map { i in 1 / Double(min(i + radius, w - 1) - max(i - radius, 0) + 1) }
                    for row in 0..<min(radius, h) { accumulate(row: row, sign: 1) }
                    for row in 0..<h {
                        if row + radius < h { accumulate(row: row + radius, sign: 1) }
                        if row - radius - 1 >= 0 { accumulate(row: row - radius - 1, sign: -1) }
                        let inverseRows = 1 / Double(min(row + radius, h - 1) - max(row - radius, 0) + 1)
                        var s = (0.0, 0.0, 0.0, 0.0, 0.0)
                        for i in 0..<min(radius, w) {
                            s.0 += col[i]; s.1 += col[w + i]; s.2 += col[2 * w + i]; s.3 += col[3 * w + i]; s.4 += col[4 * w + i]
                        }
                        for i in 0..<w {
                            if i + radius < w {
                                let j = i + radius
                                s.0 += col[j]; s.1 += col[w + j]; s.2 += col[2 * w + j]; s.3 += col[3 * w + j]; s.4 += col[4 * w + j]
                            }
                            if i - radius - 1 >= 0 {
                                let j = i - radius - 1
                                s.0 -= col[j]; s.1 -= col[w + j]; s.2 -= col[2 * w + j]; s.3 -= col[3 * w + j]; s.4 -= col[4 * w + j]
                            }
                            let inverse = inverseRows * inverseColumnCounts[i]
                            let mx = s.0 * inverse, my = s.1 * inverse
                            let vx = s.2 * inverse - mx * mx, vy = s.3 * inverse - my * my, cov = s.4 * inverse - mx * my
                            total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
                        }
                    }
                }
            }
        }
        return total / Double(w * h)
    }
}

import Foundation
