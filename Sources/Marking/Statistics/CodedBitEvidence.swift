import Foundation

/// The payload chips' evidence at one alignment: the exact-null χ² statistic and the decoded word.
///
/// Shared by the image and the audio mark (`docs/image-mark.md`, `docs/audio-mark.md`): given the
/// observed chip values y (whatever the media), keyed N(0,1) weights g make each coded bit's
/// `Σ g y / ‖y‖` exactly N(0,1) without the mark, so `D = Σ s²` is exactly χ² with one degree of
/// freedom per coded bit that saw any energy; the CRC then holds with probability 2⁻¹⁶,
/// independently of D.
struct CodedBitEvidence {
    /// What the Viterbi decoder is given per coded bit (the χ² statistic is the same either way).
    enum SoftInput {
        /// Σ g y: the matched-filter sum. Best for the image mark, whose chips come from one fold
        /// with nearly equal noise (measured: the normalised score lost one image each on JPEG 50,
        /// the training chain and both crops of the standard suite).
        case correlation
        /// Σ g y / ‖y‖: a bit whose chips are mostly host noise counts for less. Best for the audio
        /// mark, whose cells' host variation differs widely.
        case normalised
    }

    var chiSquare: Double
    var degreesOfFreedom: Int
    /// ln P(χ²_dof ≥ chiSquare).
    var logTail: Double
    /// The payload decoded, when its CRC holds.
    var payload: Payload?
    /// How many words of the decoder's list the CRC may pick from (1: Viterbi's best only).
    var listSize: Int
    /// Where in the list (0: the most likely word) the word whose CRC checked was.
    var listRank: Int?

    /// ln of the false-positive probability of this evidence at one alignment.
    ///
    /// Without a mark every word of the decoder's list is uniform whatever the |s| are (flipping
    /// the signs of one codeword's positions maps the list onto itself plus that codeword), so
    /// each word checks with probability exactly 2⁻¹⁶, independently of D. Outcomes rank by which
    /// word checked, then by the χ² tail p:
    ///   - L = 1: FPR = 2⁻¹⁶·p if the CRC holds, else 2⁻¹⁶ + (1 − 2⁻¹⁶)·p; P(FPR ≤ t) = t exactly.
    ///   - L > 1: the best word checks: FPR = 2·2⁻¹⁶·p; a later one: FPR = 2(L−1)·2⁻¹⁶·p; none:
    ///     FPR = q + (1 − q)·p with q = L·2⁻¹⁶. The first two share the level t half and half
    ///     (union bound over the L − 1 later words), so P(FPR ≤ t) ≤ t, and a clip whose best word
    ///     checks pays a factor 2, not L.
    var logFalsePositive: Double {
        let unit = 0x1p-16
        guard listSize > 1 else {
            if payload != nil { return log(unit) + logTail }
            return log(unit + (1 - unit) * exp(logTail))
        }
        switch listRank {
        case 0?: return log(2 * unit) + logTail
        case _?: return log(2 * Double(listSize - 1) * unit) + logTail
        case nil:
            let q = Double(listSize) * unit
            return log(q + (1 - q) * exp(logTail))
        }
    }

    /// - Parameters:
    ///   - value: the observed value of a chip, by chip index.
    ///   - chips: the chip index of each payload chip, `chipsPerCodedBit` consecutive per coded bit.
    ///   - weights: the keyed N(0,1) detector weight of each payload chip.
    ///   - listSize: how many of the decoder's most likely words the CRC may pick from.
    init(value: (Int) -> Float, chips: [Int], weights: [Float], chipsPerCodedBit perBit: Int,
         softInput: SoftInput, listSize: Int = 1) {
        let codedBits = chips.count / perBit
        var soft = [Float](repeating: 0, count: codedBits)
        var statistic = 0.0
        var dof = 0
        for bit in 0..<codedBits {
            var correlation: Float = 0, energy: Float = 0
            for k in (bit * perBit)..<(bit * perBit + perBit) {
                let y = value(chips[k])
                correlation += weights[k] * y
                energy += y * y
            }
            switch softInput {
            case .correlation: soft[bit] = correlation
            case .normalised: soft[bit] = energy > 0 ? correlation / energy.squareRoot() : 0
            }
            // Given the chips y, Σ g y / ‖y‖ with keyed g ~ N(0,1) is exactly N(0,1) without a mark.
            if energy > 0 {
                let s = Double(correlation) / Double(energy).squareRoot()
                statistic += s * s
                dof += 1
            }
        }
        chiSquare = statistic
        degreesOfFreedom = max(dof, 1)
        logTail = TailProbability.logChiSquare(statistic, degreesOfFreedom: degreesOfFreedom)
        self.listSize = listSize
        payload = nil
        listRank = nil
        let words = listSize == 1 ? [ConvolutionalCode.decode(soft, informationBits: PayloadFrame.bitCount)]
            : ConvolutionalCode.listDecode(soft, informationBits: PayloadFrame.bitCount, listSize: listSize)
        for (rank, bits) in words.enumerated() {
            if let found = PayloadFrame.payload(from: bits) { payload = found; listRank = rank; break }
        }
    }
}
