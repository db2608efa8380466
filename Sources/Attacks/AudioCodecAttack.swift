import Codecs
import Media
import Spectral

/// Lossy audio codecs as attacks: encode with the real encoder (through ``AudioCodec``), decode,
/// and give back audio of the input's rate, channel count and length, aligned in time with it.
///
/// ```
///   input ──resample to a rate the codec takes (if needed)──▶ encode ──▶ decode
///         ──resample back (if needed)──▶ find the codec's delay (±4096, cross-correlation)
///         ──▶ shift it out, cut or pad to the input's length
/// ```
/// Resampling is libsoxr's linear-phase filter, which adds no delay of its own.
enum AudioCodecAttack {
    /// MPEG layer III bitrates, kbit/s: MPEG-1 (32–48 kHz), MPEG-2 (16–24 kHz) and MPEG-2.5
    /// (8–12 kHz), ISO/IEC 11172-3 and 13818-3.
    static let mpeg1Bitrates = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    static let mpeg2Bitrates = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    static let mpeg25Bitrates = [8, 16, 24, 32, 40, 48, 56, 64]
    /// Every bitrate some MPEG sample rate allows.
    static let mp3Bitrates = Set(mpeg1Bitrates + mpeg2Bitrates).sorted()

    /// The MPEG sample rates, each with the bitrates it allows.
    private static let mp3Rates: [(rate: Int, bitrates: [Int])] = [
        (8000, mpeg25Bitrates), (11025, mpeg25Bitrates), (12000, mpeg25Bitrates),
        (16000, mpeg2Bitrates), (22050, mpeg2Bitrates), (24000, mpeg2Bitrates),
        (32000, mpeg1Bitrates), (44100, mpeg1Bitrates), (48000, mpeg1Bitrates),
    ]
    /// The rates Opus takes (RFC 6716: it codes at 48 kHz and accepts these at its interface).
    private static let opusRates = [8000, 12000, 16000, 24000, 48000]

    /// The MPEG rate MP3 at `kbps` is encoded at: the lowest that is at least `rate` (so nothing
    /// is lost to resampling) and allows `kbps`; failing that, the highest that allows it.
    static func mp3Rate(for rate: Int, kbps: Int) -> Int {
        let usable = mp3Rates.filter { $0.bitrates.contains(kbps) }.map(\.rate)
        return usable.first { $0 >= rate } ?? usable.last ?? 44100
    }

    /// The rate `attack` encodes audio of `rate` Hz at: an MPEG rate for MP3 (see
    /// ``mp3Rate(for:kbps:)``), the input's rate for Vorbis, and for Opus the input's rate when
    /// Opus takes it, else 48 kHz.
    static func codecRate(for rate: Int, attack: Attack) -> Int {
        switch attack {
        case let .mp3(kbps): mp3Rate(for: rate, kbps: kbps)
        case .opus: opusRates.contains(rate) ? rate : 48000
        default: rate
        }
    }

    /// The encoder settings of a codec attack: MP3 at a constant `kbps` (LAME), Vorbis at VBR
    /// `quality`, Opus at about `kbps` (libopus constrained VBR; libsndfile cannot ask for CBR).
    static func options(for attack: Attack) -> AudioEncodeOptions? {
        switch attack {
        case let .mp3(kbps): AudioEncodeOptions(format: .mp3, bitrateKbps: kbps)
        case let .ogg(quality): AudioEncodeOptions(format: .ogg, vbrQuality: quality)
        case let .opus(kbps): AudioEncodeOptions(format: .opus, bitrateKbps: kbps)
        default: nil
        }
    }

    /// The file the codec attack writes: `audio` resampled to the codec's rate if needed, encoded.
    static func encode(_ audio: AudioBuffer, for attack: Attack) throws -> [UInt8] {
        guard let options = options(for: attack) else {
            throw AttackError.notApplicable(attack: attack.description, kind: .audio)
        }
        let rate = codecRate(for: audio.sampleRate, attack: attack)
        return try AudioCodec.encode(Resampler.resample(audio, to: rate), options: options)
    }

    /// Encoded, decoded, brought back to the input's rate, aligned and cut to its length.
    static func roundTrip(_ audio: AudioBuffer, attack: Attack) throws -> AudioBuffer {
        let encoded = try encode(audio, for: attack)
        return try restored(try AudioCodec.decode(encoded), like: audio, codec: attack.codecFormat ?? .wav)
    }

    /// A codec's decoded output brought back to `audio`'s rate, aligned with it (the codec's delay,
    /// ±4096 frames, shifted out), cut or padded to its length, with its metadata.
    /// - Throws: ``CodecError/corrupt(format:reason:)`` when the channel count changed.
    static func restored(_ decoded: AudioBuffer, like audio: AudioBuffer, codec: ContainerFormat) throws -> AudioBuffer {
        var decoded = decoded
        if decoded.sampleRate != audio.sampleRate {
            decoded = Resampler.resample(decoded, to: audio.sampleRate)
        }
        guard decoded.channelCount == audio.channelCount else {
            throw CodecError.corrupt(format: codec, reason: "decoded \(decoded.channelCount) channels from \(audio.channelCount)")
        }
        let lag = AudioAlignment.lag(of: decoded, relativeTo: audio)
        var result = AudioAlignment.aligned(decoded, lag: lag, frameCount: audio.frameCount)
        result.metadata = audio.metadata
        return result
    }
}
