import Tracemark

/// Plain area (box) resampling for building the corpus: good enough for making test images.
enum Resample {
    /// The image's colour planes as RGB (gray repeated, alpha dropped).
    static func rgb(_ image: PlanarImage) -> PlanarImage {
        let planes: [[Float]] = image.colorModel.colorChannelCount >= 3
            ? Array(image.planes.prefix(3)) : Array(repeating: image.planes[0], count: 3)
        return PlanarImage(width: image.width, height: image.height, colorModel: .rgb, planes: planes)
    }

    static func area(_ image: PlanarImage, width: Int, height: Int) -> PlanarImage {
        precondition(width <= image.width && height <= image.height, "area resampling only reduces")
        return area(image, x: 0, y: 0, cropWidth: image.width, cropHeight: image.height, width: width, height: height)
    }

    static func area(_ image: PlanarImage, x: Int, y: Int, cropSide: Int, to side: Int) -> PlanarImage {
        area(image, x: x, y: y, cropWidth: cropSide, cropHeight: cropSide, width: side, height: side)
    }

    /// Averages, for each output pixel, the source pixels whose centres fall in its footprint
    /// (at least the nearest one, so upscaling degrades to nearest neighbour).
    private static func area(_ image: PlanarImage, x: Int, y: Int, cropWidth: Int, cropHeight: Int,
                             width: Int, height: Int) -> PlanarImage {
        let fx = Double(cropWidth) / Double(width), fy = Double(cropHeight) / Double(height)
        let xs = (0...width).map { x + min(cropWidth, Int((Double($0) * fx).rounded())) }
        let ys = (0...height).map { y + min(cropHeight, Int((Double($0) * fy).rounded())) }
        let planes = image.planes.map { plane -> [Float] in
            var out = [Float](repeating: 0, count: width * height)
            for oy in 0..<height {
                let y0 = ys[oy], y1 = max(ys[oy + 1], y0 + 1)
                for ox in 0..<width {
                    let x0 = xs[ox], x1 = max(xs[ox + 1], x0 + 1)
                    var sum: Float = 0
                    for sy in y0..<y1 {
                        let row = sy * image.width
                        for sx in x0..<x1 { sum += plane[row + sx] }
                    }
                    out[oy * width + ox] = sum / Float((y1 - y0) * (x1 - x0))
                }
            }
            return out
        }
        return PlanarImage(width: width, height: height, colorModel: image.colorModel, planes: planes)
    }
}
