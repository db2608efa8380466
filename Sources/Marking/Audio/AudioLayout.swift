import Foundation

/// The audio mark's fixed geometry, at its internal rate.
///
/// ```
///  internal signal: the mono mix (mean of the channels) resampled to 16 kHz
///
///  time ─▶   cell = 512 samples (32 ms)              block = 64 cells = 2.048 s
///  ┌────┬────┬────┬─ … ─┬────┐┌────┬────┬─ …        the block repeats from the file's first
///  │ c0 │ c1 │ c2 │     │c63 ││ c0 │ c1 │            sample to its last; the detector folds
///  └────┴────┴────┴─ … ─┴────┘└────┴────┴─ …        (sums) every repetition a clip holds
///
///  frequency: 32 mel-spaced bands, 150–7000 Hz       one chip = one cell × one band
///     150 ┤▁▁ band 0  (2 FFT bins)
///    4000 ┤   band 24 starts (a 4 kHz low-pass leaves bands 0–23)
///    7000 ┤▔▔ band 31 (15 FFT bins)
///
///  2048 chips per block, in keyed order:
///     512 pilot chips                        keyed N(0,1) amplitudes: find offset and speed
///    1536 payload chips = 256 coded bits × 6 → 64 payload + 16 CRC bits, (256, 80) polar code
/// ```
///
/// A chip's amplitude `a` scales the host's own spectrum in its cell by `1 + ε·a` (ε ≈ 3 %), so
/// the mark follows the music's level in every band and cell, and its phase is the host's.
enum AudioLayout {
    /// The rate the mark is computed and detected at, Hz.
    static let sampleRate = 16_000
    /// Samples per cell at the internal rate; also the FFT size.
    static let cellLength = 512
    static let fftSize = 512
    /// FFT bin spacing at the internal rate, Hz.
    static let binWidth = Double(sampleRate) / Double(fftSize)
    /// Cells per block (time).
    static let blockCells = 64
    static let bandCount = 32
    static let chipCount = blockCells * bandCount
    /// Samples per block at the internal rate (2.048 s).
    static let blockLength = blockCells * cellLength

    static let informationBits = PayloadFrame.bitCount
    static let codedBits = PolarCode.length
    static let chipsPerCodedBit = 6
    static let payloadChipCount = codedBits * chipsPerCodedBit
    static let pilotChipCount = chipCount - payloadChipCount

    /// Chip amplitudes are keyed N(0,1) values clipped to ±2 (no rare huge chip).
    static let amplitudeClip: Float = 2

    static let lowestFrequency = 150.0
    static let highestFrequency = 7000.0

    /// The 25 band edges, Hz: equal steps on the mel scale (O'Shaughnessy 1987), so low bands are
    /// narrow — bass-heavy material still spreads over several bands.
    static let bandEdges: [Double] = {
        func mel(_ f: Double) -> Double { 2595 * log10(1 + f / 700) }
        func hertz(_ m: Double) -> Double { 700 * (pow(10, m / 2595) - 1) }
        let low = mel(lowestFrequency), high = mel(highestFrequency)
        return (0...bandCount).map { hertz(low + (high - low) * Double($0) / Double(bandCount)) }
    }()

    /// FFT bins `lo..<hi` of each band at the internal rate (no speed change), each at least one bin.
    static let bandBins: [Range<Int>] = {
        var ranges = [Range<Int>]()
        var previous = Int((bandEdges[0] / binWidth).rounded())
        for b in 0..<bandCount {
            let upper = max(previous + 1, Int((bandEdges[b + 1] / binWidth).rounded()))
            ranges.append(previous..<upper)
            previous = upper
        }
        return ranges
    }()

    /// The 25 bin boundaries of the bands: band b is bins `bandBinEdges[b] ..< bandBinEdges[b + 1]`.
    static let bandBinEdges: [Int] = bandBins.map(\.lowerBound) + [bandBins[bandCount - 1].upperBound]

    /// Chip index of (block cell, band).
    @inline(__always)
    static func chip(cell: Int, band: Int) -> Int { cell * bandCount + band }
}
