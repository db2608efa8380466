/// A rectangle of whole pixels inside an image.
public struct PixelRect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

extension PlanarImage {
    /// The rectangle at `(x, y)` of `width × height` pixels, which must lie inside the image.
    /// - Complexity: O(width · height · planes), one row copy at a time.
    public func cropped(to rect: PixelRect) -> PlanarImage {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.width > 0 && rect.height > 0
                     && rect.x + rect.width <= width && rect.y + rect.height <= height, "crop outside the image")
        if rect.width == width && rect.height == height { return self }
        let planes = planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                [Float](unsafeUninitializedCapacity: rect.width * rect.height) { output, initialized in
                    for row in 0..<rect.height {
                        let from = input.baseAddress! + (rect.y + row) * width + rect.x
                        (output.baseAddress! + row * rect.width).update(from: from, count: rect.width)
                    }
                    initialized = rect.width * rect.height
                }
            }
        }
        return PlanarImage(width: rect.width, height: rect.height, colorModel: colorModel, planes: planes, metadata: metadata)
    }

    /// The rectangle of the picture inside the uniform border a letterbox, pillarbox or square "border" resize adds
    /// (img2dataset's default resize pads to a square): from each side, edge rows (columns) are
    /// stripped while everything stripped on that side so far is one colour — each colour plane
    /// within `tolerance` over all of it. A detector that scales the image by its short side must
    /// scale the picture, not the canvas: a 16:9 photo padded to a square otherwise loses 44 % of
    /// its resolution to padding. Requiring one colour per side, not merely flat rows, keeps a
    /// smooth gradient (a sky, a wallpaper) from being taken for padding.
    ///
    /// Alpha is ignored. An image that is uniform everywhere is returned whole.
    /// - Parameter tolerance: the largest range (max − min) of a padding band, on the 0…1 scale;
    ///   JPEG leaves a flat border within a level or two, and ringing next to the picture keeps
    ///   those few rows as picture, which costs nothing.
    /// - Complexity: O(pixels in the stripped border + one row or column of the picture per side).
    public func contentBounds(tolerance: Float = 2.5 / 255) -> PixelRect {
        let colorPlanes = Array(planes.prefix(colorModel.colorChannelCount))
        let whole = PixelRect(x: 0, y: 0, width: width, height: height)

        /// Strips lines from one side while the band stays one colour; returns how many.
        /// `sample(line, k, plane)` reads the k-th sample of a line (rows or columns), `limit` is
        /// the number of lines available on that side and `length` the samples per line.
        func strip(limit: Int, length: Int, _ sample: (_ line: Int, _ k: Int, _ plane: [Float]) -> Float) -> Int {
            var low = [Float](repeating: .infinity, count: colorPlanes.count)
            var high = [Float](repeating: -.infinity, count: colorPlanes.count)
            var stripped = 0
            while stripped < limit {
                for (p, plane) in colorPlanes.enumerated() {
                    var l = low[p], h = high[p]
                    for k in 0..<length {
                        let v = sample(stripped, k, plane)
                        l = min(l, v); h = max(h, v)
                    }
                    guard h - l <= tolerance else { return stripped }
                    low[p] = l; high[p] = h
                }
                stripped += 1
            }
            return stripped
        }
        let w = width
        let top = strip(limit: height, length: width) { line, k, plane in plane[line * w + k] }
        guard top < height else { return whole }
        let bottom = height - strip(limit: height - top, length: width) { line, k, plane in plane[(height - 1 - line) * w + k] }
        // Empty when the rows below `top` are one colour too (an image of two flat bands): whole.
        let left = strip(limit: width, length: bottom - top) { line, k, plane in plane[(top + k) * w + line] }
        guard left < width else { return whole }
        let right = width - strip(limit: width - left, length: bottom - top) { line, k, plane in plane[(top + k) * w + width - 1 - line] }
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}
