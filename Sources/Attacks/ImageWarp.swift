import Foundation
import Media

/// Rotation, shear and keystone about the image centre with bicubic interpolation, on the same
/// canvas.
///
/// Every output pixel is mapped back to the input (inverse mapping, so there are no holes) and
/// interpolated there with Keys' cubic convolution kernel, a = −0.5 (Keys, "Cubic convolution
/// interpolation for digital image processing", IEEE Trans. ASSP 29(6), 1981), the "bicubic" of
/// PIL, OpenCV and libvips. The kernel is interpolating (1 at 0, 0 at the other integers), so at
/// multiples of 90° — whose sine and cosine are taken exactly — a rotation is an exact
/// permutation of the pixels. Output pixels whose source lies outside the input are 0 (black,
/// and transparent if there is alpha). Samples are clamped to `0...1`, as the cubic overshoots at
/// sharp edges.
///
/// ```
///   canvas w × h                      cropToValid: the largest centred rectangle of the
///   ┌────────────────┐                original aspect inside the rotated picture
///   │▓▓▓/‾‾‾‾‾‾‾‾‾‾‾‾│                ┌────────────────┐
///   │▓ /   rotated   │                │   ┌────────┐   │
///   │ /    picture   /                │   │ kept   │   │
///   │/_____________/▓│                │   └────────┘   │
///   └────────────────┘  ▓ = black     └────────────────┘
/// ```
enum ImageWarp {
    /// `image` rotated counter-clockwise by `degrees` about its centre.
    /// - Complexity: O(pixels · planes · 16); row bands run in parallel.
    static func rotate(_ image: PlanarImage, degrees: Double, cropToValid: Bool) -> PlanarImage {
        let (sine, cosine) = exactSineCosine(degrees: degrees)
        var frame = (x: 0, y: 0, width: image.width, height: image.height)
        if cropToValid {
            frame = validRectangle(width: image.width, height: image.height, sine: sine, cosine: cosine)
        }
        // With y pointing down, turning the picture counter-clockwise by θ takes a source offset
        // `(u, v)` from the centre to `(u cos θ + v sin θ, −u sin θ + v cos θ)`, so output offset
        // `(dx, dy)` reads the source at `(dx cos θ − dy sin θ, dx sin θ + dy cos θ)`.
        return warped(image, frame: frame) { dx, dy in SIMD2(dx * cosine - dy * sine, dx * sine + dy * cosine) }
    }

    /// `image` sheared horizontally by `degrees` about its centre: each row moves sideways by
    /// tan(degrees) times its distance below the centre (rows below move right for a positive
    /// angle), so verticals lean and horizontals stay; same canvas, uncovered corners black.
    /// What a document scanner's or a phone's skew correction, or an affine augmentation, does.
    /// - Complexity: O(pixels · planes · 16); row bands run in parallel.
    static func shear(_ image: PlanarImage, degrees: Double) -> PlanarImage {
        let slope = tan(degrees * Double.pi / 180)
        return warped(image) { dx, dy in SIMD2(dx - slope * dy, dy) }
    }

    /// `image` squeezed into a trapezoid whose top edge is narrower by `fraction` of the width on
    /// each side (the bottom edge and the height kept), uncovered corners black: a picture seen
    /// by a camera tilted back — a photo of a poster, a screen or a page. Each row is scaled
    /// about the vertical centre line, linearly from 1 − 2·fraction at the top to 1 at the bottom.
    /// - Complexity: O(pixels · planes · 16); row bands run in parallel.
    static func keystone(_ image: PlanarImage, fraction: Double) -> PlanarImage {
        let halfHeight = Double(image.height - 1) / 2
        return warped(image) { dx, dy in
            // dy runs from −halfHeight (top) to +halfHeight (bottom).
            let rowScale = 1 - fraction * (1 - dy / max(halfHeight, 1))
            return SIMD2(dx / rowScale, dy)
        }
    }

    /// The largest centred rectangle with the image's aspect ratio that the rotated picture covers.
    ///
    /// A centred `s·w × s·h` rectangle fits inside the picture rotated by θ when its corner
    /// `(s·w/2, s·h/2)`, rotated back, stays within `w/2 × h/2`:
    /// `s ≤ w / (w|cos θ| + h|sin θ|)` and `s ≤ h / (w|sin θ| + h|cos θ|)`. The sides are rounded
    /// down, and down again to the parity of the image's, so that the crop is exactly centred.
    /// (The kept pixels' centres lie half a pixel inside the rectangle, so rounding errors of
    /// 10⁻⁶ pixel cannot bring a corner in.)
    static func validRectangle(width: Int, height: Int, sine: Double, cosine: Double)
        -> (x: Int, y: Int, width: Int, height: Int) {
        let w = Double(width), h = Double(height)
        let c = abs(cosine), s = abs(sine)
        let scale = min(w / (w * c + h * s), h / (w * s + h * c), 1)
        func side(_ full: Int) -> Int {
            var kept = Int((Double(full) * scale + 1e-6).rounded(.down))
            if (full - kept) % 2 != 0 { kept -= 1 }
            return max(1, kept)
        }
        let keptWidth = side(width), keptHeight = side(height)
        return ((width - keptWidth) / 2, (height - keptHeight) / 2, keptWidth, keptHeight)
    }

