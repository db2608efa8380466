import Media

/// The pipeline the issue names first — short side to 256 px, centre crop 256 × 256, JPEG 75 —
/// played on a marked image's luma before the image is written, so that the embedder learns how
/// much of its mark such a pipeline would leave (closed-loop embedding).
///
/// The original is reduced once. A trial mark is rendered directly at the reduced size
/// (``MarkField/render(chips:columns:rows:chipSize:budget:)`` at ``columns`` × ``rows``) and
/// read on its known lattice, so a trial costs the JPEG model on 256² samples, one fold and a
/// decode — about 2 ms whatever the input's size.
struct ChainRehearsal {
    static let shortSide = 256
    static let quality = 75

    /// Where the reduced image's pixel centres fall in the input, pixels.
    let columns: [Double], rows: [Double]
    /// The centred square the crop keeps, in reduced pixels.
    private let square: PixelRect
    private let reducedOriginal: Plane
    /// The mark's tile period vectors at the reduced size: the pipeline only scales and crops, so
    /// the rehearsal folds on them directly instead of searching (the search is what the harness
    /// measures; here it would cost most of a trial).
    private let lattice: TileLattice
    private let jpeg = JPEGLumaModel(quality: Self.quality)

    init(luma: Plane, chipSize: Double) {
        // As the detector reduces (``WorkingImage/reduced(_:)``); no upscale below 256 px.
        let reduced = WorkingImage.reduced(luma)
        let stepX = Double(luma.width) / Double(reduced.width), stepY = Double(luma.height) / Double(reduced.height)
        columns = (0..<reduced.width).map { (Double($0) + 0.5) * stepX - 0.5 }
        rows = (0..<reduced.height).map { (Double($0) + 0.5) * stepY - 0.5 }
        let side = min(reduced.width, reduced.height)
        square = PixelRect(x: (reduced.width - side) / 2, y: (reduced.height - side) / 2, width: side, height: side)
        reducedOriginal = reduced.cropped(to: square)
        let period = Double(TileLayout.chipsPerSide) * chipSize
        lattice = TileLattice(v1: SIMD2(period / stepX, 0), v2: SIMD2(0, period / stepY))
    }

    /// What `detector` reads after the pipeline from the original plus a mark given at the
    /// reduced size (``columns`` × ``rows``).
    func read(reducedDelta: Plane, detector: ImageDetector) -> ImageDetection {
        let delta = reducedDelta.cropped(to: square)
        var marked = reducedOriginal
        for i in 0..<marked.count { marked.values[i] = min(1, max(0, marked.values[i] + delta.values[i])) }
        let decoded = jpeg.apply(to: marked)
        return detector.detect(ImageAnalysis(working: decoded, knownLattice: lattice))
    }
}
