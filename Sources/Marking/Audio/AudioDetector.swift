import Foundation
import Media

/// Options for detecting the audio mark.
public struct AudioDetectOptions: Sendable {
    /// Largest false-positive probability at which a mark is reported (per clip).
    public var threshold: Double
    /// Replay speeds searched (``detect(_:options:)-(AudioBuffer,_)`` only: an ``AudioAnalysis``
    /// is built with its own).
    public var speeds: AudioSpeedSearch

    public static let defaultThreshold = 1e-9

    public init(threshold: Double = defaultThreshold, speeds: AudioSpeedSearch = .standard) {
        self.threshold = threshold
        self.speeds = speeds
    }
}

/// The replay speeds the audio detector searches: resampled (pitch and tempo together), as a tempo
/// change that kept the pitch, and as a pitch shift (at speed 1) by the same factors.
public enum AudioSpeedSearch: Sendable, Equatable {
    /// 0.8 … 1.25 (audiowmark's slow option): every detection, at full speed.
    case standard
    /// 0.67 … 1.5: twice the standard search's speeds; above 1.14 the mark's top bands lie beyond
    /// the internal rate's 8 kHz and only the lower ones are read.
    case wide

    public var range: ClosedRange<Double> {
        switch self {
        case .standard: 0.8...1.25
        case .wide: 0.67...1.5
        }
    }
}

/// Detects the audio mark under one key. Build once per key (the codebook is the per-key work) and
/// call ``detect(_:options:)-(AudioBuffer,_)`` for any number of clips, from any number of threads;
/// to check one clip against many keys, build its ``AudioAnalysis`` once.
///
/// A clip can be any excerpt of the marked audio, at any sample rate and channel count, shifted by
/// any number of samples and replayed 0.8–1.25 times as fast — resampled (the pitch changes too),
/// time-stretched (a tempo change that kept the pitch) — or pitch-shifted by as much at its tempo.
public struct AudioDetector: Sendable {
    public let codebook: AudioMarkCodebook

    public init(key: MarkKey) { codebook = AudioMarkCodebook(key: key) }
    public init(codebook: AudioMarkCodebook) { self.codebook = codebook }

    /// Distinct alignments (speed × time offset, ranked by the pilot) whose payload chips are read.
    public static let testedAlignments = 4
    /// Readings per alignment: on the fine-frame grid and half a frame (64 samples) off it.
    public static let readingsPerAlignment = 2
    /// Payload readings per clip, fixed in advance: the false-positive probability stated is this
    /// many times the smallest per-reading probability (a union bound).
    public static let testedReadings = testedAlignments * readingsPerAlignment

    /// Looks for the mark in `audio`, a clip or a whole recording: beyond
    /// ``AudioAnalysis/maximumAnalysedDuration`` it is read in chunks (``AudioChunks``) until one
    /// gives the mark.
    /// - Complexity: O(n) in the clip's length.
    public func detect(_ audio: AudioBuffer, options: AudioDetectOptions = .init()) -> AudioDetection {
        let ranges = AudioChunks.ranges(frameCount: audio.frameCount, sampleRate: audio.sampleRate)
        guard ranges.count > 1 else {
            return detect(AudioAnalysis(chunk: audio, start: 0, of: 1, speeds: options.speeds), options: options)
        }
        var best: AudioDetection?
        for range in ranges {
            var chunk = audio
            chunk.channels = audio.channels.map { Array($0[range]) }
            let analysis = AudioAnalysis(chunk: chunk, start: Double(range.lowerBound) / Double(audio.sampleRate),
                                         of: ranges.count, speeds: options.speeds)
            let result = detect(analysis, options: options)
            best = Self.stronger(best, result)
            if result.detected { break }
        }
        return best!
    }

    /// Of two answers for the same recording (chunks of it), the one with the smaller stated
    /// probability.
    public static func stronger(_ a: AudioDetection?, _ b: AudioDetection) -> AudioDetection {
        guard let a else { return b }
        return b.falsePositiveProbability < a.falsePositiveProbability ? b : a
    }

    /// Tests a clip of `analysis` is put to, each with ``testedReadings`` readings: in each view
    /// (the mono mix, and for some stereo clips the side: ``AudioAnalysis/sideView``) the whole
    /// clip, and for a long clip its segments together (see ``AudioAnalysis/segments``) — fixed by
    /// the clip, never the key, so that the stated probability can be this many times the best
    /// reading's (a union bound). Segments and the side are read only when what came before gave
    /// no mark; reading fewer tests than counted only makes the bound looser.
    static func tests(_ analysis: AudioAnalysis) -> Int {
        analysis.chunkCount * analysis.viewCount * (analysis.segmentCount > 0 ? 2 : 1)
    }

