import Foundation

/// Which bands carry the mark, and how strongly, from where the signal has energy.
///
/// Every band's weight comes from its long-term power density (mean power per FFT bin) against
/// the strongest band's: bands within ``fullStrengthRange`` dB of it get weight 1, bands more than
/// ``silentRange`` dB below it get 0, linearly in dB between. A bass-heavy track therefore carries
/// its mark in the low bands, where its energy is (and codecs keep it); a band a codec would
/// quantise to nothing carries none. The embedder scales each band's relative change by this
/// weight; the detector, from the clip it receives, weights each band's cells the same way.
struct AudioBandPlan: Sendable, Equatable {
    /// Per band, `0...1`.
    var weights: [Float]

    /// v1 had 40 and 60 dB. Sparse and tonal material (a wind chime over a low hum, a loud
    /// synthetic bass line) keeps most of its spectrum 40–70 dB under its strongest band, and v1
    /// left that unmarked; 60/80 marks it by the same relative change as any band (the change
    /// stays 15–25 dB under the band's own content; its SNR cost is nil) and was measured to
    /// give 15–50 % more χ² excess on those files and the same on dense music.
    static let fullStrengthRange = 60.0
    static let silentRange = 80.0

    /// - Parameter density: mean power per FFT bin of each band (any common scale).
    init(density: [Double]) {
        precondition(density.count == AudioLayout.bandCount)
        let strongest = density.max() ?? 0
        guard strongest > 0 else {
            weights = [Float](repeating: 0, count: density.count)
            return
        }
        weights = density.map { value in
            let level = 10 * log10(max(value, strongest * 1e-30) / strongest)  // ≤ 0 dB
            let weight = (level + Self.silentRange) / (Self.silentRange - Self.fullStrengthRange)
            return Float(min(1, max(0, weight)))
        }
    }
}
