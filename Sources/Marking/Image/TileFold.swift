import Spectral

/// Folding: every valid working pixel is mapped into tile coordinates by the inverse lattice and
/// averaged into a 64×64 tile, so all the tiles the image still holds add up coherently.
enum TileFold {
    /// - Complexity: O(pixels).
    static func fold(_ h: Plane, valid: [UInt8], lattice: TileLattice) -> [Float] {
        let size = TileLayout.foldSize
        var sums = [Float](repeating: 0, count: size * size)
        var counts = [Float](repeating: 0, count: size * size)
        let (row1, row2) = lattice.inverseRows
        precondition(size == 64, "the fixed-point fold assumes 64 bins per period")
        // Tile coordinates in 64-bit fixed point (32 fraction bits): stepping along a row is one
        // integer add per axis, and the bin is the top 6 fraction bits (64 bins per period).
        // Accumulated rounding over a row stays below 2⁻²² periods.
        let one = Double(1 << 32)
        let step1 = Int64((row1.x * one).rounded()), step2 = Int64((row2.x * one).rounded())
        let shift = Int64(32 - 6)
        h.values.withUnsafeBufferPointer { values in
            valid.withUnsafeBufferPointer { valid in
                sums.withUnsafeMutableBufferPointer { sums in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for y in 0..<h.height {
                            var t1 = Int64((row1.y * Double(y) * one).rounded())
                            var t2 = Int64((row2.y * Double(y) * one).rounded())
                            let row = y * h.width
                            for x in 0..<h.width {
                                if valid[row + x] != 0 {
                                    let bin = Int(((t2 >> shift) & 63) << 6 | ((t1 >> shift) & 63))
                                    sums[bin] += values[row + x]
                                    counts[bin] += 1
                                }
                                t1 &+= step1
                                t2 &+= step2
                            }
                        }
                    }
                }
            }
        }
        var mean: Float = 0
        for i in 0..<sums.count where counts[i] > 0 { sums[i] /= counts[i]; mean += sums[i] }
        mean /= Float(sums.count)
        return sums.map { $0 - mean }
    }

    /// One way the folded tile may line up with the mark's tile: an orientation of the square and a
    /// cyclic shift (in fold samples).
    struct Alignment {
        var orientation: Dihedral
        var shift: SIMD2<Double>
        /// Pilot cross-correlation at the shift, normalised by the fold's norm (for ranking only).
        var pilotScore: Double
    }

    /// The best shift for each of the 8 orientations, by FFT cross-correlation with the pilot.
    /// - Parameters:
    ///   - spectrum: the fold's real-FFT spectrum; `norm` its L2 norm (both key-independent).
    static func alignments(spectrum: [ComplexFloat], norm: Double, codebook: ImageMarkCodebook) -> [Alignment] {
        let size = TileLayout.foldSize
        let fft = RealFFT.shared(shape: [size, size])
        // One product and one correlation buffer for all eight orientations; the correlation is
        // left unnormalised (its peak and the peak's neighbours scale alike) and the score scaled.
        let product = AlignedComplexBuffer(count: fft.spectrumCount)
        let correlation = AlignedFloatBuffer(count: fft.count)
        return zip(Dihedral.all, codebook.pilotSpectra).map { orientation, pilot in
            product.withUnsafeMutableBufferPointer { out in
                for i in out.indices { out[i] = spectrum[i] * pilot[i] }
            }
            fft.inverse(overwriting: product, into: correlation)
            return correlation.withUnsafeBufferPointer { c in
                var best = 0
                var peak = c[0]
                for i in 1..<c.count where c[i] > peak { best = i; peak = c[i] }
                let bx = best % size, by = best / size
                func at(_ x: Int, _ y: Int) -> Float { c[((y + size) % size) * size + (x + size) % size] }
                func offset(_ minus: Float, _ centre: Float, _ plus: Float) -> Double {
                    let d = minus - 2 * centre + plus
                    return d < 0 ? Double(0.5 * (minus - plus) / d) : 0
                }
                let dx = offset(at(bx - 1, by), peak, at(bx + 1, by))
                let dy = offset(at(bx, by - 1), peak, at(bx, by + 1))
                return Alignment(orientation: orientation, shift: SIMD2(Double(bx) + dx, Double(by) + dy),
                                 pilotScore: Double(peak * fft.inverseScale) / norm)
            }
        }
    }

    /// The 1024 chip values in the mark's own tile frame: chip (i, j) read from the fold at
    /// G⁻¹(2i, 2j) + shift with the tent weights (½, 1, ½)² that match the bilinear rendering.
    static func chips(of fold: [Float], alignment: Alignment) -> [Float] {
        let n = TileLayout.chipsPerSide, size = TileLayout.foldSize
        let inverse = alignment.orientation.inverse
        let weights: [Float] = [0.5, 1, 0.5]
        func sample(_ x: Double, _ y: Double) -> Float {
            let fx = x - x.rounded(.down), fy = y - y.rounded(.down)
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
            func at(_ u: Int, _ v: Int) -> Float { fold[((v % size + size) % size) * size + (u % size + size) % size] }
            let top = Double(at(x0, y0)) * (1 - fx) + Double(at(x0 + 1, y0)) * fx
            let bottom = Double(at(x0, y0 + 1)) * (1 - fx) + Double(at(x0 + 1, y0 + 1)) * fx
            return Float(top * (1 - fy) + bottom * fy)
        }
        var chips = [Float](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n {
                var value: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let cx = 2 * i + dx, cy = 2 * j + dy
                        let px = inverse.a * cx + inverse.b * cy, py = inverse.c * cx + inverse.d * cy
                        value += weights[dx + 1] * weights[dy + 1]
                            * sample(Double(px) + alignment.shift.x, Double(py) + alignment.shift.y)
                    }
                }
                chips[j * n + i] = value
            }
        }
        return chips
    }
}
