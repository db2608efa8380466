import Foundation

/// How much mark each pixel can hide, in absolute luma units (0…1 scale): a small fixed amount
/// where the image is flat, rising with local texture — contrast masking, where a visible pattern
/// needs more contrast the busier its background (Legge & Foley 1980; Watson 1993).
///
/// The budget is absolute on purpose: a mark scaled only relative to an image's own median texture
/// puts full strength into the sky of an image that is mostly sky, where low-frequency mottling
/// shows. With an absolute budget a flat image gets a weaker mark (higher PSNR) and stays clean.
///
/// It varies on the scale of a chip, so it is computed on a grid of blocks of about half a chip
/// (the variance inside a block is the fine detail that masks) and interpolated when the mark is
/// rendered: a few operations per pixel instead of several full-size filtered planes.
enum PerceptualMask {
    /// Amplitude allowed in a perfectly flat region: well under one 8-bit step at the mark's low
    /// spatial frequencies.
    static let flatAmplitude: Float = 0.7 / 255
    /// Texture RMS at which masking starts to raise the budget.
    static let maskingOnset: Float = 1.0 / 255
    /// Growth of the budget with texture: amplitude ∝ activity^exponent above the onset.
    static let exponent: Float = 0.8

    /// The budget on a grid of `block × block` pixel cells.
    struct Grid {
        var values: Plane
        var block: Int
    }

    static func budget(luma: Plane, chipSize: Double) -> Grid {
        let block = max(2, Int(chipSize / 2))
        let gw = (luma.width + block - 1) / block, gh = (luma.height + block - 1) / block
        var sums = [Double](repeating: 0, count: gw * gh), squares = sums, counts = sums
        luma.values.withUnsafeBufferPointer { src in
            for y in 0..<luma.height {
                let gy = y / block
                for x in 0..<luma.width {
                    let v = Double(src[y * luma.width + x]), g = gy * gw + x / block
                    sums[g] += v
                    squares[g] += v * v
                    counts[g] += 1
                }
            }
        }
        var energy = Plane(width: gw, height: gh)
        for g in 0..<energy.count {
            let mean = sums[g] / counts[g]
            energy.values[g] = Float(max(0, squares[g] / counts[g] - mean * mean))
        }
        // Local activity over about a chip around each cell.
        var budget = energy.boxMean(radius: max(1, Int((chipSize / Double(block)).rounded())))
        for i in 0..<budget.count {
            let activity = max(0, budget.values[i]).squareRoot()
            budget.values[i] = flatAmplitude * exp(exponent * log(1 + activity / maskingOnset))
        }
        return Grid(values: budget, block: block)
    }
}
