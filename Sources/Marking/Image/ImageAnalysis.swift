import Media
import Spectral

/// The key-independent part of detection: the working image, its autocorrelation lattice
/// candidates and the image folded on each of them (with the folds' spectra). Computing it once
/// and testing several keys against it costs one analysis plus a few small FFTs per key — what a
/// scan with rotated keys, or a false-positive calibration over many random keys, needs.
public struct ImageAnalysis: Sendable {
    struct FoldedCandidate: Sendable {
        var lattice: TileLattice
        var fold: [Float]
        var spectrum: [ComplexFloat]
        var norm: Double
    }

    let candidates: [FoldedCandidate]
    /// Working-image pixels per input pixel.
    let toInputScale: Double
    /// Where the working image's origin lies in the input, pixels: the uniform border around the
    /// picture (letterbox, square padding) is not analysed.
    let contentOrigin: SIMD2<Double>

    /// Lattice candidates taken from the autocorrelation search.
    static let latticeCandidates = 8

    /// Analyses `image` (any size; colour or gray; only luma is used).
    /// - Complexity: O(pixels) to reduce the image, then about O(n log n) on a ~256-px working image.
    /// A uniform border (letterbox, padding to a square) is stripped first, so that the picture,
    /// not the canvas, is brought to the working size.
    public init(_ image: PlanarImage) {
        let content = image.contentBounds()
        let picture = content.width >= ImageMarker.minimumShortSide && content.height >= ImageMarker.minimumShortSide
            ? content : PixelRect(x: 0, y: 0, width: image.width, height: image.height)
        let working = WorkingImage.reduced(Luminance.plane(of: image.cropped(to: picture)))
        self.init(working: working, toInputScale: Double(working.width) / Double(picture.width),
                  contentOrigin: SIMD2(Double(picture.x), Double(picture.y)))
    }

    init(working: Plane, toInputScale: Double, contentOrigin: SIMD2<Double> = .zero) {
        self.toInputScale = toInputScale
        self.contentOrigin = contentOrigin
        guard min(working.width, working.height) >= 2 * Int(LatticeSync.minimumPeriod) else {
            candidates = []
            return
        }
        let (whitened, valid) = WorkingImage.whitened(working)
        let fft = RealFFT.shared(shape: [TileLayout.foldSize, TileLayout.foldSize])
        candidates = LatticeSync.candidates(whitened: whitened, count: Self.latticeCandidates).map { candidate in
            let fold = TileFold.fold(whitened, valid: valid, lattice: candidate.lattice)
            let norm = max(Double(fold.reduce(0) { $0 + $1 * $1 }).squareRoot(), 1e-12)
            return FoldedCandidate(lattice: candidate.lattice, fold: fold, spectrum: fft.forward(fold), norm: norm)
        }
    }
}
