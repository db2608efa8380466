/// Renders the periodic chip grid at image resolution — chip (i, j) centred at pixel (i·c, j·c),
/// bilinear in between, repeating every 32 chips — multiplied by the perceptual budget, itself
/// interpolated bilinearly from its block grid.
enum MarkField {
    /// Per output column (or row): two source indices and the weight of the second.
    private struct Taps {
        var first: [Int], second: [Int], weight: [Float]

        /// Periodic taps for chip coordinates u = x / spacing at pixel positions x, wrapping every
        /// `period` indices.
        init(positions: [Double], spacing: Double, period: Int) {
            first = []; second = []; weight = []
            for x in positions {
                let u = x / spacing
                let i = Int(u.rounded(.down))
                let wrapped = (i % period + period) % period
                first.append(wrapped); second.append((wrapped + 1) % period); weight.append(Float(u - Double(i)))
            }
        }

        /// Clamped taps for cell centres at (k + ½)·block, over `cells` cells.
        init(positions: [Double], block: Int, cells: Int) {
            first = []; second = []; weight = []
            for x in positions {
                let u = (x + 0.5) / Double(block) - 0.5
                let i = Int(u.rounded(.down))
                let f = Float(u - Double(i))
                first.append(min(max(i, 0), cells - 1)); second.append(min(max(i + 1, 0), cells - 1))
                weight.append(i < 0 ? 1 : (i + 1 > cells - 1 ? 0 : f))
            }
        }
    }

    /// The mark at full size under a budget and its fine ceiling (``PerceptualMask/Budget``).
    /// - Returns: the mark times the budget, and the sum of its squares (for the PSNR cap).
    /// - Complexity: O(width · height), about twenty operations per pixel.
    static func render(chips: [Float], width: Int, height: Int, chipSize: Double,
                       budget: PerceptualMask.Budget) -> (Plane, energy: Double) {
        render(chips: chips, columns: (0..<width).map(Double.init), rows: (0..<height).map(Double.init),
               chipSize: chipSize, budget: budget.pixelBudget())
    }

    /// The same field sampled at the pixel positions `columns` × `rows` (fractional, in the
    /// image's own pixels): a reduced copy of the mark for the embedder's rehearsal without
    /// rendering it at full size. The field is smooth on the scale of a chip, so samples at the
    /// centres of a reduction's boxes stand for the boxes' means.
    static func render(chips: [Float], columns: [Double], rows: [Double], chipSize: Double,
                       budget: PerceptualMask.Grid) -> (Plane, energy: Double) {
        let n = TileLayout.chipsPerSide
        let width = columns.count, height = rows.count
        let chipColumns = Taps(positions: columns, spacing: chipSize, period: n)
        let chipRows = Taps(positions: rows, spacing: chipSize, period: n)
        let grid = budget.values
        let budgetColumns = Taps(positions: columns, block: budget.block, cells: grid.width)
        let budgetRows = Taps(positions: rows, block: budget.block, cells: grid.height)
        var values = [Float](repeating: 0, count: width * height)
        var energy = 0.0
        values.withUnsafeMutableBufferPointer { out in
            chips.withUnsafeBufferPointer { a in
                grid.values.withUnsafeBufferPointer { g in
                    for y in 0..<height {
                        let row0 = chipRows.first[y] * n, row1 = chipRows.second[y] * n, fy = chipRows.weight[y]
                        let brow0 = budgetRows.first[y] * grid.width, brow1 = budgetRows.second[y] * grid.width
                        let by = budgetRows.weight[y]
                        var rowEnergy: Float = 0
                        for x in 0..<width {
                            let c0 = chipColumns.first[x], c1 = chipColumns.second[x], fx = chipColumns.weight[x]
                            let top = a[row0 + c0] + fx * (a[row0 + c1] - a[row0 + c0])
                            let bottom = a[row1 + c0] + fx * (a[row1 + c1] - a[row1 + c0])
                            let mark = top + fy * (bottom - top)
                            let b0 = budgetColumns.first[x], b1 = budgetColumns.second[x], bx = budgetColumns.weight[x]
                            let btop = g[brow0 + b0] + bx * (g[brow0 + b1] - g[brow0 + b0])
                            let bbottom = g[brow1 + b0] + bx * (g[brow1 + b1] - g[brow1 + b0])
                            let value = mark * (btop + by * (bbottom - btop))
                            out[y * width + x] = value
                            rowEnergy += value * value
                        }
                        energy += Double(rowEnergy)
                    }
                }
            }
        }
        return (Plane(width: width, height: height, values: values), energy)
    }
}
