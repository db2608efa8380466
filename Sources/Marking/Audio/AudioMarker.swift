import Foundation
import Media

/// Options for marking audio.
public struct AudioEmbedOptions: Sendable {
    /// Amplitude relative to the default: 1 gives about ``referenceSNR`` (higher when much of the
    /// signal lies outside the marked 150–7000 Hz range; up to 3.5 dB lower for a clip of 30 s or
    /// less whose mark would otherwise be too weak to read, see `docs/audio-mark.md`); 2 doubles
    /// the mark (6 dB lower SNR, more robust), 0.5 halves it.
    public var strength: Double

    /// The SNR (dB, marked against original) strength 1 aims at.
    public static let referenceSNR = 30.5
    /// The largest relative change of a band's magnitude at strength 1, whatever the SNR
    /// (for tracks whose energy lies mostly below 150 Hz or above 4 kHz).
    public static let maximumRelativeChange = 0.06

    public init(strength: Double = 1) {
        self.strength = strength
    }
}

/// Marked audio and what marking it cost.
public struct AudioEmbedding: Sendable {
    /// The marked audio: same rate, channels, length and metadata as the input.
    public var audio: AudioBuffer
    /// SNR of the marked audio against the original over all channels, dB.
    public var snr: Double
    /// The relative magnitude change of a chip of amplitude 1 in a fully weighted band.
    public var relativeChange: Double
    /// Where the first whole block of the mark starts in the marked audio, seconds: each file's
    /// block is rotated by a keyed number of cells (``PatternOrigin``), and a detection's
    /// ``AudioDetection/offsets`` of the whole file are this plus multiples of the block length.
    public var firstBlockStart: Double
}

/// What marking audio cost (``AudioMarker/embed(into:payload:options:)`` returns it alone;
/// ``AudioEmbedding`` with the marked audio).
public struct AudioMarkReport: Sendable {
    /// SNR of the marked audio against the original over all channels, dB.
    public var snr: Double
    /// The relative magnitude change of a chip of amplitude 1 in a fully weighted band.
    public var relativeChange: Double
    /// Where the first whole block of the mark starts, seconds (``AudioEmbedding/firstBlockStart``).
    public var firstBlockStart: Double
}

/// Embeds the audio mark under one key. Build it once per key and reuse it from any thread: the
/// keyed codebook is the only per-key work.
///
/// The mark is computed on the mono mix at 16 kHz, brought back to the file's rate and added
/// identically to every channel, so down-mixing, joint-stereo coding and resampling keep it. A
/// limiter keeps the result within full scale. See `docs/audio-mark.md`.
public struct AudioMarker: Sendable {
    public let codebook: AudioMarkCodebook

    public init(key: MarkKey) { codebook = AudioMarkCodebook(key: key) }
    public init(codebook: AudioMarkCodebook) { self.codebook = codebook }

    /// The shortest audio marked, seconds. A detector needs about a block (2 s) to find the mark and
    /// a few blocks to read it reliably.
    public static let minimumDuration = 1.0

    /// Marks `audio` with `payload`.
    /// - Throws: ``MarkError/mediaTooSmall(_:)`` for audio shorter than ``minimumDuration``,
    ///   ``MarkError/unreadable(_:)`` for audio with nothing the mark could follow (silence),
    ///   ``MarkError/invalidParameter(_:)`` for a strength that is not a positive number.
    /// - Complexity: O(frames × channels): a resampling each way and two FFTs of 512 per 16 ms.
    public func embed(_ audio: AudioBuffer, payload: Payload, options: AudioEmbedOptions = .init()) throws(MarkError) -> AudioEmbedding {
        var marked = audio
        let report = try embed(into: &marked, payload: payload, options: options)
        return AudioEmbedding(audio: marked, snr: report.snr, relativeChange: report.relativeChange,
                              firstBlockStart: report.firstBlockStart)
    }

