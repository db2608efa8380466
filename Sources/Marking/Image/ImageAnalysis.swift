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
        /// A squashed lattice (``LatticeSync/smallStretchLimit``) or one of any shape
        /// (``LatticeSync/affineSearch(z:windows:periods:)``): its pilot must win by a margin.
        var handicapped = false
    }

    /// One way of looking at the image: a working image, its lattice candidates and folds.
    struct View: Sendable {
        let candidates: [FoldedCandidate]
        /// Working-image pixels per input pixel.
        let toInputScale: Double
        /// Where the working image's origin lies in the input, pixels.
        let origin: SIMD2<Double>
    }

    /// The whole image, and, when a uniform border surrounds the picture (letterbox, padding to a
    /// square — img2dataset's default resize) or a blurred fill pads it on two sides (social
    /// media's square and 9:16 frames; ``Media/PlanarImage/pictureBounds()``), the picture alone,
    /// brought to the working size by its own short side. Both are read: a product photo on a
    /// plain background is marked to its edges, and stripping its marked background lost it (a
    /// 600² product on a 2400² white canvas: found whole, not alone); a 16:9 photo padded to 512²
    /// is found only alone (19 of 24 corpus images were lost to padding). An image with fully
    /// transparent parts is also read without them (``transparencyFlattened(_:alpha:)``). The
    /// detector charges a factor for the views read.
    let views: [View]

    /// Lattice candidates taken from the autocorrelation search.
    static let latticeCandidates = 8

    /// Analyses `image` (any size; colour or gray; only luma is used).
    /// - Complexity: O(pixels) to reduce the image, then about O(n log n) on a ~256-px working
    ///   image (twice for an image with a border or a fill).
    public init(_ image: PlanarImage) {
        let luma = Luminance.plane(of: image)
        let whole = PixelRect(x: 0, y: 0, width: image.width, height: image.height)
        let content = image.pictureBounds()
        var sources = [(plane: luma, rect: whole)]
        if content != whole, min(content.width, content.height) >= ImageMarker.minimumShortSide {
            sources.append((luma, content))
        }
        if let opaque = Self.transparencyFlattened(luma, alpha: image.alpha) { sources.append((opaque, whole)) }
        views = sources.map { plane, rect in
            let working = WorkingImage.reduced(plane.cropped(to: rect))
            let scale = Double(working.width) / Double(rect.width)
            // The lattice of a mark embedded at exactly this size, unturned: what a re-encode, a
            // filter or a tone change leaves. Offered beside the search's candidates because a
            // host's own periodic structure (text lines of a scanned page) can outscore the mark's
            // peaks in the autocorrelation.
            let period = Double(TileLayout.chipsPerSide) * TileLayout.chipSize(shortSide: min(rect.width, rect.height)) * scale
            return Self.view(working: working, toInputScale: scale, origin: SIMD2(Double(rect.x), Double(rect.y)),
                             prior: TileLattice(period: period, angle: 0))
        }
    }

    /// Fully transparent pixels at least this share of an image get a view without them.
    static let transparentShareForView = 0.01

    /// `luma` with its fully transparent pixels made one flat grey (the whitening then reports
    /// them invalid), when they are at least ``transparentShareForView`` of the image and some
    /// pixels are not; else nil.
    ///
    /// What lies under full transparency is not the picture, and encoders treat it so: libwebp's
    /// lossy mode (unless asked for `exact`) flattens fully transparent blocks to save bits, and
    /// the blocks' edges — a grid of its own — buried the rest of the mark. Half of a marked
    /// photo made transparent, re-saved by PIL as WebP (quality 75 or 90): FPR 0.03 and 0.02,
    /// where the same image composited on white read at 2e-25. The whole image stays a view of
    /// its own: a PNG keeps what is under transparency, mark included (the alpha logo reads at
    /// 2e-30 whole, 2e-16 without its transparent 28 %).
    static func transparencyFlattened(_ luma: Plane, alpha: [Float]?) -> Plane? {
        guard let alpha else { return nil }
        // Fully transparent: alpha 0 of 8 bits (or under half of its step at 16).
        func isTransparent(_ a: Float) -> Bool { a <= 0.5 / 255 }
        let transparent = alpha.reduce(0) { $0 + (isTransparent($1) ? 1 : 0) }
        guard Double(transparent) >= transparentShareForView * Double(alpha.count), transparent < alpha.count else { return nil }
        var flattened = luma
        for i in alpha.indices where isTransparent(alpha[i]) { flattened.values[i] = 0.5 }
        return flattened
    }

    /// A working-size image folded on a lattice known in advance, without the synchronisation
    /// search: the embedder's rehearsal (``ChainRehearsal``), which knows where its tiles lie.
    init(working: Plane, knownLattice lattice: TileLattice) {
        let (whitened, valid) = WorkingImage.whitened(working, radius: WorkingImage.whiteningRadius(chipSize: lattice.chipSize))
        views = [View(candidates: [Self.folded(whitened, valid: valid, on: lattice)], toInputScale: 1, origin: .zero)]
    }

    /// The whitened working image folded on `lattice`, with the fold's spectrum and norm.
    static func folded(_ whitened: Plane, valid: [UInt8], on lattice: TileLattice) -> FoldedCandidate {
        let fft = RealFFT.shared(shape: [TileLayout.foldSize, TileLayout.foldSize])
        let fold = TileFold.fold(whitened, valid: valid, lattice: lattice)
        let norm = max(Double(fold.reduce(0) { $0 + $1 * $1 }).squareRoot(), 1e-12)
        return FoldedCandidate(lattice: lattice, fold: fold, spectrum: fft.forward(fold), norm: norm)
    }

    /// Whether `a` and `b` put every pixel of a `width` × `height` image into nearly the same place
    /// of the tile: no pixel more than a quarter chip apart. The drift grows with the number of
    /// tiles across, so a long strip needs the periods closer than a square image does: a
    /// 4000 × 120 banner's search found 64.06 px where the mark's tile is 64, 3.7 px (two chips)
    /// of drift over its 62 tiles, and since that was within a pixel of the exact lattice the
    /// exact one was not offered — its own marked copy read at FPR 1e-4.
    static func foldsAlike(_ a: TileLattice, _ b: TileLattice, width: Int, height: Int) -> Bool {
        let (r1, r2) = b.inverseRows
        var worst = 0.0
        for corner in [SIMD2(Double(width), 0), SIMD2(0, Double(height)), SIMD2(Double(width), Double(height))] {
            // Tile coordinates of the corner under b, mapped back through a: how far apart the
            // two lattices place it (the origin is common to both).
            let n = SIMD2((r1 * corner).sum(), (r2 * corner).sum())
            worst = max(worst, simdLength(a.v1 * n.x + a.v2 * n.y - corner))
        }
        return worst < b.chipSize / 4
    }

    static func view(working: Plane, toInputScale: Double, origin: SIMD2<Double>, prior: TileLattice? = nil) -> View {
        guard min(working.width, working.height) >= 2 * Int(LatticeSync.minimumPeriod) else {
            return View(candidates: [], toInputScale: toInputScale, origin: origin)
        }
        let searched = WorkingImage.whitened(working, radius: WorkingImage.searchRadius)
        var found = LatticeSync.candidates(whitened: searched.values, count: Self.latticeCandidates)
        if let prior, !found.contains(where: { Self.foldsAlike($0.lattice, prior, width: working.width, height: working.height) }) {
            found.append(LatticeSync.Candidate(lattice: prior, score: 0))
        }
        // Each candidate is folded from the image whitened for its own chip size (the search's
        // plane when that is the working size's 2 px, as it is for all but crops and small copies).
        var whitenedByRadius = [WorkingImage.searchRadius: searched]
        let candidates = found.map { candidate in
            let radius = WorkingImage.whiteningRadius(chipSize: candidate.lattice.chipSize)
            if whitenedByRadius[radius] == nil { whitenedByRadius[radius] = WorkingImage.whitened(working, radius: radius) }
            let plane = whitenedByRadius[radius]!
            var folded = Self.folded(plane.values, valid: plane.valid, on: candidate.lattice)
            folded.handicapped = candidate.squashed || candidate.skewed
            return folded
        }
        return View(candidates: candidates, toInputScale: toInputScale, origin: origin)
    }
}
