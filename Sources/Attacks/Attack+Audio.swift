import Media
import Spectral

/// Applying one attack to audio: each case hands over to the file that does the work.
extension Attack {
    /// This attack applied to `audio`; `seed` drives any randomness (noise, excerpt start).
    ///
    /// The sample rate is kept by every attack (resampling attacks come back to it); the length
    /// is kept except by `excerpt`, `surround`, `shift` and `speed`, whose job is to change it. Metadata is
    /// kept; codec attacks keep the input's rather than the decoder's, so that writing the result
    /// keeps the input's sample format.
    /// - Throws: ``AttackError/notApplicable(attack:kind:)`` for an image attack,
    ///   ``AttackError/invalidParameter(_:)`` for a shift longer than the audio, the codec's
    ///   error from `mp3`, `ogg` and `opus`, ``AttackError/externalProgram(_:)`` from `aac`.
    public func apply(to audio: AudioBuffer, seed: UInt64) throws -> AudioBuffer {
        var random = AttackRandom(seed: seed)
        switch self {
        case .mp3, .ogg, .opus:
            return try AudioCodecAttack.roundTrip(audio, attack: self)
        case let .aac(kbps):
            return try AACAttack.roundTrip(audio, kbps: kbps)
        case let .resample(hz):
            return AudioEdits.resampleRoundTrip(audio, through: hz)
        case let .lowpass(hz):
            return AudioFilters.brickWall(audio, keep: .below(hz))
        case let .highpass(hz):
            return AudioFilters.brickWall(audio, keep: .above(hz))
        case let .reverb(rt60):
            return AudioReverb.reverberate(audio, rt60: rt60, random: &random)
        case let .noise(snr), let .audioNoise(snr):
            return AudioEdits.addNoise(audio, snrDB: snr, random: &random)
        case let .volume(gain):
            return AudioEdits.volume(audio, gain: Float(gain))
        case let .excerpt(seconds):
            return AudioEdits.excerpt(audio, seconds: seconds, random: &random)
        case let .surround(seconds):
            return AudioEdits.surround(audio, seconds: seconds, random: &random)
        case let .shift(samples):
            return try AudioEdits.shift(audio, samples: samples)
        case let .speed(factor):
            return Resampler.resample(audio, ratio: 1 / factor)
        case let .tempo(factor):
            return AudioTimeStretch.tempo(audio, factor: factor)
        case let .pitch(cents):
            return AudioTimeStretch.pitchShift(audio, cents: cents)
        case .mono:
            return AudioEdits.mono(audio)
        case .invert:
            return AudioEdits.invertLastChannel(audio)
        case .jpeg, .png, .webp, .resize, .resizeShort, .border, .padEdge, .crop, .centerCrop, .resizeTo, .blurFill, .rotate, .shear, .keystone, .flip, .aspect, .blur,
             .median, .brightness, .contrast, .gamma:
            throw AttackError.notApplicable(attack: description, kind: .audio)
        }
    }
}
