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

    /// The whitening radius for chips of `chipSize` working pixels: the local mean and the local
    /// energy are taken over (2r+1)² pixels. Chips are 2 px at the working size unless a crop
    /// enlarged them (a quarter of the area: 4 px; 15 % of a 16:10 frame: 5 px) or the image
    /// arrived below the working size (a quarter-size copy of a 512-px image: 1 px); a window
    /// matched to the chip keeps more of the mark where chips are large and more of the host's
    /// texture out where they are small (docs/image-mark.md, "Detection" 2).
    static func whiteningRadius(chipSize: Double) -> Int {
        chipSize < 1.5 ? 1 : chipSize < 3 ? 2 : chipSize < 4.5 ? 3 : 4
    }

    /// The radius the synchronisation search whitens with, before any chip size is known: the
    /// working size's own 2-px chips.
    static let searchRadius = 2

    /// Removes the host's local mean (its low frequencies carry most of its power and none of the
    /// mark's) and divides by the local RMS of what is left, so that texture and flat regions
    /// contribute equally reliable samples. Constant areas (filled corners after a rotation,
    /// letterboxing) come out as exactly 0 and are reported invalid.
    /// - Parameter radius: the half-width of both windows, ``whiteningRadius(chipSize:)``.
    /// - Returns: the whitened plane and a validity mask (1 valid, 0 not).
    static func whitened(_ luma: Plane, radius: Int) -> (values: Plane, valid: [UInt8]) {
        let mean = luma.boxMean(radius: radius)
        var residual = luma
        var squares = luma
        let n = luma.count
        // Raw pointers, as in ``Plane/boxMean(radius:)``: the loops vectorise.
        luma.values.withUnsafeBufferPointer { l in
            mean.values.withUnsafeBufferPointer { m in
                residual.values.withUnsafeMutableBufferPointer { r in
                    squares.values.withUnsafeMutableBufferPointer { q in
                        guard let l = l.baseAddress, let m = m.baseAddress, let r = r.baseAddress, let q = q.baseAddress else { return }
                        for i in 0..<n {
                            let d = l[i] - m[i]
                            r[i] = d
                            q[i] = d * d
                        }
                    }
                }
            }
        }
        let localEnergy = squares.boxMean(radius: radius)
        var valid = [UInt8](repeating: 0, count: n)
        // Below ~1/4 of an 8-bit step of RMS there is no texture and no mark left to read.
        let silence: Float = (0.25 / 255) * (0.25 / 255)
        let floor: Float = (1.0 / 255) * (1.0 / 255)
        localEnergy.values.withUnsafeBufferPointer { energy in
            residual.values.withUnsafeMutableBufferPointer { r in
                valid.withUnsafeMutableBufferPointer { v in
                    guard let energy = energy.baseAddress, let r = r.baseAddress, let v = v.baseAddress else { return }
                    for i in 0..<n {
                        let e = energy[i]
                        // Matched-filter weight: the embedder's budget grows like
                        // (1 + activity/onset)^0.8 while the host residual grows like the
                        // activity, so the mark-to-noise ratio of a pixel is predictable from the
                        // image alone (never from the key). The exponent ½ measured best on the
                        // corpus (0.3 … 1.0 tried).
                        let weight = (1 + e.squareRoot() * 255).squareRoot()
                        let live = e > silence
                        r[i] = live ? r[i] * weight / (e + floor) : 0
                        v[i] = live ? 1 : 0
                    }
                }
            }
        }
        return (residual, valid)
    }
}
