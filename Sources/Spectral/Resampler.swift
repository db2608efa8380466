internal import CSoxr
import Media

/// How hard the resampler works: the precision of its anti-aliasing filter. libsoxr's recipes
/// (soxr.h); ``high`` (20-bit, about 120 dB of stop-band rejection) is its own default and is
/// transparent for audio that will be watermarked or detected.
public enum ResampleQuality: String, Sendable, CaseIterable {
    /// Cubic interpolation: fast, audible aliasing. For previews only.
    case quick
    /// 16-bit precision, wide roll-off.
    case low
    /// 16-bit precision, medium roll-off.
    case medium
    /// 20-bit precision.
    case high
    /// 28-bit precision.
    case veryHigh = "very-high"

    var soxrRecipe: UInt {
        switch self {
        case .quick: UInt(SOXR_QQ)
        case .low: UInt(SOXR_LQ)
        case .medium: UInt(SOXR_MQ)
        case .high: UInt(SOXR_HQ)
        case .veryHigh: UInt(SOXR_VHQ)
        }
    }
}

/// Sample-rate conversion over libsoxr (linear phase, so nothing shifts in time: sample `i` of the
/// output lies at time `i / outputRate`, like sample `i · inputRate / outputRate` of the input).
///
/// Used to bring audio to the rate the mark is embedded and detected at, and, with an arbitrary
/// ratio, to simulate and undo speed changes. Content above the lower Nyquist frequency is removed
/// by soxr's anti-aliasing filter.
public enum Resampler {
    /// `samples` (mono, at `inputRate` Hz) converted to `outputRate` Hz.
    ///
    /// The result has `round(samples.count · outputRate / inputRate)` samples. Equal rates return
    /// `samples` unchanged.
    /// - Complexity: O(n) with a constant that grows with `quality`; allocates the result.
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int,
                                quality: ResampleQuality = .high) -> [Float] {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        if inputRate == outputRate { return samples }
        // Integer rounding: exact, where n · out / in in Double could be off by one at .5.
        let outputCount = (samples.count * outputRate + inputRate / 2) / inputRate
        return oneshot(samples, inputRate: Double(inputRate), outputRate: Double(outputRate),
                       outputCount: outputCount, quality: quality)
    }

    /// `samples` resampled by `ratio` = output rate / input rate, any positive value.
    ///
    /// Played at the original rate, a ratio of 1.02 slows the audio down by 2 % (and lowers its
    /// pitch); 0.98 speeds it up. The result has `round(samples.count · ratio)` samples.
    /// - Complexity: O(n); allocates the result.
    public static func resample(_ samples: [Float], ratio: Double,
                                quality: ResampleQuality = .high) -> [Float] {
        precondition(ratio > 0 && ratio.isFinite, "resampling ratio must be positive and finite")
        if ratio == 1 { return samples }
        let outputCount = Int((Double(samples.count) * ratio).rounded())
        return oneshot(samples, inputRate: 1, outputRate: ratio, outputCount: outputCount, quality: quality)
    }

    /// `audio` with every channel converted to `outputRate` Hz; metadata is kept.
    /// - Complexity: O(channels · frames).
    public static func resample(_ audio: AudioBuffer, to outputRate: Int,
                                quality: ResampleQuality = .high) -> AudioBuffer {
        let channels = audio.channels.map {
            resample($0, from: audio.sampleRate, to: outputRate, quality: quality)
        }
        return AudioBuffer(sampleRate: outputRate, channels: channels, metadata: audio.metadata)
    }

    /// `audio` with every channel resampled by `ratio`, keeping the sample rate and metadata:
    /// the same speed change as the mono `resample(_:ratio:quality:)`.
    public static func resample(_ audio: AudioBuffer, ratio: Double,
                                quality: ResampleQuality = .high) -> AudioBuffer {
        let channels = audio.channels.map { resample($0, ratio: ratio, quality: quality) }
        return AudioBuffer(sampleRate: audio.sampleRate, channels: channels, metadata: audio.metadata)
    }

    /// Input samples handed to soxr per call. soxr buffers what it is given: the whole input of a
    /// ten-minute track at once (what `soxr_oneshot` does) cost 2.5× the input in peak memory;
    /// in blocks of this size its buffers stay a few hundred kilobytes.
    static let blockSize = 1 << 16

    /// One soxr stream over the whole input in blocks of ``blockSize``, then flushed: float32 mono
    /// in and out.
    ///
    /// soxr compensates its filter delay, so output sample 0 is aligned with input sample 0. The
    /// output buffer is exactly `outputCount` long, so the length is ours, not soxr's rounding
    /// (they agree: see the assertion).
    private static func oneshot(_ samples: [Float], inputRate: Double, outputRate: Double,
                                outputCount: Int, quality: ResampleQuality) -> [Float] {
        guard !samples.isEmpty, outputCount > 0 else { return [] }
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(quality.soxrRecipe, 0)
        // One thread: parallelism belongs to our callers (structured tasks over channels and
        // files), not to OpenMP inside soxr.
        var runtimeSpec = soxr_runtime_spec(1)
        var creationError: soxr_error_t?
        guard let stream = soxr_create(inputRate, outputRate, 1, &creationError, &ioSpec, &qualitySpec, &runtimeSpec),
              creationError == nil else {
            // soxr fails only on invalid arguments (rates, specs: all fixed or validated above) or
            // when it cannot allocate its filter: a bug or exhaustion, not bad input.
            fatalError("soxr_create failed: \(creationError.map { String(cString: $0) } ?? "no resampler")")
        }
        defer { soxr_delete(stream) }
        var consumed = 0
        var produced = 0
        var output = [Float](repeating: 0, count: outputCount)
        samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                // Feed blocks while there is input and room; then flush (a nil input) until soxr
                // has nothing more or the output is full.
                while produced < outputCount {
                    let remaining = input.count - consumed
                    var used = 0, written = 0
                    let error = soxr_process(stream, remaining > 0 ? UnsafeRawPointer(input.baseAddress! + consumed) : nil,
                                             min(remaining, blockSize), &used,
                                             UnsafeMutableRawPointer(out.baseAddress! + produced), outputCount - produced, &written)
                    if let error { fatalError("soxr_process failed: \(String(cString: error))") }
                    consumed += used
                    produced += written
                    if remaining == 0, written == 0 { break }
                }
            }
        }
        // Checked for every length in the tests; a shortfall would leave silence at the end.
        assert(consumed == samples.count && produced == outputCount,
               "soxr consumed \(consumed) of \(samples.count) and produced \(produced) of \(outputCount) samples")
        return output
    }
}
