/// What a key fixes about one block of chips, the same for the image and the audio mark: which
/// chips are pilot and which carry which coded bit (a keyed permutation), and every chip's keyed
/// N(0,1) weight.
///
/// Three named key streams (`<mark>/chip-order`, `<mark>/pilot-weights`, `<mark>/payload-weights`)
/// keep the uses independent: in particular the payload weights are independent of everything the
/// synchronisation looks at, which is what makes the false-positive model exact.
struct ChipAssignment: Sendable {
    /// Chip index of each pilot chip, in keyed order.
    let pilotChips: [Int]
    /// Keyed N(0,1) detector weight of each pilot chip.
    let pilotWeights: [Float]
    /// `payloadChips[k·i ..< k·(i+1)]` carry coded bit i (k = chips per coded bit).
    let payloadChips: [Int]
    /// Keyed N(0,1) detector weight of each payload chip.
    let payloadWeights: [Float]
    let chipCount: Int
    let chipsPerCodedBit: Int
    /// Embedded amplitudes are the weights clipped to ±this, to bound the peak change.
    let amplitudeClip: Float

    /// - Parameter mark: the streams' name prefix, e.g. `image/v1`.
    init(key: MarkKey, mark: String, chipCount: Int, pilotCount: Int, chipsPerCodedBit: Int, amplitudeClip: Float) {
        var order = KeyedStream(key: key, purpose: "\(mark)/chip-order")
        let permutation = order.permutation(of: chipCount)
        pilotChips = Array(permutation[0..<pilotCount])
        payloadChips = Array(permutation[pilotCount...])
        var pilotStream = KeyedStream(key: key, purpose: "\(mark)/pilot-weights")
        pilotWeights = (0..<pilotCount).map { _ in Float(pilotStream.nextGaussian()) }
        var payloadStream = KeyedStream(key: key, purpose: "\(mark)/payload-weights")
        payloadWeights = (0..<(chipCount - pilotCount)).map { _ in Float(payloadStream.nextGaussian()) }
        self.chipCount = chipCount
        self.chipsPerCodedBit = chipsPerCodedBit
        self.amplitudeClip = amplitudeClip
    }

    func clip(_ weight: Float) -> Float {
        min(amplitudeClip, max(-amplitudeClip, weight))
    }

    /// Every chip's amplitude, by chip index: 0 for chips in neither list, the clipped weight for
    /// pilot chips, and ± the clipped weight for payload chips by their coded bit (+ for a 1).
    /// - Parameter coded: the coded bits (0/1), or nil for the pilot alone.
    func amplitudes(coded: [UInt8]?) -> [Float] {
        var amplitudes = [Float](repeating: 0, count: chipCount)
        for (chip, weight) in zip(pilotChips, pilotWeights) { amplitudes[chip] = clip(weight) }
        guard let coded else { return amplitudes }
        for (index, chip) in payloadChips.enumerated() {
            let sign: Float = coded[index / chipsPerCodedBit] == 1 ? 1 : -1
            amplitudes[chip] = sign * clip(payloadWeights[index])
        }
        return amplitudes
    }
}
