/// The two period vectors of the tiled mark as seen in the working image (pixels), i.e. the map
/// from tile coordinates (in periods) to pixel offsets: p = v1·t.x + v2·t.y.
struct TileLattice: Sendable, Equatable {
    var v1: SIMD2<Double>
    var v2: SIMD2<Double>

    /// A square lattice of period `period` turned by `angle` radians, stretched by `aspect` along x.
    init(period: Double, angle: Double, aspect: Double = 1) {
        self.init(period: period, cosine: cos(angle), sine: sin(angle), aspect: aspect)
    }

    /// The same from the angle's cosine and sine (a search tries many lattices per angle).
    init(period: Double, cosine c: Double, sine s: Double, aspect: Double = 1) {
        let stretch = SIMD2(aspect.squareRoot(), 1 / aspect.squareRoot())
        v1 = SIMD2(c, s) * period * stretch
        v2 = SIMD2(-s, c) * period * stretch
    }

    init(v1: SIMD2<Double>, v2: SIMD2<Double>) {
        self.v1 = v1
        self.v2 = v2
    }

    func point(_ n1: Int, _ n2: Int) -> SIMD2<Double> { v1 * Double(n1) + v2 * Double(n2) }

    var determinant: Double { v1.x * v2.y - v1.y * v2.x }

    /// Tile coordinates (in periods) of a pixel offset: L⁻¹ p, as the two rows of L⁻¹.
    var inverseRows: (SIMD2<Double>, SIMD2<Double>) {
        let det = determinant
        return (SIMD2(v2.y, -v2.x) / det, SIMD2(-v1.y, v1.x) / det)
    }

    /// Mean period length in pixels.
    var period: Double { (abs(determinant)).squareRoot() }

    /// Whether a least-squares refit is still the lattice it started from: finite, period within
    /// 20 % of the start's, and its vectors far from parallel. Peaks found on a host's line
    /// structure can pull the fit towards two nearly parallel vectors, whose inverse (used to fold)
    /// then overflows any fixed-point tile coordinate.
    func isPlausibleRefinement(of start: TileLattice) -> Bool {
        guard v1.x.isFinite, v1.y.isFinite, v2.x.isFinite, v2.y.isFinite else { return false }
        let ratio = period / start.period
        let lengths = (v1 * v1).sum().squareRoot() * (v2 * v2).sum().squareRoot()
        return ratio > 0.8 && ratio < 1.25 && abs(determinant) >= 0.5 * lengths
    }

    /// Mean chip size in pixels: the period over the tile's chips per side.
    var chipSize: Double { period / Double(TileLayout.chipsPerSide) }

    /// Angle of v1 against the x axis, degrees.
    var angleDegrees: Double { atan2(v1.y, v1.x) * 180 / .pi }
}

import Foundation
