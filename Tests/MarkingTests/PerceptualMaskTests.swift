import Testing
import TestSupport
@testable import Marking

/// The perceptual budget's fine ceiling: an edge raises its own cell's budget, not the smooth band
/// beside it, while true texture keeps what its cells allow.
@Suite("Perceptual mask")
struct PerceptualMaskTests {
    /// 384² at a 12.5-px chip (cells of 6 px, fine cells of 3): on the left, flat stripes 5 px
    /// wide between sharp edges, so that every cell holds an edge; on the right, fine noise.
    static func stripesAndTexture() -> Plane {
        var random = SplitMix64(seed: 11)
        var plane = Plane(width: 384, height: 384)
        for y in 0..<384 {
            for x in 0..<384 {
                plane.values[y * 384 + x] = x < 192 ? ((x / 5) % 2 == 0 ? 0.25 : 0.75)
                    : Float(0.5 + 0.06 * random.gaussian())
            }
        }
        return plane
    }

    @Test func fineCeilingLowersSmoothBandsBesideEdgesOnly() throws {
        let activity = PerceptualMask.activity(luma: Self.stripesAndTexture(), chipSize: 12.5)
        let budget = PerceptualMask.budget(activity: activity, maskingGain: 1)
        let ceiling = try #require(budget.ceiling, "12.5-px chips get fine cells")
        #expect(ceiling.block == 3 && budget.cells.block == 6)
        let pixels = budget.pixelBudget()
        // Pixel budget against the cell budget it would have had, sampled at fine-cell centres
        // well inside the picture (rows 60–320).
        func ratios(columns: Range<Int>) -> [Float] {
            var out = [Float]()
            for fy in 20..<107 {
                for fx in columns {
                    let cell = budget.cells.values[min(fx / 2, budget.cells.values.width - 1), min(fy / 2, budget.cells.values.height - 1)]
                    out.append(pixels.values[fx, fy] / cell)
                }
            }
            return out
        }
        // Inside the stripes: fine cells whose 3 px lie within one stripe (no edge).
        let bandColumns = (1..<62).filter { fx in fx * 3 / 5 == (fx * 3 + 2) / 5 }
        let band = bandColumns.flatMap { ratios(columns: $0..<($0 + 1)) }
        let texture = ratios(columns: 70..<120)
        let bandMean = band.reduce(0, +) / Float(band.count)
        let textureMean = texture.reduce(0, +) / Float(texture.count)
        #expect(!band.isEmpty && bandMean < 0.5, "smooth band keeps \(bandMean) of its cells' budget")
        #expect(textureMean > 0.95, "texture keeps \(textureMean) of its cells' budget")
        // The rehearsal's cell means sit between: never above the cells, lower on the stripes.
        let means = budget.cellMeans()
        for i in 0..<means.values.count { #expect(means.values.values[i] <= budget.cells.values.values[i] + 1e-7) }
    }

    @Test func smallChipsHaveNoFineCeiling() {
        let activity = PerceptualMask.activity(luma: Self.stripesAndTexture(), chipSize: 8.4)
        #expect(activity.fine == nil)
        let budget = PerceptualMask.budget(activity: activity, maskingGain: 1)
        #expect(budget.pixelBudget().values.values == budget.cells.values.values)
    }
}