    /// Looks for the mark in an analysed clip: in the whole clip and, if it is not found there and
    /// the clip is long, in each segment; then the same in the clip's side if it has one to read.
    public func detect(_ analysis: AudioAnalysis, options: AudioDetectOptions = .init()) -> AudioDetection {
        let tests = Double(Self.tests(analysis))
        let mix = detect(view: analysis, tests: tests, options: options)
        guard !mix.detected, let side = analysis.sideView else { return mix }
        return Self.stronger(mix, detect(view: side, tests: tests, options: options))
    }

    /// One view of a clip read as ``detect(_:options:)-(AudioAnalysis,_)`` describes, its
    /// probabilities charged for `tests` tests.
    private func detect(view analysis: AudioAnalysis, tests: Double, options: AudioDetectOptions) -> AudioDetection {
        var result = AudioDetection(detected: false, payload: nil, falsePositiveProbability: 1,
                                    threshold: options.threshold, offsets: [], speed: nil,
                                    chiSquare: 0, degreesOfFreedom: AudioLayout.codedBits, syncScore: 0)
        func probability(_ reading: Reading) -> Double {
            min(1, tests * Double(Self.testedReadings) * exp(reading.evidence.logFalsePositive))
        }
        let decisive = { (reading: Reading) in probability(reading) <= options.threshold }
        var best = bestReading(in: [analysis], decisive: decisive)
        if analysis.segmentCount > 0, best.map({ probability($0) > options.threshold }) ?? true,
           let reading = bestReading(in: analysis.segments, decisive: decisive),
           best == nil || reading.evidence.logFalsePositive < best!.evidence.logFalsePositive {
            best = reading
        }
        guard let best else { return result }
        result.falsePositiveProbability = probability(best)
        result.chiSquare = best.evidence.chiSquare
        result.degreesOfFreedom = best.evidence.degreesOfFreedom
        result.syncScore = Double(best.alignment.score)
        result.detected = result.falsePositiveProbability <= options.threshold
        if result.detected {
            result.payload = best.evidence.payload
            result.speed = best.alignment.speed
            result.pitch = best.alignment.pitch ?? best.alignment.speed
            result.offsets = Self.blockStarts(best.alignment, duration: best.analysis.duration).map { $0 + best.analysis.start }
        }
        return result
    }

    struct Reading {
        var evidence: CodedBitEvidence
        var alignment: AudioAlignment
        var analysis: AudioAnalysis
    }

    /// The strongest of the ``testedReadings`` payload readings of one clip, or of a clip's
    /// segments searched together: the pilot's best coarse alignments over all of them are
    /// refined, each in its own segment, and ``testedAlignments`` distinct ones read — one test,
    /// however many segments (a segment search costs about one clip's refinement, plus the
    /// segments' coarse folds).
    ///
    /// The pilot's best coarse alignment is refined and read first, and when its reading is
    /// `decisive` (the answer is a detection) nothing else is: a marked clip costs one candidate's
    /// refinement instead of ``AudioSync/refinedCandidates``. Otherwise the other candidates are
    /// refined and the best distinct ones read beside it. Either way at most ``testedReadings``
    /// readings are made, all of alignments the pilot alone chose, so the union bound holds.
    private func bestReading(in analyses: [AudioAnalysis], decisive: (Reading) -> Bool) -> Reading? {
        var coarse = [(alignment: AudioAlignment, analysis: Int)]()
        for (index, analysis) in analyses.enumerated() {
            coarse += AudioSync.coarseCandidates(analysis.coarse, codebook: codebook).map { ($0, index) }
        }
        guard !coarse.isEmpty else { return nil }
        coarse.sort { $0.alignment.score > $1.alignment.score }
        // Every candidate is refined over at most the first 30 s of its clip; the ones tested are
        // then refined on over the rest (a long clip's whole-clip folds are most of its cost).
        let limit = AudioSync.refinePrefixCells
        func refinedOverPrefix(_ candidate: (alignment: AudioAlignment, analysis: Int))
            -> (alignment: AudioAlignment, fold: CellFold, analysis: Int, step: Double) {
            let (alignment, fold, step) = AudioSync.refine(candidate.alignment, analysis: analyses[candidate.analysis],
                                                           codebook: codebook, cellLimit: limit)
            return (alignment, fold, candidate.analysis, step)
        }
        func refinedOverWholeClip(_ candidate: (alignment: AudioAlignment, fold: CellFold, analysis: Int, step: Double))
            -> (alignment: AudioAlignment, fold: CellFold, analysis: Int) {
            let analysis = analyses[candidate.analysis]
            guard Self.extendsPastPrefix(candidate.alignment, in: analysis) else {
                return (candidate.alignment, candidate.fold, candidate.analysis)
            }
            let (alignment, fold, _) = AudioSync.refine(candidate.alignment, analysis: analysis, codebook: codebook,
                                                        continuingFrom: candidate.step)
            return (alignment, fold, candidate.analysis)
        }
        var best: Reading?
        func read(_ entry: (alignment: AudioAlignment, fold: CellFold, analysis: Int)) {
            let analysis = analyses[entry.analysis]
            let twin = AudioSync.halfHopTwin(of: entry.alignment, analysis: analysis, codebook: codebook)
            for (reading, fold) in [(entry.alignment, entry.fold), twin] {
                let evidence = Self.evidence(fold: fold, offset: reading.offset, codebook: codebook)
                if best == nil || evidence.logFalsePositive < best!.evidence.logFalsePositive {
                    best = Reading(evidence: evidence, alignment: reading, analysis: analysis)
                }
            }
        }

        let first = refinedOverWholeClip(refinedOverPrefix(coarse[0]))
        read(first)
        if let best, decisive(best) { return best }
        let others = coarse.dropFirst().prefix(AudioSync.refinedCandidates - 1).map(refinedOverPrefix)
        var chosen = [(alignment: first.alignment, analysis: first.analysis)]
        for candidate in others.sorted(by: { $0.alignment.score > $1.alignment.score }) where chosen.allSatisfy({
            $0.analysis != candidate.analysis || !$0.alignment.isClose(to: candidate.alignment)
        }) {
            if continuesOverWholeClip(candidate, analysis: analyses[candidate.analysis]) {
                let entry = refinedOverWholeClip(candidate)
                chosen.append((entry.alignment, entry.analysis))
                read(entry)
            } else {
                chosen.append((candidate.alignment, candidate.analysis))
            }
            if chosen.count == Self.testedAlignments { break }
        }
        return best
    }

