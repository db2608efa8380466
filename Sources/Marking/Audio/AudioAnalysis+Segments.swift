import Synchronization

/// Segment search (see `docs/audio-mark.md`, "Segment search").
extension AudioAnalysis {
    /// Segment search: a marked recording inside a longer one (a track in a mix or a compilation,
    /// a song after an intro) is read from windows of ``segmentLength`` every ``segmentHop``, so
    /// that the unmarked rest neither hides it from the synchronisation (which looks at the first
    /// 20 s) nor dilutes its fold. Any 15-s stretch lies whole in one window.
    static let segmentLength = 30.0
    static let segmentHop = 15.0
    /// Clips longer than this (analysed part, seconds) are also searched by segments.
    static let segmentSearchMinimum = 35.0

    /// Segments this clip is also searched in; fixed by the analysed duration alone, so that it
    /// can enter the false-positive probability as a number of tests chosen in advance.
    var segmentCount: Int { isPartial ? 0 : Self.segmentRanges(sampleCount: spectrum.sampleCount).count }

    /// Segments in internal samples: ``segmentLength`` every ``segmentHop`` (a whole number of fine
    /// frames), and a last one from the fine frame nearest to ``segmentLength`` before the end to
    /// the end (up to a fine frame longer).
    static func segmentRanges(sampleCount: Int) -> [Range<Int>] {
        let rate = Double(AudioLayout.sampleRate)
        guard Double(sampleCount) / rate > segmentSearchMinimum else { return [] }
        let length = Int(segmentLength * rate), hop = Int(segmentHop * rate)
        var ranges = Swift.stride(from: 0, to: sampleCount - length, by: hop).map { $0..<($0 + length) }
        let last = (sampleCount - length) / ClipSpectrum.hop * ClipSpectrum.hop
        if ranges.last?.lowerBound == last { ranges.removeLast() }
        ranges.append(last..<sampleCount)
        return ranges
    }

    /// The segments' analyses, built on first use (a detection that found the mark in the whole
    /// clip never pays for them) and shared by every key checked against this clip. They slice
    /// the clip's spectra (segment starts lie on the fine-frame grid), so only their band
    /// statistics and coarse folds are new work.
    var segments: [AudioAnalysis] {
        guard !isPartial else { return [] }
        if let built = segmentAnalyses.withLock({ $0 }) { return built }
        let ranges = Self.segmentRanges(sampleCount: spectrum.sampleCount)
        let built = ranges.map { range in
            AudioAnalysis(segmentOf: self, first: range.lowerBound, length: range.count, isLast: range == ranges.last)
        }
        segmentAnalyses.withLock { $0 = built }
        return built
    }

    /// A segment's coarse search tries phases 0 and 2 only and every other coarse speed (a quarter
    /// of the work); its refinement then starts with the phases in between and a speed step twice
    /// the usual (``AudioSync/refine(_:analysis:codebook:cellLimit:continuingFrom:)``). The phases
    /// matter: refined from the wrong one, the speed drifted to absorb it (1.00125 instead of 1,
    /// χ² 361 instead of 487 for a track 5 s into a segment).
    static let segmentCoarsePhases = [0, 2]
    static let segmentCoarseSpeedStride = 2
    static let segmentCoarseCells = Int(segmentHop * Double(AudioLayout.sampleRate) / Double(AudioLayout.cellLength))
}
