/// How much mark each pixel can hide: local activity of the luma at the chip's scale, relative to
/// the image's typical activity. Texture and edges take more, flat regions (sky, walls) little —
/// the masking that lets the mark be strong where it is robust and weak where the eye would see
/// it (cf. Watson 1993 on contrast masking; here a cheap spatial proxy).
enum PerceptualMask {
    /// Weights relative to the median activity, compressed and bounded.
    static let floor: Float = 0.15
    static let ceiling: Float = 3.0
    static let exponent: Float = 0.5

    static func weights(luma: Plane, chipSize: Double) -> Plane {
        let detailRadius = max(1, Int((chipSize / 4).rounded()))
        let areaRadius = max(2, Int(chipSize.rounded()))
        let smooth = luma.boxMean(radius: detailRadius)
        var energy = luma
        for i in 0..<energy.count {
            let d = luma.values[i] - smooth.values[i]
            energy.values[i] = d * d
        }
        var activity = energy.boxMean(radius: areaRadius)
        for i in 0..<activity.count { activity.values[i] = activity.values[i].squareRoot() }
        let typical = max(sampledMedian(activity.values), 1e-4)
        for i in 0..<activity.count {
            let relative = min(ceiling, max(floor, activity.values[i] / typical))
            activity.values[i] = Self.power(relative)
        }
        return activity
    }

    @inline(__always)
    private static func power(_ x: Float) -> Float { exp(exponent * log(x)) }

    /// The median of at most ~65 000 evenly spaced samples: exact enough for a normalisation.
    static func sampledMedian(_ values: [Float]) -> Float {
        let step = max(1, values.count / 65_536)
        var sample = stride(from: 0, to: values.count, by: step).map { values[$0] }
        sample.sort()
        return sample[sample.count / 2]
    }
}

import Foundation
