import Foundation

/// How much mark each pixel can hide, in absolute luma units (0…1 scale): a small fixed amount
/// where the image is flat, rising with local texture — contrast masking, where a visible pattern
/// needs more contrast the busier its background (Legge & Foley 1980; Watson 1993).
/// Measured on the corpus at strength 1, masking gain 1: PSNR 39–54 dB (mean ≈ 44.5), SSIM ≥ 0.99;
/// busy images reach the PSNR cap of ``ImageEmbedOptions/referencePSNR``, flat ones stay well
/// above it. The embedder's closed loop raises the textured part where the training chain would
/// lose the mark (``budget(activity:maskingGain:)``; mean 43.4 dB, lowest 38).
///
/// The budget is absolute on purpose: a mark scaled only relative to an image's own median texture
/// puts full strength into the sky of an image that is mostly sky, where low-frequency mottling
/// shows. With an absolute budget a flat image gets a weaker mark (higher PSNR) and stays clean.
///
/// It varies on the scale of a chip, so it is computed on a grid of blocks of about half a chip
/// (the variance inside a block is the fine detail that masks) and interpolated when the mark is
/// rendered: a few operations per pixel instead of several full-size filtered planes. On large
/// images a grid twice as fine caps it where the pixels' own neighbourhood is smoother than the
/// block's (``fineCeilingFactor``): an edge raises its block's budget, not the smooth band beside it.
enum PerceptualMask {
    /// Amplitude allowed in a perfectly flat region: well under one 8-bit step at the mark's low
    /// spatial frequencies.
    static let flatAmplitude: Float = 0.7 / 255
    /// Texture RMS at which masking starts to raise the budget.
    static let maskingOnset: Float = 1.0 / 255
    /// Activity may exceed the least active neighbouring cell's by at most this factor (+ ½ step).
    static let erosionLimit: Float = 2
    /// Growth of the budget with texture: amplitude ∝ activity^exponent above the onset.
    static let exponent: Float = 0.8
    /// The largest amplitude a raised masking gain may give a pixel (see ``budget(activity:maskingGain:)``).
    /// Strong edges allow large amplitudes already at gain 1, and the smooth bands between them do
    /// not hide more: on a photo of shaded stripes (grey architecture) the raised mark mottled the
    /// bands visibly at 1:1, mean change there 3.2 levels at gain 1, 4.4 raised with an 8-level
    /// ceiling, 3.4 with 4. `ImageLab`, 10 attacks × 24 images under a fresh key: ceiling 8 levels
    /// 187 of 240 (mean PSNR 42.6 dB), 5 185 (43.2), 4 189 (43.4), 3 185 (43.7); 8 attacks under
    /// another key: 8 levels 170 of 192, 4 168. (Before the onset below: none 171, 12 levels 172,
    /// 8 172 — and the astronaut's largest change 44 levels without a ceiling, 23 at gain 1.)
    static let raisedCeiling: Float = 4 / 255
    /// A raised masking gain multiplies only the budget above this multiple of the flat amplitude:
    /// a smooth gradient carrying a JPEG's faint noise counts as slightly textured, and raising it
    /// showed as mottling (the desktop screenshot's wallpaper, mark RMS 0.68 levels at gain 1, 0.89
    /// at 2.5 from 1, 0.73 from 1.25). `ImageLab`, 8 attacks × 24 images: onset 1 173 of 192,
    /// 1.25 170, 1.5 164, 2 158.
    static let raiseOnset: Float = 1.25

    /// The budget on a grid of `block × block` pixel cells.
    struct Grid {
        var values: Plane
        var block: Int
    }

    /// The masking factor (1 + activity / onset)^exponent — the gain-1 budget over the flat
    /// amplitude — of the budget's cells, and for images whose cells are at least
    /// ``fineCellMinimum`` pixels, of cells half as wide from ``fineCeilingFactor`` × their own
    /// texture RMS. Independent of the masking gain, so computed once for every rung.
    struct Activity {
        var cells: Grid
        var fine: Grid?
    }

