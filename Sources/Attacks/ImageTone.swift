import Foundation
import Media

/// Attacks on sample values, pixel by pixel: noise, brightness, contrast, gamma. They change the
/// colour planes only; alpha (coverage) is kept. Results are clipped to `0...1`, as a file
/// writer would.
enum ImageTone {
    /// Gaussian noise of standard deviation `sigma` (in `0...1` units) added to every colour
    /// sample independently, then clipped. Planes draw from one stream in order.
    /// - Complexity: O(pixels · colour planes), one Box–Muller pair per two samples.
    static func addGaussianNoise(_ image: PlanarImage, sigma: Float, random: inout AttackRandom) -> PlanarImage {
        guard sigma > 0 else { return image }
        return image.mappingColorPlanes { input, output in
            for i in input.indices {
                let noisy = input[i] + sigma * Float(random.nextGaussian())
                output[i] = min(max(noisy, 0), 1)
            }
        }
    }

    /// `x · factor`, clipped.
    static func brightness(_ image: PlanarImage, factor: Float) -> PlanarImage {
        image.mappingColorPlanes { input, output in
            for i in input.indices { output[i] = min(max(input[i] * factor, 0), 1) }
        }
    }

    /// `(x − mean) · factor + mean`, the mean taken over each plane, clipped.
    static func contrast(_ image: PlanarImage, factor: Float) -> PlanarImage {
        image.mappingColorPlanes { input, output in
            var total = 0.0
            for value in input { total += Double(value) }
            let mean = Float(total / Double(input.count))
            for i in input.indices { output[i] = min(max((input[i] - mean) * factor + mean, 0), 1) }
        }
    }

    /// `x^γ` (on samples clamped to `0...1` first, so the power is always defined).
    static func gamma(_ image: PlanarImage, gamma: Float) -> PlanarImage {
        image.mappingColorPlanes { input, output in
            for i in input.indices { output[i] = powf(min(max(input[i], 0), 1), gamma) }
        }
    }
}
