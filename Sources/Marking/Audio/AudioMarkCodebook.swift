import Spectral

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
    /// Pilot and payload chips (index `cell · bandCount + band`) and their keyed weights.
    let chips: ChipAssignment
    /// Σ g² over the pilot, for normalising pilot scores.
    let pilotEnergy: Float
    /// Where each pilot chip (cell f, band b) reads a band-major, time-reversed, twice-repeated
    /// fold at offset 0: `b · 128 + 63 − f` (see ``AudioSync/scores(_:codebook:)``).
    let pilotBases: [Int]
    /// The pilot's block (weights on pilot chips, zero elsewhere) transformed for
    /// ``PilotSpectrum/scores(fold:pilot:)``.
    let pilotSpectrum: [ComplexFloat]
    /// Each file's block rotation (``PatternOrigin``).
    let origin: PatternOrigin

    public init(key: MarkKey) {
        keyID = key.id
        origin = PatternOrigin(key: key, mark: "audio/v1")
        chips = ChipAssignment(key: key, mark: "audio/v1", chipCount: AudioLayout.chipCount,
                               pilotCount: AudioLayout.pilotChipCount,
                               chipsPerCodedBit: AudioLayout.chipsPerCodedBit, amplitudeClip: AudioLayout.amplitudeClip)
        pilotEnergy = chips.pilotWeights.reduce(0) { $0 + $1 * $1 }
        let cells = AudioLayout.blockCells, bands = AudioLayout.bandCount
        pilotBases = chips.pilotChips.map { chip in (chip % bands) * 2 * cells + cells - 1 - chip / bands }
        var pilot = [Float](repeating: 0, count: AudioLayout.chipCount)
        for (chip, weight) in zip(chips.pilotChips, chips.pilotWeights) { pilot[chip] = weight }
        pilotSpectrum = PilotSpectrum.transform(pilot)
    }

    /// The amplitude of every chip of the block (index `cell · bandCount + band`) for `payload`:
    /// pilot chips carry their clipped weight, payload chips ± theirs by their coded bit.
    func chipAmplitudes(for payload: Payload) -> [Float] {
        chips.amplitudes(coded: PolarCode.encode(PayloadFrame.bits(of: payload)))
    }

    /// The block cell that the first cell of the file whose internal mix is `host` carries, for
    /// `payload`.
    func blockRotation(for payload: Payload, host: [Float]) -> Int {
        origin.draw(payload: payload, content: host, bound: AudioLayout.blockCells)
    }

    /// `amplitudes` (index `cell · bandCount + band`) rotated so that cell c carries block cell
    /// (c + `rotation`) mod 64.
    static func rotated(_ amplitudes: [Float], by rotation: Int) -> [Float] {
        PatternOrigin.shifted(amplitudes, rows: AudioLayout.blockCells, columns: AudioLayout.bandCount,
                              rowShift: rotation, columnShift: 0)
    }
}