    /// The budget of each cell, and where the image has fine cells, a ceiling on what each of
    /// them may carry (see ``fineCeilingFactor``).
    struct Budget {
        var cells: Grid
        var ceiling: Grid?

        /// The budget at the ceiling's resolution: min(cell budget interpolated at the fine
        /// cell's centre, ceiling) — what the mark is rendered from at full size.
        func pixelBudget() -> Grid {
            guard let ceiling else { return cells }
            var out = ceiling
            let grid = cells.values, fw = ceiling.values.width, scale = Double(ceiling.block) / Double(cells.block)
            func taps(_ index: Int, _ count: Int) -> (Int, Int, Float) {
                let u = (Double(index) + 0.5) * scale - 0.5
                let i = Int(u.rounded(.down))
                return (min(max(i, 0), count - 1), min(max(i + 1, 0), count - 1),
                        i < 0 ? 1 : (i + 1 > count - 1 ? 0 : Float(u - Double(i))))
            }
            let columns = (0..<fw).map { taps($0, grid.width) }
            grid.values.withUnsafeBufferPointer { g in
                out.values.values.withUnsafeMutableBufferPointer { o in
                    for fy in 0..<ceiling.values.height {
                        let (r0, r1, wy) = taps(fy, grid.height)
                        let top0 = r0 * grid.width, bottom0 = r1 * grid.width
                        for fx in 0..<fw {
                            let (c0, c1, wx) = columns[fx]
                            let top = g[top0 + c0] + wx * (g[top0 + c1] - g[top0 + c0])
                            let bottom = g[bottom0 + c0] + wx * (g[bottom0 + c1] - g[bottom0 + c0])
                            o[fy * fw + fx] = min(top + wy * (bottom - top), o[fy * fw + fx])
                        }
                    }
                }
            }
            return out
        }

