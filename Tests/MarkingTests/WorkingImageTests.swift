import Testing
import TestSupport
@testable import Marking

/// The detector's working image: the box mean its whitening rests on, and the whitening matched to
/// each lattice candidate's chip size.
@Suite("Working image")
struct WorkingImageTests {
    static func noise(width: Int, height: Int, seed: UInt64) -> Plane {
        var random = SplitMix64(seed: seed)
        return Plane(width: width, height: height, values: (0..<(width * height)).map { _ in Float(random.uniform()) })
    }

    /// The separable, vectorised passes against the definition: the mean over the window clipped
    /// at the borders, on planes narrower and shorter than the window as well.
    @Test(arguments: [(37, 23), (64, 64), (5, 3), (1, 9), (9, 1), (2, 2)])
    func boxMeanIsTheClippedWindowMean(width: Int, height: Int) {
        let plane = Self.noise(width: width, height: height, seed: UInt64(width * 100 + height))
        for radius in 1...4 {
            let mean = plane.boxMean(radius: radius)
            var worst: Float = 0
            for y in 0..<height {
                for x in 0..<width {
                    var sum: Float = 0, count: Float = 0
                    for yy in max(0, y - radius)...min(height - 1, y + radius) {
                        for xx in max(0, x - radius)...min(width - 1, x + radius) { sum += plane[xx, yy]; count += 1 }
                    }
                    worst = max(worst, abs(mean[x, y] - sum / count))
                }
            }
            #expect(worst < 1e-6, "radius \(radius): off by \(worst)")
        }
    }

    @Test func whiteningRadiusFollowsTheChip() {
        #expect(WorkingImage.whiteningRadius(chipSize: 1) == 1)
        #expect(WorkingImage.whiteningRadius(chipSize: 2) == WorkingImage.searchRadius)
        #expect(WorkingImage.whiteningRadius(chipSize: 2.8) == 2)
        #expect(WorkingImage.whiteningRadius(chipSize: 4) == 3)
        #expect(WorkingImage.whiteningRadius(chipSize: 5.2) == 4)
    }

    /// Every candidate is folded from the image whitened for its own chip size: the lattice a
    /// quarter-area crop leaves (4-px chips, offered here as the prior) from the radius-3 plane,
    /// the working size's own 2-px chips from the search's plane.
    @Test func candidatesAreFoldedWhitenedForTheirChip() throws {
        let working = Self.noise(width: 300, height: 280, seed: 7).boxMean(radius: 1)
        let large = TileLattice(period: 4 * Double(TileLayout.chipsPerSide), angle: 0)
        let view = ImageAnalysis.view(working: working, toInputScale: 1, origin: .zero, prior: large)
        let prior = try #require(view.candidates.first { $0.lattice == large })
        var radii = Set<Int>()
        for candidate in view.candidates {
            let radius = WorkingImage.whiteningRadius(chipSize: candidate.lattice.chipSize)
            radii.insert(radius)
            let plane = WorkingImage.whitened(working, radius: radius)
            #expect(candidate.fold == TileFold.fold(plane.values, valid: plane.valid, lattice: candidate.lattice))
        }
        let searched = WorkingImage.whitened(working, radius: WorkingImage.searchRadius)
        #expect(prior.fold != TileFold.fold(searched.values, valid: searched.valid, lattice: large))
        #expect(radii.contains(3))
    }
}
