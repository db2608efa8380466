import Media

/// Objective quality of a marked image against its original.
public enum ImageQuality {
    /// PSNR in dB over the colour planes (alpha excluded), peak 1.
    public static func psnr(_ original: PlanarImage, _ marked: PlanarImage) -> Double {
        precondition(original.width == marked.width && original.height == marked.height)
        let channels = min(original.colorModel.colorChannelCount, marked.colorModel.colorChannelCount)
        var sum = 0.0
        for c in 0..<channels {
            let a = original.planes[c], b = marked.planes[c]
            var planeSum: Float = 0
            for i in 0..<a.count { let d = a[i] - b[i]; planeSum += d * d }
            sum += Double(planeSum)
        }
        let mse = sum / Double(channels * original.pixelCount)
        return mse == 0 ? .infinity : -10 * log10(mse)
    }

    /// Mean SSIM of the luma (Wang et al. 2004) with a 9×9 box window, K1 = 0.01, K2 = 0.03.
    public static func ssim(_ original: PlanarImage, _ marked: PlanarImage) -> Double {
        ssim(Luminance.plane(of: original), Luminance.plane(of: marked))
    }

    static func ssim(_ x: Plane, _ y: Plane) -> Double {
        let radius = 4
        let c1: Float = 0.01 * 0.01, c2: Float = 0.03 * 0.03
        var xx = x, yy = y, xy = x
        for i in 0..<x.count {
            xx.values[i] = x.values[i] * x.values[i]
            yy.values[i] = y.values[i] * y.values[i]
            xy.values[i] = x.values[i] * y.values[i]
        }
        let mx = x.boxMean(radius: radius), my = y.boxMean(radius: radius)
        let sxx = xx.boxMean(radius: radius), syy = yy.boxMean(radius: radius), sxy = xy.boxMean(radius: radius)
        var total = 0.0
        for i in 0..<x.count {
            let mux = mx.values[i], muy = my.values[i]
            let vx = sxx.values[i] - mux * mux, vy = syy.values[i] - muy * muy, cov = sxy.values[i] - mux * muy
            let s = ((2 * mux * muy + c1) * (2 * cov + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2))
            total += Double(s)
        }
        return total / Double(x.count)
    }
}

import Foundation
