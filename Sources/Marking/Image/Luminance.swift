import Media

/// BT.601 luma, the Y that JPEG encodes: the mark lives here so that chroma subsampling cannot
/// touch it.
enum Luminance {
    static let weights: (r: Float, g: Float, b: Float) = (0.299, 0.587, 0.114)

    /// The luma plane of an image (the gray plane itself for gray images).
    static func plane(of image: PlanarImage) -> Plane {
        switch image.colorModel {
        case .gray, .grayAlpha:
            return Plane(width: image.width, height: image.height, values: image.planes[0])
        case .rgb, .rgba:
            var y = [Float](repeating: 0, count: image.pixelCount)
            image.planes[0].withUnsafeBufferPointer { r in
                image.planes[1].withUnsafeBufferPointer { g in
                    image.planes[2].withUnsafeBufferPointer { b in
                        y.withUnsafeMutableBufferPointer { out in
                            for i in 0..<out.count {
                                out[i] = weights.r * r[i] + weights.g * g[i] + weights.b * b[i]
                            }
                        }
                    }
                }
            }
            return Plane(width: image.width, height: image.height, values: y)
        }
    }

    /// The luma ``add(_:to:)`` would leave, without changing `image`: the same clipping per colour
    /// plane and the same weighted sum as ``plane(of:)``, so the two agree to the bit.
    static func planeAfterAdding(_ delta: Plane, to image: PlanarImage) -> Plane {
        precondition(delta.width == image.width && delta.height == image.height)
        func clipped(_ plane: Int, _ i: Int) -> Float { min(1, max(0, image.planes[plane][i] + delta.values[i])) }
        switch image.colorModel {
        case .gray, .grayAlpha:
            return Plane(width: image.width, height: image.height, values: (0..<image.pixelCount).map { clipped(0, $0) })
        case .rgb, .rgba:
            var y = [Float](repeating: 0, count: image.pixelCount)
            image.planes[0].withUnsafeBufferPointer { r in
                image.planes[1].withUnsafeBufferPointer { g in
                    image.planes[2].withUnsafeBufferPointer { b in
                        delta.values.withUnsafeBufferPointer { d in
                            for i in 0..<y.count {
                                let cr = min(1, max(0, r[i] + d[i])), cg = min(1, max(0, g[i] + d[i]))
                                let cb = min(1, max(0, b[i] + d[i]))
                                y[i] = weights.r * cr + weights.g * cg + weights.b * cb
                            }
                        }
                    }
                }
            }
            return Plane(width: image.width, height: image.height, values: y)
        }
    }

    /// Adds `delta` to every colour plane (which adds exactly `delta` to luma and leaves Cb, Cr
    /// unchanged), clipping to `0...1`. Alpha is untouched.
    /// - Returns: the sum of squared changes over the colour planes (after clipping), for PSNR.
    @discardableResult
    static func add(_ delta: Plane, to image: inout PlanarImage) -> Double {
        precondition(delta.width == image.width && delta.height == image.height)
        var squared = 0.0
        for c in 0..<image.colorModel.colorChannelCount {
            image.planes[c].withUnsafeMutableBufferPointer { plane in
                delta.values.withUnsafeBufferPointer { d in
                    var planeSum: Float = 0
                    for i in 0..<plane.count {
                        let old = plane[i]
                        plane[i] = min(1, max(0, old + d[i]))
                        let change = plane[i] - old
                        planeSum += change * change
                    }
                    squared += Double(planeSum)
                }
            }
        }
        return squared
    }
}
