import Foundation

/// The payload chips' evidence at one alignment: an exact-null test statistic and the decoded word.
///
/// Shared by the image and the audio mark (`docs/image-mark.md`, `docs/audio-mark.md`): given the
/// observed chip values y (whatever the media), keyed N(0,1) weights g make each coded bit's
/// correlation `cᵢ = Σ g y` exactly N(0, ‖yᵢ‖²) without the mark, independently across bits, so
/// the statistic's null distribution is known exactly given y; the CRC then holds with
/// probability 2⁻¹⁶, independently of it.
struct CodedBitEvidence {
    /// Each coded bit's correlation is scaled by nᵢ = w·‖yᵢ‖² + σ̂², σ̂² = Σ‖yᵢ‖² / n the mean bit
    /// energy; the test statistic is T = Σ cᵢ² / nᵢ and the decoder gets cᵢ / √nᵢ. Given y, T is
    /// exactly Σ vᵢ Zᵢ² with the known weights vᵢ = ‖yᵢ‖² / nᵢ (tail by saddlepoint).
    ///
    /// Mostly one pooled scale: the matched filter when the chips' noise is about equal (the image
    /// mark's fold, the audio mark's whitened cells). The own-energy term w = ¼ keeps a bit whose
    /// chips caught a strong host edge or onset scaled by its own energy. The alternative with an
    /// exactly-χ² null, each bit divided by its own ‖yᵢ‖, multiplies every bit's signal by the
    /// noisy norm of a few samples: measured, it lost 34 of 1 584 image trials and 3 of 264 audio
    /// trials that this statistic keeps (`docs/image-mark.md`, `docs/audio-mark.md`).
    static let ownEnergyWeight = 0.25

    /// The test statistic T (see ``ownEnergyWeight``).
    var statistic: Double
    /// Coded bits that saw any energy (the others are left out of T).
    var degreesOfFreedom: Int
    /// ln P(T ≥ statistic) without a mark.
    var logTail: Double
    /// The payload decoded, when its CRC holds.
    var payload: Payload?
    /// Where in the list (0: the most likely word) the word whose CRC checked was.
    var listRank: Int?

    /// The χ² value with ``degreesOfFreedom`` whose tail is the statistic's: one scale on which
    /// every report's strength of evidence compares (about the degrees of freedom without a mark).
    var chiSquare: Double {
        TailProbability.chiSquareQuantile(logTail: logTail, degreesOfFreedom: degreesOfFreedom)
    }

    /// ln of the false-positive probability of this evidence at one alignment.
    ///
    /// Without a mark every word of the decoder's list is uniform whatever the |cᵢ| are (given y
    /// the signs are fair coins, and flipping the signs of one codeword's positions maps the list
    /// onto itself plus that codeword), so each word checks with probability exactly 2⁻¹⁶,
    /// independently of T, which sees only the |cᵢ|. Outcomes rank by which word of the list of
    /// L = ``PolarCode/listSize`` checked, then by the tail p of T: the best word checks:
    /// FPR = 2·2⁻¹⁶·p; a later one: FPR = 2(L−1)·2⁻¹⁶·p; none: FPR = q + (1 − q)·p with
    /// q = L·2⁻¹⁶. The first two share the level t half and half (union bound over the L − 1 later
    /// words), so P(FPR ≤ t) ≤ t, and a read whose best word checks pays a factor 2, not L.
    var logFalsePositive: Double {
        let unit = 0x1p-16, listSize = PolarCode.listSize
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
    init(value: (Int) -> Float, chips: [Int], weights: [Float], chipsPerCodedBit perBit: Int) {
        let codedBits = chips.count / perBit
        var correlations = [Float](repeating: 0, count: codedBits)
        var energies = [Double](repeating: 0, count: codedBits)
        for bit in 0..<codedBits {
            var correlation: Float = 0, energy: Float = 0
            for k in (bit * perBit)..<(bit * perBit + perBit) {
                let y = value(chips[k])
                correlation += weights[k] * y
                energy += y * y
            }
            correlations[bit] = correlation
            energies[bit] = Double(energy)
        }
        let seen = energies.filter { $0 > 0 }.count
        degreesOfFreedom = max(seen, 1)
        // Given y, cᵢ ~ N(0, ‖yᵢ‖²) independently: T = Σ vᵢ Zᵢ² with vᵢ = ‖yᵢ‖² / nᵢ.
        let pooled = energies.reduce(0, +) / Double(max(seen, 1))
        var sum = 0.0
        var nullWeights = [Double](repeating: 0, count: codedBits)
        var soft = [Float](repeating: 0, count: codedBits)
        for bit in 0..<codedBits where energies[bit] > 0 {
            let scale = Self.ownEnergyWeight * energies[bit] + pooled
            let c = Double(correlations[bit])
            sum += c * c / scale
            nullWeights[bit] = energies[bit] / scale
            soft[bit] = Float(c / scale.squareRoot())
        }
        statistic = sum
        logTail = TailProbability.logWeightedChiSquare(sum, weights: nullWeights)
        payload = nil
        listRank = nil
        for (rank, bits) in PolarCode.listDecode(soft).enumerated() {
            if let found = PayloadFrame.payload(from: bits) { payload = found; listRank = rank; break }
        }
    }
}
