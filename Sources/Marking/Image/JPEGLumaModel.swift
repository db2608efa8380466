import Foundation

/// What baseline JPEG does to luma: 8×8 blocks, orthonormal DCT, the standard luminance table
/// (ITU-T T.81 Annex K) scaled as libjpeg scales it for a quality, rounding of the quantised
/// coefficients and of the decoded 8-bit samples. Chroma is not modelled: the mark lives in luma
/// only.
///
/// A model, not a codec: the embedder uses it to rehearse a re-encode (``ChainRehearsal``), and
/// the marking module stays below the codecs in the dependency order. Against libjpeg's own
/// encode and decode of a photo's gray 256² crop it differs by 0.03–0.13 levels on average (its
/// integer DCT rounds differently), where the codec itself moves samples by 0.7–1.5 (q90–q50;
/// `ChainRehearsalTests`).
struct JPEGLumaModel {
    static let luminanceTable: [Int] = [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ]

    /// Quantiser steps for `quality` (1…100), as libjpeg's `jpeg_quality_scaling` computes them.
    let steps: [Float]
    /// cosines[u * 8 + x] = α(u) cos((2x + 1) u π / 16), the orthonormal 8-point DCT-II.
    private let cosines: [Float]

    init(quality: Int) {
        let q = min(max(quality, 1), 100)
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        steps = Self.luminanceTable.map { Float(min(max(($0 * scale + 50) / 100, 1), 255)) }
        var c = [Float](repeating: 0, count: 64)
        for u in 0..<8 {
            let alpha = u == 0 ? (1.0 / 8).squareRoot() : (2.0 / 8).squareRoot()
            for x in 0..<8 { c[u * 8 + x] = Float(alpha * cos(Double(2 * x + 1) * Double(u) * .pi / 16)) }
        }
        cosines = c
    }

    /// `luma` (0…1) as a JPEG at this quality would decode it. Edge blocks are padded by
    /// repeating the last row and column, as libjpeg does.
    func apply(to luma: Plane) -> Plane {
        var out = luma
        var block = [Float](repeating: 0, count: 64), temp = block
        let width = luma.width, height = luma.height
        luma.values.withUnsafeBufferPointer { source in
            out.values.withUnsafeMutableBufferPointer { target in
                cosines.withUnsafeBufferPointer { c in
                    steps.withUnsafeBufferPointer { q in
                        block.withUnsafeMutableBufferPointer { b in
                            temp.withUnsafeMutableBufferPointer { t in
                                for by in stride(from: 0, to: height, by: 8) {
                                    for bx in stride(from: 0, to: width, by: 8) {
                                        for y in 0..<8 {
                                            let row = min(by + y, height - 1) * width
                                            for x in 0..<8 { b[y * 8 + x] = (source[row + min(bx + x, width - 1)] * 255).rounded() - 128 }
                                        }
                                        Self.transform(b, t, c, inverse: false)
                                        for i in 0..<64 { b[i] = (b[i] / q[i]).rounded() * q[i] }
                                        Self.transform(b, t, c, inverse: true)
                                        for y in 0..<min(8, height - by) {
                                            for x in 0..<min(8, width - bx) {
                                                target[(by + y) * width + bx + x] = min(255, max(0, (b[y * 8 + x] + 128).rounded())) / 255
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Separable 2-D DCT (or its inverse) of the 8×8 block `b` in place, through `t`: rows, then
    /// columns.
    private static func transform(_ b: UnsafeMutableBufferPointer<Float>, _ t: UnsafeMutableBufferPointer<Float>,
                                  _ c: UnsafeBufferPointer<Float>, inverse: Bool) {
        for line in 0..<8 {
            for k in 0..<8 {
                var sum: Float = 0
                for n in 0..<8 { sum += (inverse ? c[n * 8 + k] : c[k * 8 + n]) * b[line * 8 + n] }
                t[line * 8 + k] = sum
            }
        }
        for line in 0..<8 {
            for k in 0..<8 {
                var sum: Float = 0
                for n in 0..<8 { sum += (inverse ? c[n * 8 + k] : c[k * 8 + n]) * t[n * 8 + line] }
                b[k * 8 + line] = sum
            }
        }
    }
}