    /// Whether a candidate after the first, refined over a long clip's first 30 s, is refined on
    /// over the whole clip and read: only if the pilot scores at least ``continuationScore``
    /// there at the alignment found (one fold, which the refinement then starts from). A clip up
    /// to 30 s has nothing more to refine: its candidates are always read.
    ///
    /// Without the mark, the prefix's best alignment is noise fitted to 30 s, and over 120 s
    /// its score falls to about half, plus fresh noise (N(2, 0.9) for a prefix score of 4); with
    /// the mark it grows. The continuation and the twin are 9 of a long clip's ~50 whole-clip
    /// folds per candidate, and an unmarked clip paid for three such candidates that the pilot
    /// alone could tell were not the mark. Reading fewer alignments than ``testedReadings`` only
    /// makes the stated probability conservative.
    private func continuesOverWholeClip(_ candidate: (alignment: AudioAlignment, fold: CellFold, analysis: Int, step: Double),
                                        analysis: AudioAnalysis) -> Bool {
        let alignment = candidate.alignment
        guard Self.extendsPastPrefix(alignment, in: analysis) else { return true }
        let (whole, _) = AudioSync.evaluate(alignment.speed, alignment.phase, near: alignment.offset, pitch: alignment.pitch,
                                            analysis: analysis, codebook: codebook)
        return whole.score >= Self.continuationScore
    }

    /// Whether `analysis` holds more cells at `alignment` than the prefix every candidate is
    /// first refined over (``AudioSync/refinePrefixCells``): only then is there more to refine.
    static func extendsPastPrefix(_ alignment: AudioAlignment, in analysis: AudioAnalysis) -> Bool {
        analysis.spectrum.cellCount(speed: alignment.speed, phase: alignment.phase) > AudioSync.refinePrefixCells
    }

    /// The pilot score over the whole clip that a later candidate needs to be refined there and read.
    static let continuationScore: Float = 3.5

    /// The payload chips of `fold` read at block offset `offset`.
    static func evidence(fold: CellFold, offset: Int, codebook: AudioMarkCodebook) -> CodedBitEvidence {
        let bands = AudioLayout.bandCount, cells = AudioLayout.blockCells
        return fold.values.withUnsafeBufferPointer { values in
            CodedBitEvidence(value: { chip in
                let cell = chip / bands, band = chip % bands
                return values[((cell - offset + cells) & (cells - 1)) * bands + band]
            }, chips: codebook.chips.payloadChips, weights: codebook.chips.payloadWeights,
            chipsPerCodedBit: AudioLayout.chipsPerCodedBit)
        }
    }

    /// Block starts in the clip, seconds.
    static func blockStarts(_ alignment: AudioAlignment, duration: Double) -> [Double] {
        let rate = Double(AudioLayout.sampleRate)
        var starts = [Double]()
        var t = alignment.blockStart / rate
        let period = alignment.blockPeriod / rate
        while t > period { t -= period }
        while t < duration {
            if t >= 0 { starts.append(t) }
            t += period
        }
        return starts
    }
}
