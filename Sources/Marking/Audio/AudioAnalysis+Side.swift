/// The side view (see `docs/audio-mark.md`, "Stereo polarity").
extension AudioAnalysis {
    /// The side view reads at most this much of the clip's side, seconds: an inverted channel is
    /// inverted throughout, and 20 s hold the evidence of 15 s with margin.
    static let sideViewDuration = 20.0

    /// Views of the clip the mark is looked for in: the mono mix, and for a stereo clip whose
    /// side is louder than its mid also the side. Fixed by the clip alone (not the key), so that
    /// it can enter the false-positive probability as a number of tests chosen in advance.
    var viewCount: Int { sideSamples == nil ? 1 : 2 }

    /// The first ``sideViewDuration`` of the clip's side signal (L − R)/2, analysed like a
    /// segment (a thinner coarse search, no segments of its own), built on first use — a
    /// detection that found the mark in the mix never pays for it — and shared by every key
    /// checked against this clip.
    ///
    /// The mark is added to both channels alike: it lives in the mid, and inverting one
    /// channel's polarity (a one-line edit, `sox remix 1 2i`) moves it wholly into the side,
    /// where a mix-only detector never looks. Such a clip's side is louder than its mid whenever
    /// the original's channels were correlated at all — nearly all stereo music, and every
    /// dual-mono recording — so the side is read exactly when it is the louder. Clips whose
    /// channels were anti-correlated to begin with pay for a reading they rarely need, and an
    /// inverted copy of such a clip is not found.
    var sideView: AudioAnalysis? {
        guard let sideSamples else { return nil }
        if let built = sideAnalysis.withLock({ $0 }) { return built }
        let view = AudioAnalysis(internalSamples: sideSamples, start: start, chunkCount: chunkCount, speeds: speeds,
                                 partialCoarseCells: Self.segmentCoarseCells)
        sideAnalysis.withLock { $0 = view }
        return view
    }
}
