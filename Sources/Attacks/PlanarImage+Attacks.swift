import Media

extension PlanarImage {
    /// The same colour model and metadata with new pixels.
    func replacing(width: Int, height: Int, planes: [[Float]]) -> PlanarImage {
        PlanarImage(width: width, height: height, colorModel: colorModel, planes: planes, metadata: metadata)
    }

    /// The image with `transform` applied to each colour plane; alpha is kept as it is.
    /// `transform` writes `pixelCount` samples from its input pointer to its output pointer.
    func mappingColorPlanes(
        _ transform: (_ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>) -> Void
    ) -> PlanarImage {
        var result = self
        for index in 0..<colorModel.colorChannelCount {
            result.planes[index] = planes[index].withUnsafeBufferPointer { input in
                [Float](unsafeUninitializedCapacity: input.count) { output, initialized in
                    transform(input, output)
                    initialized = input.count
                }
            }
        }
        return result
    }
}

/// A plane of `count` samples, written by `fill` into uninitialised memory (no zeroing pass).
func makePlane(count: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        fill(buffer)
        initialized = count
    }
}