        /// The mean over each cell of the pixel budget min(cell, ceiling): what a reduced copy of
        /// the mark holds there (the embedder's rehearsal renders from it). A fine cell counts in
        /// the cell holding its centre.
        func cellMeans() -> Grid {
            guard let ceiling else { return cells }
            var means = cells
            let gw = cells.values.width, gh = cells.values.height, fw = ceiling.values.width, fh = ceiling.values.height
            let cellColumn = (0..<fw).map { PerceptualMask.cell(ofFine: $0, ceiling.block, in: cells.block, count: gw) }
            var sums = [Float](repeating: 0, count: cells.values.count), counts = sums
            ceiling.values.values.withUnsafeBufferPointer { c in
                cells.values.values.withUnsafeBufferPointer { g in
                    sums.withUnsafeMutableBufferPointer { sums in
                        counts.withUnsafeMutableBufferPointer { counts in
                            cellColumn.withUnsafeBufferPointer { cellColumn in
                                for fy in 0..<fh {
                                    let row = PerceptualMask.cell(ofFine: fy, ceiling.block, in: cells.block, count: gh) * gw
                                    for fx in 0..<fw {
                                        let cell = row + cellColumn[fx]
                                        sums[cell] += min(g[cell], c[fy * fw + fx])
                                        counts[cell] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<sums.count where counts[i] > 0 { means.values.values[i] = sums[i] / counts[i] }
            return means
        }
    }

    /// Cells of at least this many pixels (chips of ≥ 12: short sides from 1 536 px) get fine
    /// cells of half their width. Smaller chips mottle less visibly, and 2-px fine cells measure
    /// texture poorly.
    static let fineCellMinimum = 6
    /// A fine cell may carry no more than the budget of `fineCeilingFactor` × its own texture RMS.
    /// A cell's budget counts every edge within 1.5 chips as texture, and the smooth bands between
    /// strong edges of a photo of shaded stripes (grey architecture) mottled visibly at 1:1 under
    /// it. Measured as the RMS of the luma change smoothed over 3 px, on pixels of local RMS under
    /// 2 levels within 12 px of a strong edge: there 1.49 levels without a ceiling, 1.23 with 2,
    /// 1.11 with 1.5 (the summer-night photo 1.92, 1.65, 1.46). `ImageLab`, 10 attacks × 24
    /// images: 189 of 240, 188, 184 (the four lost ones: border 256 + JPEG 85 three, not a
    /// target), mean PSNR 43.4, 43.6, 43.7 dB; `ImageLab --full` 509, 508, 508 of 528.
    static let fineCeilingFactor: Float = 1.5

    /// Each cell's masking activity (texture RMS, limited by its neighbours) on the budget's grid,
    /// and on large images the fine cells' own, as masking factors (see ``Activity``).
    static func activity(luma: Plane, chipSize: Double) -> Activity {
        let block = max(2, Int(chipSize / 2))
        let gw = (luma.width + block - 1) / block, gh = (luma.height + block - 1) / block
        var sums = [Double](repeating: 0, count: gw * gh), squares = sums, counts = sums
        let fineBlock = block >= fineCellMinimum ? block / 2 : 0
        let fw = fineBlock > 0 ? (luma.width + fineBlock - 1) / fineBlock : 0
        let fh = fineBlock > 0 ? (luma.height + fineBlock - 1) / fineBlock : 0
        var fineSums = [Float](repeating: 0, count: fw * fh), fineSquares = fineSums, fineCounts = fineSums
        // Cell columns looked up, not divided for, per pixel. With fine cells exactly half as wide
        // (an even cell size: nearly always), the cells' sums are those of their fine cells.
        let cellColumn = (0..<luma.width).map { $0 / block }
        let fineColumn = fineBlock > 0 ? (0..<luma.width).map { $0 / fineBlock } : []
        let cellsFromFine = fineBlock > 0 && block == 2 * fineBlock
        luma.values.withUnsafeBufferPointer { src in
            for y in 0..<luma.height {
                let row = src[(y * luma.width)..<((y + 1) * luma.width)]
                if !cellsFromFine {
                    let gRow = (y / block) * gw
                    for (x, value) in zip(0..<luma.width, row) {
                        let v = Double(value), g = gRow + cellColumn[x]
                        sums[g] += v
                        squares[g] += v * v
                        counts[g] += 1
                    }
                }
                guard fineBlock > 0 else { continue }
                let fRow = (y / fineBlock) * fw
                for (x, v) in zip(0..<luma.width, row) {
                    let f = fRow + fineColumn[x]
                    fineSums[f] += v
                    fineSquares[f] += v * v
                    fineCounts[f] += 1
                }
            }
        }
        if cellsFromFine {
            for f in 0..<fineSums.count {
                let g = (f / fw / 2) * gw + (f % fw) / 2
                sums[g] += Double(fineSums[f])
                squares[g] += Double(fineSquares[f])
                counts[g] += Double(fineCounts[f])
            }
        }
        var fine: Grid?
        if fineBlock > 0 {
            var rms = Plane(width: fw, height: fh)
            for f in 0..<rms.count {
                let mean = fineSums[f] / fineCounts[f]
                rms.values[f] = max(0, fineSquares[f] / fineCounts[f] - mean * mean).squareRoot()
            }
            fine = Grid(values: rms, block: fineBlock)
        }
        var energy = Plane(width: gw, height: gh)
        for g in 0..<energy.count {
            let mean = sums[g] / counts[g]
            energy.values[g] = Float(max(0, squares[g] / counts[g] - mean * mean))
        }
        // Masking is local: a flat patch beside a text edge hides nothing. So a cell's activity
        // (mean energy over its 3×3 neighbourhood) may exceed that of its least active neighbour
        // only by a bounded factor: true texture is busy in every cell and keeps its budget,
        // isolated edges do not raise the budget of the flat surroundings.
        let eroded = energy.extreme3x3(min).boxMean(radius: 1)
        var activity = energy.boxMean(radius: 1)
        for i in 0..<activity.count {
            activity.values[i] = min(max(0, activity.values[i]).squareRoot(),
                                     Self.erosionLimit * max(0, eroded.values[i]).squareRoot() + 0.5 / 255)
        }
        if var ceiling = fine {
            // A fine cell's ceiling can bind only under the largest budget of the cells around its
            // own (the rendered budget interpolates between them); elsewhere it is left unbounded,
            // which spares most textured fine cells the power function.
            let largest = activity.extreme3x3(max)
            let gw = activity.width, gh = activity.height
            let cellColumn = (0..<ceiling.values.width).map { cell(ofFine: $0, ceiling.block, in: block, count: gw) }
            for fy in 0..<ceiling.values.height {
                let row = cell(ofFine: fy, ceiling.block, in: block, count: gh) * gw
                for fx in 0..<ceiling.values.width {
                    let i = fy * ceiling.values.width + fx
                    let texture = fineCeilingFactor * ceiling.values.values[i]
                    ceiling.values.values[i] = texture >= largest.values[row + cellColumn[fx]] ? Self.unbounded
                        : maskingFactor(texture)
                }
            }
            fine = ceiling
        }
        return Activity(cells: Grid(values: maskingFactors(activity), block: block), fine: fine)
    }

    /// The budget from an activity grid. `maskingGain` multiplies only what texture adds above
    /// ``raiseOnset`` times the flat amplitude — flat and nearly flat regions keep their gain-1
    /// budget whatever the gain — and the raised part stops at ``raisedCeiling`` (or the gain-1
    /// budget, where that is larger).
    static func budget(activity: Activity, maskingGain: Float) -> Budget {
        func amplitudes(_ factors: Plane) -> Plane {
            var budget = factors
            for i in 0..<budget.count {
                let masked = factors.values[i]
                let raised = flatAmplitude * (masked + (maskingGain - 1) * max(0, masked - Self.raiseOnset))
                budget.values[i] = maskingGain == 1 ? flatAmplitude * masked
                    : min(raised, max(flatAmplitude * masked, raisedCeiling))
            }
            return budget
        }
        let cells = Grid(values: amplitudes(activity.cells.values), block: activity.cells.block)
        let ceiling = activity.fine.map { Grid(values: amplitudes($0.values), block: $0.block) }
        return Budget(cells: cells, ceiling: ceiling)
    }

    /// (1 + activity / onset)^exponent: the gain-1 budget over the flat amplitude.
    static func maskingFactor(_ activity: Float) -> Float {
        exp(exponent * log(1 + activity / maskingOnset))
    }

    static func maskingFactors(_ activity: Plane) -> Plane {
        Plane(width: activity.width, height: activity.height, values: activity.values.map(maskingFactor))
    }

    /// The cell (along one axis, of `count`) holding the centre of fine cell `index`.
    static func cell(ofFine index: Int, _ fineBlock: Int, in block: Int, count: Int) -> Int {
        min((index * fineBlock + fineBlock / 2) / block, count - 1)
    }

    /// A masking factor no budget reaches: a fine cell whose ceiling cannot bind.
    static let unbounded: Float = 1e6
}

extension Plane {
    /// The minimum (`min`) or maximum (`max`) over each 3×3 neighbourhood (clipped at the borders).
    func extreme3x3(_ pick: (Float, Float) -> Float) -> Plane {
        var rows = self, out = self
        for y in 0..<height {
            for x in 0..<width {
                var m = values[y * width + x]
                if x > 0 { m = pick(m, values[y * width + x - 1]) }
                if x + 1 < width { m = pick(m, values[y * width + x + 1]) }
                rows.values[y * width + x] = m
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                var m = rows.values[y * width + x]
                if y > 0 { m = pick(m, rows.values[(y - 1) * width + x]) }
                if y + 1 < height { m = pick(m, rows.values[(y + 1) * width + x]) }
                out.values[y * width + x] = m
            }
        }
        return out
    }
}
