import Foundation

/// How much mark each pixel can hide, in absolute luma units (0…1 scale): a small fixed amount
/// where the image is flat, rising with local texture — contrast masking, where a visible pattern
/// needs more contrast the busier its background (Legge & Foley 1980; Watson 1993). Activity is the
/// local RMS of the luma's detail at the chip's scale.
///
/// The budget is absolute on purpose: a mark scaled only relative to an image's own median texture
/// puts full strength into the sky of an image that is mostly sky, where low-frequency mottling
/// shows. With an absolute budget a flat image gets a weaker mark (higher PSNR) and stays clean.
enum PerceptualMask {
    /// Amplitude allowed in a perfectly flat region: well under one 8-bit step at the mark's low
    /// spatial frequencies.
    static let flatAmplitude: Float = 0.7 / 255
    /// Texture RMS at which masking starts to raise the budget.
    static let maskingOnset: Float = 1.0 / 255
    /// Growth of the budget with texture: amplitude ∝ activity^exponent above the onset.
    static let exponent: Float = 0.8

    static func budget(luma: Plane, chipSize: Double) -> Plane {
        let detailRadius = max(1, Int((chipSize / 4).rounded()))
        let areaRadius = max(2, Int(chipSize.rounded()))
        let smooth = luma.boxMean(radius: detailRadius)
        var energy = luma
        for i in 0..<energy.count {
            let d = luma.values[i] - smooth.values[i]
            energy.values[i] = d * d
        }
        var budget = energy.boxMean(radius: areaRadius)
        for i in 0..<budget.count {
            let activity = max(0, budget.values[i]).squareRoot()
            budget.values[i] = flatAmplitude * exp(exponent * log(1 + activity / maskingOnset))
        }
        return budget
    }
}
