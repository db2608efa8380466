import Media

/// The mark made visible: the luma difference between two images, amplified around mid-gray.
public enum ResidualImage {
    /// - Parameter gain: amplification; `nil` picks one that maps ±4 standard deviations of the
    ///   residual to the full range.
    public static func amplifiedLumaDifference(_ original: PlanarImage, _ marked: PlanarImage,
                                               gain: Double? = nil) -> (image: PlanarImage, gain: Double) {
        precondition(original.width == marked.width && original.height == marked.height)
        let a = Luminance.plane(of: original), b = Luminance.plane(of: marked)
        var residual = [Float](repeating: 0, count: a.count)
        var energy = 0.0
        for i in 0..<a.count {
            residual[i] = b.values[i] - a.values[i]
            energy += Double(residual[i] * residual[i])
        }
        let sigma = (energy / Double(max(1, a.count))).squareRoot()
        let g = gain ?? (sigma > 0 ? 0.5 / (4 * sigma) : 1)
        let plane = residual.map { min(1, max(0, 0.5 + Float(g) * $0)) }
        return (PlanarImage(width: a.width, height: a.height, colorModel: .gray, planes: [plane]), g)
    }
}
