import Foundation

/// How much mark each pixel can hide, in absolute luma units (0…1 scale): a small fixed amount
/// where the image is flat, rising with local texture — contrast masking, where a visible pattern
/// needs more contrast the busier its background (Legge & Foley 1980; Watson 1993).
/// Measured on the corpus at strength 1, masking gain 1: PSNR 39–54 dB (mean ≈ 44.5), SSIM ≥ 0.99;
/// busy images reach the PSNR cap of ``ImageEmbedOptions/referencePSNR``, flat ones stay well
/// above it. The embedder's closed loop raises the textured part where the training chain would
/// lose the mark (``budget(activity:maskingGain:)``; mean 43.4 dB, lowest 38).
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
    /// Activity may exceed the least active neighbouring cell's by at most this factor (+ ½ step).
    static let erosionLimit: Float = 2
    /// Growth of the budget with texture: amplitude ∝ activity^exponent above the onset.
    static let exponent: Float = 0.8
    /// The largest amplitude a raised masking gain may give a pixel (see ``budget(activity:maskingGain:)``).
    /// Strong edges allow large amplitudes already at gain 1, and the smooth bands between them do
    /// not hide more: on a photo of shaded stripes (grey architecture) the raised mark mottled the
    /// bands visibly at 1:1, mean change there 3.2 levels at gain 1, 4.4 raised with an 8-level
    /// ceiling, 3.4 with 4. `ImageLab`, 10 attacks × 24 images under a fresh key: ceiling 8 levels
    /// 187 of 240 (mean PSNR 42.6 dB), 5 185 (43.2), 4 189 (43.4), 3 185 (43.7); 8 attacks under
    /// another key: 8 levels 170 of 192, 4 168. (Before the onset below: none 171, 12 levels 172,
    /// 8 172 — and the astronaut's largest change 44 levels without a ceiling, 23 at gain 1.)
    static let raisedCeiling: Float = 4 / 255
    /// A raised masking gain multiplies only the budget above this multiple of the flat amplitude:
    /// a smooth gradient carrying a JPEG's faint noise counts as slightly textured, and raising it
    /// showed as mottling (the desktop screenshot's wallpaper, mark RMS 0.68 levels at gain 1, 0.89
    /// at 2.5 from 1, 0.73 from 1.25). `ImageLab`, 8 attacks × 24 images: onset 1 173 of 192,
    /// 1.25 170, 1.5 164, 2 158.
    static let raiseOnset: Float = 1.25

    /// The budget on a grid of `block × block` pixel cells.
    struct Grid {
        var values: Plane
        var block: Int
    }

    /// Each cell's masking activity (texture RMS, limited by its neighbours), on the budget's grid.
    static func activity(luma: Plane, chipSize: Double) -> Grid {
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
        // Masking is local: a flat patch beside a text edge hides nothing. So a cell's activity
        // (mean energy over its 3×3 neighbourhood) may exceed that of its least active neighbour
        // only by a bounded factor: true texture is busy in every cell and keeps its budget,
        // isolated edges do not raise the budget of the flat surroundings.
        let eroded = energy.minimum3x3().boxMean(radius: 1)
        var activity = energy.boxMean(radius: 1)
        for i in 0..<activity.count {
            activity.values[i] = min(max(0, activity.values[i]).squareRoot(),
                                     Self.erosionLimit * max(0, eroded.values[i]).squareRoot() + 0.5 / 255)
        }
        return Grid(values: activity, block: block)
    }

    /// The budget from an activity grid. `maskingGain` multiplies only what texture adds above
    /// ``raiseOnset`` times the flat amplitude — flat and nearly flat regions keep their gain-1
    /// budget whatever the gain — and the raised part stops at ``raisedCeiling`` (or the gain-1
    /// budget, where that is larger).
    static func budget(activity: Grid, maskingGain: Float) -> Grid {
        var budget = activity.values
        for i in 0..<budget.count {
            let masked = exp(exponent * log(1 + activity.values.values[i] / maskingOnset))
            let raised = flatAmplitude * (masked + (maskingGain - 1) * max(0, masked - Self.raiseOnset))
            budget.values[i] = maskingGain == 1 ? flatAmplitude * masked
                : min(raised, max(flatAmplitude * masked, raisedCeiling))
        }
        return Grid(values: budget, block: activity.block)
    }
}

extension Plane {
    /// The minimum over each 3×3 neighbourhood (clipped at the borders).
    func minimum3x3() -> Plane {
        var rows = self, out = self
        for y in 0..<height {
            for x in 0..<width {
                var m = values[y * width + x]
                if x > 0 { m = min(m, values[y * width + x - 1]) }
                if x + 1 < width { m = min(m, values[y * width + x + 1]) }
                rows.values[y * width + x] = m
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                var m = rows.values[y * width + x]
                if y > 0 { m = min(m, rows.values[(y - 1) * width + x]) }
                if y + 1 < height { m = min(m, rows.values[(y + 1) * width + x]) }
                out.values[y * width + x] = m
            }
        }
        return out
    }
}