    /// Marks `audio` in place: the same mark as ``embed(_:payload:options:)`` without a second copy
    /// of the samples (ten minutes of 44.1-kHz stereo are 212 MB of floats). On error `audio` is
    /// left as it was.
    public func embed(into audio: inout AudioBuffer, payload: Payload, options: AudioEmbedOptions = .init()) throws(MarkError) -> AudioMarkReport {
        guard audio.duration >= Self.minimumDuration else {
            throw .mediaTooSmall(String(format: "%.2f s of audio; at least %.1f s are needed", audio.duration, Self.minimumDuration))
        }
        guard options.strength > 0, options.strength.isFinite else {
            throw .invalidParameter("strength must be a positive number, not \(options.strength)")
        }
        let host = InternalSignal.internalMix(audio)
        let rotation = codebook.blockRotation(for: payload, host: host)
        let amplitudes = AudioMarkCodebook.rotated(codebook.chipAmplitudes(for: payload), by: rotation)
        let (unit, _) = AudioMarkSynthesis.unitMark(host: host, amplitudes: amplitudes)
        let markPower = Self.meanSquare(unit)
        var hostPower = 0.0
        for channel in audio.channels { hostPower += Self.meanSquare(channel) }
        hostPower /= Double(audio.channelCount)
        guard markPower > 0, hostPower > 0 else {
            throw .unreadable(String(format: "%.2f s of audio with nothing the mark could follow "
                + "(digital silence, or no energy between 150 Hz and 7 kHz)", audio.duration))
        }
        var change = min((hostPower * pow(10, -AudioEmbedOptions.referenceSNR / 10) / markPower).squareRoot(),
                         AudioEmbedOptions.maximumRelativeChange)
        // The check sets the default level; `strength` then scales it, as it does for longer files.
        if audio.duration <= Self.evidenceCheckMaximumDuration {
            let (boost, evidence) = evidenceBoost(host: host, unit: unit, change: change, rotation: rotation)
            change *= boost * options.strength
            // Read back at the level written (the check's own evidence when that is unchanged): a
            // clip too short or too sparse to give its payload back even untouched is refused
            // rather than written as if it were marked.
            let written = boost == 1 && options.strength == 1
                ? evidence : knownAlignmentEvidence(host: host, unit: unit, change: change, rotation: rotation)
            let falsePositive = Double(AudioDetector.testedReadings) * exp(written.logFalsePositive)
            guard written.payload == payload, falsePositive <= AudioDetectOptions.defaultThreshold else {
                throw .unreadable(String(format: "%.2f s of audio: the payload does not come back from the marked clip "
                    + "itself (false-positive probability %.1e at its own alignment); clips need a few seconds "
                    + "with sound in them", audio.duration, min(1, falsePositive)))
            }
        } else {
            change *= options.strength
        }
        var mark = InternalSignal.toFileRate(unit, rate: audio.sampleRate, count: audio.frameCount)
        let gain = Float(change)

        // SNR without keeping the original: the change is the mark itself wherever the limiter
        // left a sample alone, and (after − (before − mark)) where it did not. The signal's energy
        // is the host power measured above, over every sample of every channel.
        let signal = hostPower * Double(audio.channelCount * audio.frameCount)
        var noise = Double(audio.channelCount) * mark.withUnsafeMutableBufferPointer {
            SampleMath.scale($0.baseAddress!, count: $0.count, by: gain)
        }
        let frameCount = audio.frameCount
        mark.withUnsafeBufferPointer { w in
            for c in audio.channels.indices {
                audio.channels[c].withUnsafeMutableBufferPointer { x in
                    let x = x.baseAddress!, w = w.baseAddress!
                    for i in 0..<frameCount { x[i] += w[i] }
                }
            }
        }
        AudioLimiter.limit(&audio.channels, sampleRate: audio.sampleRate) { _, i, before, after in
            let original = Double(before) - Double(mark[i])
            noise += (Double(after) - original) * (Double(after) - original) - Double(mark[i]) * Double(mark[i])
        }
        let firstBlockCell = (AudioLayout.blockCells - rotation) % AudioLayout.blockCells
        return AudioMarkReport(snr: noise > 0 ? 10 * log10(signal / noise) : .infinity, relativeChange: change,
                               firstBlockStart: Double(firstBlockCell * AudioLayout.cellLength) / Double(AudioLayout.sampleRate))
    }

    /// Clips up to this long are checked for evidence at embedding (longer ones fold enough blocks).
    static let evidenceCheckMaximumDuration = 30.0
    /// χ² (256 degrees of freedom) the untouched marked clip should reach at its own alignment.
    /// Every corpus file but one reaches ≥ 488 at 30.5 dB; the exception, an 11-s clip of speech
    /// that is mostly pauses, gave 302–417 by key and decoded under 3 keys of 6.
    static let targetChiSquare = 480.0
    /// How far below ``AudioEmbedOptions/referenceSNR`` a boost may take the SNR, dB (the issue's
    /// floor for any file is 25 dB).
    static let maximumBoostDecibels = 3.5

    /// The factor (1 … 10^(3.5/20)) by which to raise the mark of a short clip whose untouched
    /// evidence would fall short of ``targetChiSquare``, and that evidence.
    ///
    /// The detector's statistic at the known alignment (speed 1, the file's block rotation) is
    /// computed on the marked signal at the internal rate, host + change·unit, which costs one
    /// short-time spectrum — a few ms for a 10-s clip, no synchronisation search. Its excess over
    /// the degrees of freedom grows with the square of the mark's amplitude, which gives the
    /// factor directly.
    func evidenceBoost(host: [Float], unit: [Float], change: Double, rotation: Int) -> (factor: Double, evidence: CodedBitEvidence) {
        let evidence = knownAlignmentEvidence(host: host, unit: unit, change: change, rotation: rotation)
        let dof = Double(evidence.degreesOfFreedom)
        let chiSquare = evidence.chiSquare
        let excess = chiSquare - dof
        // No excess at all (silence, or nothing the mark could live in): a boost would not help.
        guard chiSquare < Self.targetChiSquare, excess > 0.05 * dof else { return (1, evidence) }
        let needed = ((Self.targetChiSquare - dof) / excess).squareRoot()
        return (min(needed, pow(10, Self.maximumBoostDecibels / 20)), evidence)
    }

    /// The detector's evidence on host + change·unit at the mark's own alignment (speed 1, the
    /// block offset the file's `rotation`).
    func knownAlignmentEvidence(host: [Float], unit: [Float], change: Double, rotation: Int) -> CodedBitEvidence {
        let gain = Float(change)
        var marked = host
        for i in marked.indices { marked[i] += gain * unit[i] }
        let fold = ClipSpectrum(marked, evenFramesOnly: true).fold(speed: 1, phase: 0)
        return AudioDetector.evidence(fold: fold, offset: rotation, codebook: codebook)
    }

    static func meanSquare(_ x: [Float]) -> Double {
        x.isEmpty ? 0 : SampleMath.sumOfSquares(x) / Double(x.count)
    }
}
