import Spectral

/// Everything a key fixes about the image mark, computed once per key and shared by every embed
/// and detection under it (a corpus scan builds it once): which chips are pilot and which carry
/// which coded bit, their keyed weights, and the pilot's spectra in the 8 orientations the
/// detector has to try.
public final class ImageMarkCodebook: Sendable {
    public let keyID: String
    /// Pilot and payload chips (row-major in the 32×32 tile) and their keyed weights.
    let chips: ChipAssignment
    /// For each of the 8 dihedral orientations, the conjugate spectrum of the pilot rendered at
    /// fold resolution and seen through that orientation (for FFT cross-correlation).
    let pilotSpectra: [[ComplexFloat]]
    /// Each image's tile shift (``PatternOrigin``).
    let origin: PatternOrigin

    public init(key: MarkKey) {
        keyID = key.id
        origin = PatternOrigin(key: key, mark: "image/v1")
        chips = ChipAssignment(key: key, mark: "image/v1", chipCount: TileLayout.chipCount,
                               pilotCount: TileLayout.pilotChipCount,
                               chipsPerCodedBit: TileLayout.chipsPerCodedBit, amplitudeClip: TileLayout.amplitudeClip)
        let rendered = TileRendering.foldResolution(chips.amplitudes(coded: nil))
        let fft = RealFFT.shared(shape: [TileLayout.foldSize, TileLayout.foldSize])
        pilotSpectra = Dihedral.all.map { orientation in
            fft.forward(orientation.apply(to: rendered, size: TileLayout.foldSize)).map(\.conjugate)
        }
    }

    /// The 32×32 chip amplitudes (row-major) that carry `payload`, RMS-normalised to 1.
    func chipAmplitudes(for payload: Payload) -> [Float] {
        let amplitudes = chips.amplitudes(coded: PolarCode.encode(PayloadFrame.bits(of: payload)))
        let rms = (amplitudes.reduce(0) { $0 + $1 * $1 } / Float(amplitudes.count)).squareRoot()
        return amplitudes.map { $0 / rms }
    }

    /// The tile shift (whole chips across, down) of the image whose luma is `luma`, for `payload`.
    func tileShift(for payload: Payload, luma: [Float]) -> (x: Int, y: Int) {
        let n = TileLayout.chipsPerSide
        let draw = origin.draw(payload: payload, content: luma, bound: n * n)
        return (draw % n, draw / n)
    }

    /// The 32×32 chip amplitudes that carry `payload` in the image whose luma is `luma`: those of
    /// ``chipAmplitudes(for:)`` shifted cyclically by ``tileShift(for:luma:)``, so that chip (i, j)
    /// of the image carries tile chip (i + x, j + y) mod 32.
    func chipAmplitudes(for payload: Payload, luma: [Float]) -> [Float] {
        Self.shifted(chipAmplitudes(for: payload), by: tileShift(for: payload, luma: luma))
    }

    /// `chips` (row-major 32×32) with image chip (i, j) taking tile chip (i + x, j + y) mod 32.
    static func shifted(_ chips: [Float], by shift: (x: Int, y: Int)) -> [Float] {
        PatternOrigin.shifted(chips, rows: TileLayout.chipsPerSide, columns: TileLayout.chipsPerSide,
                              rowShift: shift.y, columnShift: shift.x)
    }
}

/// Rendering the chip grid as a smooth periodic field: chips are samples at integer chip
/// coordinates, interpolated bilinearly in between (so the mark has no block edges).
enum TileRendering {
    /// The tile at fold resolution (2 samples per chip): chip (i, j) at sample (2i, 2j), odd
    /// samples the mean of their neighbours, cyclically.
    static func foldResolution(_ chips: [Float]) -> [Float] {
        let n = TileLayout.chipsPerSide, f = TileLayout.foldSize
        var out = [Float](repeating: 0, count: f * f)
        for j in 0..<n {
            for i in 0..<n {
                let a = chips[j * n + i]
                let right = chips[j * n + (i + 1) % n]
                let down = chips[((j + 1) % n) * n + i]
                let diagonal = chips[((j + 1) % n) * n + (i + 1) % n]
                out[(2 * j) * f + 2 * i] = a
                out[(2 * j) * f + 2 * i + 1] = (a + right) / 2
                out[(2 * j + 1) * f + 2 * i] = (a + down) / 2
                out[(2 * j + 1) * f + 2 * i + 1] = (a + right + down + diagonal) / 4
            }
        }
        return out
    }
}

/// The 8 symmetries of the square (rotations by 90° and reflections) as signed permutation
/// matrices acting on tile coordinates. A lattice found from the autocorrelation fixes the tile's
/// axes only up to one of these, so the detector tries all 8; a horizontally flipped image is one
/// of them.
struct Dihedral: Sendable, Equatable {
    /// Row-major 2×2 integer matrix: (x, y) ↦ (a x + b y, c x + d y).
    let a: Int, b: Int, c: Int, d: Int

    static let all: [Dihedral] = [
        Dihedral(a: 1, b: 0, c: 0, d: 1), Dihedral(a: 0, b: -1, c: 1, d: 0),
        Dihedral(a: -1, b: 0, c: 0, d: -1), Dihedral(a: 0, b: 1, c: -1, d: 0),
        Dihedral(a: -1, b: 0, c: 0, d: 1), Dihedral(a: 1, b: 0, c: 0, d: -1),
        Dihedral(a: 0, b: 1, c: 1, d: 0), Dihedral(a: 0, b: -1, c: -1, d: 0),
    ]

    /// The inverse (for a signed permutation, the transpose).
    var inverse: Dihedral { Dihedral(a: a, b: c, c: b, d: d) }

    var isReflection: Bool { a * d - b * c < 0 }

    /// (x, y) ↦ G (x, y), modulo `size`.
    @inline(__always)
    func map(_ x: Int, _ y: Int, size: Int) -> (Int, Int) {
        (((a * x + b * y) % size + size) % size, ((c * x + d * y) % size + size) % size)
    }

    /// `out[p] = tile[G p]` for a square cyclic tile.
    func apply(to tile: [Float], size: Int) -> [Float] {
        var out = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let (u, v) = map(x, y, size: size)
                out[y * size + x] = tile[v * size + u]
            }
        }
        return out
    }
}