    /// Sine and cosine of an angle in degrees, exact (0, ±1) at multiples of 90°.
    static func exactSineCosine(degrees: Double) -> (Double, Double) {
        let turned = degrees.truncatingRemainder(dividingBy: 360)
        if turned.truncatingRemainder(dividingBy: 90) == 0 {
            switch (Int(turned) + 360) % 360 {
            case 90: return (1, 0)
            case 180: return (0, -1)
            case 270: return (-1, 0)
            default: return (0, 1)
            }
        }
        let radians = degrees * Double.pi / 180
        return (sin(radians), cos(radians))
    }

    /// Every plane of `image` warped, for the output pixels of `frame` (canvas coordinates; the
    /// whole canvas when nil), the output `frame`-sized.
    private static func warped(_ image: PlanarImage, frame: (x: Int, y: Int, width: Int, height: Int)? = nil,
                               sourceOfOutput: @escaping @Sendable (Double, Double) -> SIMD2<Double>) -> PlanarImage {
        let frame = frame ?? (x: 0, y: 0, width: image.width, height: image.height)
        let planes = image.planes.map { plane in
            warpPlane(plane, width: image.width, height: image.height, frame: frame, sourceOfOutput: sourceOfOutput)
        }
        return image.replacing(width: frame.width, height: frame.height, planes: planes)
    }

    /// One plane warped, for the output pixels of `frame` (canvas coordinates): the output pixel at
    /// offset `(dx, dy)` from the canvas centre reads the source at offset `sourceOfOutput(dx, dy)`.
    private static func warpPlane(_ plane: [Float], width: Int, height: Int,
                                  frame: (x: Int, y: Int, width: Int, height: Int),
                                  sourceOfOutput: @escaping @Sendable (Double, Double) -> SIMD2<Double>) -> [Float] {
        let centerX = Double(width - 1) / 2, centerY = Double(height - 1) / 2
        let maxX = Double(width) - 0.5, maxY = Double(height) - 0.5
        return plane.withUnsafeBufferPointer { input in
            makePlane(count: frame.width * frame.height) { output in
                let source = input.baseAddress!, destination = output.baseAddress!
                forEachBand(count: frame.height) { band in
                    for row in band {
                        let dy = Double(row + frame.y) - centerY
                        let out = destination + row * frame.width
                        for column in 0..<frame.width {
                            let dx = Double(column + frame.x) - centerX
                            let offset = sourceOfOutput(dx, dy)
                            let sx = offset.x + centerX, sy = offset.y + centerY
                            guard sx >= -0.5, sx <= maxX, sy >= -0.5, sy <= maxY else {
                                out[column] = 0
                                continue
                            }
                            out[column] = bicubic(source, width: width, height: height, x: sx, y: sy)
                        }
                    }
                }
            }
        }
    }

    /// The plane interpolated at `(x, y)`, edge samples repeated beyond the border.
    @inline(__always)
    private static func bicubic(_ plane: UnsafePointer<Float>, width: Int, height: Int, x: Double, y: Double) -> Float {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let wx = keysWeights(Float(x - Double(x0)))
        let wy = keysWeights(Float(y - Double(y0)))
        var sum: Float = 0
        for j in 0..<4 {
            let row = plane + min(max(y0 - 1 + j, 0), height - 1) * width
            var rowSum: Float = 0
            for i in 0..<4 {
                rowSum += wx[i] * row[min(max(x0 - 1 + i, 0), width - 1)]
            }
            sum += wy[j] * rowSum
        }
        return min(max(sum, 0), 1)
    }

    /// Keys' kernel (a = −0.5) at offsets `1 + f, f, 1 − f, 2 − f` for the four samples around
    /// fraction `f` in `[0, 1)`; the weights sum to 1.
    @inline(__always)
    static func keysWeights(_ f: Float) -> SIMD4<Float> {
        let f2 = f * f, f3 = f2 * f
        return SIMD4(
            -0.5 * f3 + f2 - 0.5 * f,
            1.5 * f3 - 2.5 * f2 + 1,
            -1.5 * f3 + 2 * f2 + 0.5 * f,
            0.5 * f3 - 0.5 * f2
        )
    }
}
