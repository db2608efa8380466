import Media

/// Crops and mirrors: attacks that move pixels without resampling them.
enum ImageGeometry {
    /// A rectangle holding `area` of the pixels, with the image's aspect ratio, at a random
    /// position. Sides are `round(w·√area) × round(h·√area)`, at least 1.
    /// - Complexity: O(pixels kept).
    static func randomCrop(_ image: PlanarImage, area: Double, random: inout AttackRandom) -> PlanarImage {
        let side = area.squareRoot()
        let width = min(image.width, max(1, Int((Double(image.width) * side).rounded())))
        let height = min(image.height, max(1, Int((Double(image.height) * side).rounded())))
        let x = random.nextInt(through: image.width - width)
        let y = random.nextInt(through: image.height - height)
        return crop(image, x: x, y: y, width: width, height: height)
    }

    /// The centred `width × height` rectangle; a side larger than the image keeps the image's
    /// side. When the margin is odd the extra pixel is cut on the right or bottom.
    static func centerCrop(_ image: PlanarImage, width: Int, height: Int) -> PlanarImage {
        let width = min(width, image.width), height = min(height, image.height)
        return crop(image, x: (image.width - width) / 2, y: (image.height - height) / 2, width: width, height: height)
    }

    /// The rectangle at `(x, y)` of `width × height` pixels, which must lie inside the image.
    static func crop(_ image: PlanarImage, x: Int, y: Int, width: Int, height: Int) -> PlanarImage {
        image.cropped(to: PixelRect(x: x, y: y, width: width, height: height))
    }

    /// The image centred on a `width × height` canvas (at least its own size) of white, opaque
    /// where there is alpha. When the margin is odd the extra pixel goes to the right or bottom.
    /// - Complexity: O(width · height · planes).
    static func padded(_ image: PlanarImage, toWidth width: Int, height: Int) -> PlanarImage {
        precondition(width >= image.width && height >= image.height, "padding cannot shrink the image")
        if width == image.width && height == image.height { return image }
        let white = image.replacing(width: width, height: height,
                                    planes: image.planes.map { _ in [Float](repeating: 1, count: width * height) })
        return pasted(image, centredOn: white)
    }

    /// The image centred on a `width × height` canvas (at least its own size) whose margins repeat
    /// the nearest edge pixel (`edge` padding); the extra pixel of an odd margin goes to the right
    /// or bottom.
    /// - Complexity: O(width · height · planes).
    static func paddedByEdges(_ image: PlanarImage, toWidth width: Int, height: Int) -> PlanarImage {
        precondition(width >= image.width && height >= image.height, "padding cannot shrink the image")
        if width == image.width && height == image.height { return image }
        let x0 = (width - image.width) / 2, y0 = (height - image.height) / 2
        let columns = (0..<width).map { min(max($0 - x0, 0), image.width - 1) }
        let planes = image.planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                makePlane(count: width * height) { output in
                    for y in 0..<height {
                        let source = input.baseAddress! + min(max(y - y0, 0), image.height - 1) * image.width
                        let target = output.baseAddress! + y * width
                        for x in 0..<width { target[x] = source[columns[x]] }
                    }
                }
            }
        }
        return image.replacing(width: width, height: height, planes: planes)
    }

    /// `image` centred on `background` (at least its size), which it replaces where it lies; the
    /// extra pixel of an odd margin goes to the right or bottom. Planes beyond the background's
    /// are not added.
    /// - Complexity: O(background pixels · planes).
    static func pasted(_ image: PlanarImage, centredOn background: PlanarImage) -> PlanarImage {
        precondition(background.width >= image.width && background.height >= image.height, "the picture must fit")
        let x0 = (background.width - image.width) / 2, y0 = (background.height - image.height) / 2
        var out = background
        for (index, plane) in image.planes.enumerated() where index < out.planes.count {
            plane.withUnsafeBufferPointer { input in
                out.planes[index].withUnsafeMutableBufferPointer { output in
                    for row in 0..<image.height {
                        (output.baseAddress! + (y0 + row) * background.width + x0)
                            .update(from: input.baseAddress! + row * image.width, count: image.width)
                    }
                }
            }
        }
        return out
    }

    /// Left and right swapped.
    /// - Complexity: O(pixels · planes).
    static func flipHorizontally(_ image: PlanarImage) -> PlanarImage {
        let width = image.width
        let planes = image.planes.map { plane in
            plane.withUnsafeBufferPointer { input in
                makePlane(count: plane.count) { output in
                    for row in 0..<image.height {
                        let from = input.baseAddress! + row * width
                        let to = output.baseAddress! + row * width
                        for x in 0..<width { to[x] = from[width - 1 - x] }
                    }
                }
            }
        }
        return image.replacing(width: width, height: image.height, planes: planes)
    }
}
