import Foundation
import Media

/// The detector's view of an image: luma reduced so that the short side is about
/// ``targetShortSide`` pixels (the mark's chips are then ≥ 2 px whatever the input size), then
/// whitened.
enum WorkingImage {
    static let targetShortSide = 256

    /// The luma at working size. Inputs already at or below the target are used as they are.
    static func luma(of image: PlanarImage) -> Plane {
        reduced(Luminance.plane(of: image))
    }

    static func reduced(_ luma: Plane) -> Plane {
        let shortSide = min(luma.width, luma.height)
        guard shortSide > targetShortSide else { return luma }
        let scale = Double(targetShortSide) / Double(shortSide)
        let width = max(1, Int((Double(luma.width) * scale).rounded()))
        let height = max(1, Int((Double(luma.height) * scale).rounded()))
        return luma.areaDownscaled(toWidth: width, height: height)
    }

    /// Removes the host's local mean (its low frequencies carry most of its power and none of the
    /// mark's) and divides by the local RMS of what is left, so that texture and flat regions
    /// contribute equally reliable samples. Constant areas (filled corners after a rotation,
    /// letterboxing) come out as exactly 0 and are reported invalid.
    /// - Returns: the whitened plane and a validity mask (1 valid, 0 not).
    static func whitened(_ luma: Plane) -> (values: Plane, valid: [UInt8]) {
        let mean = luma.boxMean(radius: 2)
        var residual = luma
        var squares = luma
        for i in 0..<luma.count {
            let d = luma.values[i] - mean.values[i]
            residual.values[i] = d
            squares.values[i] = d * d
        }
        let localEnergy = squares.boxMean(radius: 3)
        var valid = [UInt8](repeating: 0, count: luma.count)
        // Below ~1/4 of an 8-bit step of RMS there is no texture and no mark left to read.
        let silence: Float = (0.25 / 255) * (0.25 / 255)
        let floor: Float = (1.0 / 255) * (1.0 / 255)
        for i in 0..<luma.count {
            let e = localEnergy.values[i]
            if e > silence {
                // Matched-filter weight: the embedder's budget grows like (1 + activity/onset)^0.8
                // while the host residual grows like the activity, so the mark-to-noise ratio of a
                // pixel is predictable from the image alone (never from the key). The exponent ½
                // measured best on the corpus (0.3 … 1.0 tried).
                let weight = (1 + e.squareRoot() * 255).squareRoot()
                residual.values[i] *= weight / (e + floor)
                valid[i] = 1
            } else {
                residual.values[i] = 0
            }
        }
        return (residual, valid)
    }
}
