/// Everything a key fixes about the audio mark, computed once per key and shared by every embed
/// and detection under it (a corpus scan builds it once): which chips of the block are pilot and
/// which carry which coded bit, and their keyed weights.
///
/// Named key streams (`audio/v1/…`) keep each use of randomness independent of the others; the
/// payload weights in particular are independent of everything the synchronisation looks at,
/// which is what makes the false-positive model exact (see `docs/audio-mark.md`).
public final class AudioMarkCodebook: Sendable {
    /// The key's public identifier (``MarkKey/id``).
    public let keyID: String
    /// Chip index (`cell · bandCount + band`) of each pilot chip.
    let pilotChips: [Int]
    /// Keyed N(0,1) detector weight of each pilot chip.
    let pilotWeights: [Float]
    /// `payloadChips[4i ..< 4i+4]` carry coded bit i.
    let payloadChips: [Int]
    /// Keyed N(0,1) detector weight of each payload chip.
    let payloadWeights: [Float]
    /// Σ g² over the pilot, for normalising pilot scores.
    let pilotEnergy: Float
    /// Where each pilot chip (cell f, band b) reads a band-major, twice-repeated fold at offset 0:
    /// `b · 128 + f + 64` (see ``AudioSync/scores(_:codebook:)``).
    let pilotBases: [Int]

    public init(key: MarkKey) {
        keyID = key.id
        var order = KeyedStream(key: key, purpose: "audio/v1/chip-order")
        let permutation = order.permutation(of: AudioLayout.chipCount)
        pilotChips = Array(permutation[0..<AudioLayout.pilotChipCount])
        payloadChips = Array(permutation[AudioLayout.pilotChipCount...])
        var pilotStream = KeyedStream(key: key, purpose: "audio/v1/pilot-weights")
        pilotWeights = (0..<pilotChips.count).map { _ in Float(pilotStream.nextGaussian()) }
        var payloadStream = KeyedStream(key: key, purpose: "audio/v1/payload-weights")
        payloadWeights = (0..<payloadChips.count).map { _ in Float(payloadStream.nextGaussian()) }
        pilotEnergy = pilotWeights.reduce(0) { $0 + $1 * $1 }
        let cells = AudioLayout.blockCells, bands = AudioLayout.bandCount
        pilotBases = pilotChips.map { chip in (chip % bands) * 2 * cells + chip / bands + cells }
    }

    static func clip(_ weight: Float) -> Float {
        min(AudioLayout.amplitudeClip, max(-AudioLayout.amplitudeClip, weight))
    }

    /// The amplitude of every chip of the block (index `cell · bandCount + band`) for `payload`:
    /// pilot chips carry their clipped weight, payload chips ± theirs by their coded bit.
    func chipAmplitudes(for payload: Payload) -> [Float] {
        let coded = ConvolutionalCode.encode(PayloadFrame.bits(of: payload))
        var amplitudes = [Float](repeating: 0, count: AudioLayout.chipCount)
        for (chip, weight) in zip(pilotChips, pilotWeights) { amplitudes[chip] = Self.clip(weight) }
        for (index, chip) in payloadChips.enumerated() {
            let sign: Float = coded[index / AudioLayout.chipsPerCodedBit] == 1 ? 1 : -1
            amplitudes[chip] = sign * Self.clip(payloadWeights[index])
        }
        return amplitudes
    }
}
