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

/// The replay speeds the audio detector searches. Speed changes by resampling (pitch and tempo
/// together); a tempo change that keeps the pitch is found within about ±2 %.
public enum AudioSpeedSearch: Sendable, Equatable {
    /// 0.97 … 1.03: every detection, at full speed.
    case standard
    /// 0.8 … 1.25, as audiowmark's slow option: about 7 times the standard coarse search.
    case wide

    public var range: ClosedRange<Double> {
        switch self {
        case .standard: 0.97...1.03
        case .wide: 0.8...1.25
        }
    }
}

/// Detects the audio mark under one key. Build once per key (the codebook is the per-key work) and
/// call ``detect(_:options:)-(AudioBuffer,_)`` for any number of clips, from any number of threads;
/// to check one clip against many keys, build its ``AudioAnalysis`` once.
///
/// A clip can be any excerpt of the marked audio, at any sample rate and channel count, shifted by
/// any number of samples and replayed up to 3 % faster or slower (resampled: the pitch changes too).
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

    /// Looks for the mark in `audio`.
    /// - Complexity: O(n) in the clip's length (up to ``AudioAnalysis/maximumAnalysedDuration``).
    public func detect(_ audio: AudioBuffer, options: AudioDetectOptions = .init()) -> AudioDetection {
        detect(AudioAnalysis(audio, speeds: options.speeds), options: options)
    }

    /// Looks for the mark in an analysed clip.
    public func detect(_ analysis: AudioAnalysis, options: AudioDetectOptions = .init()) -> AudioDetection {
        var result = AudioDetection(detected: false, payload: nil, falsePositiveProbability: 1,
                                    threshold: options.threshold, offsets: [], speed: nil,
                                    chiSquare: 0, degreesOfFreedom: AudioLayout.codedBits, syncScore: 0)
        let coarse = AudioSync.coarseCandidates(analysis.coarse, codebook: codebook)
        guard !coarse.isEmpty else { return result }
        let refined = coarse.map { AudioSync.refine($0, analysis: analysis, codebook: codebook) }
        let tested = AudioSync.distinctBest(refined.map(\.0), count: Self.testedAlignments)

        var best: (evidence: CodedBitEvidence, alignment: AudioAlignment)?
        for alignment in tested {
            guard let onGrid = refined.first(where: { $0.0.isSame(as: alignment) }) else { continue }
            let twin = AudioSync.halfHopTwin(of: onGrid.0, analysis: analysis, codebook: codebook)
            for (reading, fold) in [onGrid, twin] {
                let evidence = Self.evidence(fold: fold, offset: reading.offset, codebook: codebook)
                if best == nil || evidence.logFalsePositive < best!.evidence.logFalsePositive {
                    best = (evidence, reading)
                }
            }
        }
        guard let best else { return result }
        let probability = min(1, Double(Self.testedReadings) * exp(best.evidence.logFalsePositive))
        result.falsePositiveProbability = probability
        result.chiSquare = best.evidence.chiSquare
        result.degreesOfFreedom = best.evidence.degreesOfFreedom
        result.syncScore = Double(best.alignment.score)
        result.detected = probability <= options.threshold
        if result.detected {
            result.payload = best.evidence.payload
            result.speed = best.alignment.speed
            result.offsets = Self.blockStarts(best.alignment, duration: analysis.duration)
        }
        return result
    }

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
