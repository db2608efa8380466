internal import CSndFile
import Media

/// Translation between tracemark's formats and libsndfile's `SF_FORMAT_*` codes.
enum SoundFileFormat {
    /// Sample rates the Opus encoder accepts (RFC 6716 §2: 8, 12, 16, 24 or 48 kHz).
    static let opusSampleRates = [8000, 12000, 16000, 24000, 48000]
    /// MPEG-1, MPEG-2 and MPEG-2.5 layer III sample rates (ISO/IEC 11172-3, 13818-3).
    static let mp3SampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    /// The major format (container) code for an audio container libsndfile handles, `nil` for
    /// images and for the containers read through libavformat.
    static func majorFormat(of container: ContainerFormat) -> Int32? {
        switch container {
        case .wav: Int32(SF_FORMAT_WAV)
        case .flac: Int32(SF_FORMAT_FLAC)
        case .ogg, .opus: Int32(SF_FORMAT_OGG)
        case .mp3: Int32(SF_FORMAT_MPEG)
        case .png, .jpeg, .webp, .gif, .bmp, .tiff, .m4a, .webm, .aac: nil
        }
    }

    /// How a file's samples were stored, from the subtype libsndfile reports.
    static func sampleFormat(ofSubtype format: Int32) -> AudioSampleFormat {
        switch Int(format) & SF_FORMAT_SUBMASK {
        case SF_FORMAT_PCM_S8, SF_FORMAT_PCM_U8: .pcm8
        case SF_FORMAT_PCM_16: .pcm16
        case SF_FORMAT_PCM_24: .pcm24
        case SF_FORMAT_PCM_32: .pcm32
        case SF_FORMAT_FLOAT: .float32
        case SF_FORMAT_DOUBLE: .float64
        // Vorbis, Opus, MPEG, and the lossy encodings WAV can carry (µ-law, A-law, ADPCM, GSM):
        // nothing a writer could keep.
        default: .compressed
        }
    }

    /// The subtype that stores `sampleFormat` in a lossless container, or `nil` if it cannot.
    static func pcmSubtype(for sampleFormat: AudioSampleFormat, in container: ContainerFormat) -> Int32? {
        switch (container, sampleFormat) {
        case (.wav, .pcm8): Int32(SF_FORMAT_PCM_U8)  // 8-bit WAV is unsigned by definition
        case (.flac, .pcm8): Int32(SF_FORMAT_PCM_S8)
        case (.wav, .pcm16), (.flac, .pcm16): Int32(SF_FORMAT_PCM_16)
        case (.wav, .pcm24), (.flac, .pcm24): Int32(SF_FORMAT_PCM_24)
        case (.wav, .pcm32): Int32(SF_FORMAT_PCM_32)
        case (.wav, .float32): Int32(SF_FORMAT_FLOAT)
        case (.wav, .float64): Int32(SF_FORMAT_DOUBLE)
        default: nil
        }
    }

    /// The codec subtype of a lossy container, `nil` for lossless ones.
    static func lossySubtype(of container: ContainerFormat) -> Int32? {
        switch container {
        case .ogg: Int32(SF_FORMAT_VORBIS)
        case .opus: Int32(SF_FORMAT_OPUS)
        case .mp3: Int32(SF_FORMAT_MPEG_LAYER_III)
        default: nil
        }
    }
}

/// What to send libsndfile so a lossy encoder hits a requested quality or bitrate.
///
/// libsndfile exposes one knob, `SFC_SET_COMPRESSION_LEVEL` (a double in `0...1`, 0 = best),
/// and each codec maps it differently. The inverse mappings here come from libsndfile 1.2.0:
///
/// - MP3 (`src/mpeg_l3_encode.c`, `mpeg_l3_encoder_set_quality`): in constant-bitrate mode
///   `bitrate = (int) (max - level * (max - min))` kbit/s, with `[min, max]` = `[32, 320]` for
///   MPEG-1 (≥ 32 kHz), `[8, 160]` for MPEG-2 (16–24 kHz), `[8, 64]` for MPEG-2.5 (< 16 kHz),
///   then `lame_set_brate`. In VBR mode, `lame_set_VBR_quality(level * 10)`.
/// - Opus (`src/ogg_opus.c`, `ogg_opus_command`): `OPUS_SET_BITRATE((int) ((1 - level) *
///   250000 + 6000) * channels)` bit/s, i.e. 6–256 kbit/s per channel.
/// - Vorbis (`src/ogg_vorbis.c`): quality `1 - level` for `vorbis_encode_init_vbr`.
enum LossyRateControl {
    /// MP3 bitrates LAME can write (ISO/IEC 11172-3 table for MPEG-1, 13818-3 for MPEG-2/2.5),
    /// clipped to the range libsndfile's mapping reaches at that sample rate.
    static func mp3Bitrates(sampleRate: Int) -> [Int] {
        if sampleRate >= 32000 { return [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] }
        if sampleRate >= 16000 { return [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] }
        return [8, 16, 24, 32, 40, 48, 56, 64]
    }

    /// The compression level that makes libsndfile ask LAME for exactly `kbps`.
    ///
    /// libsndfile truncates `max - level * (max - min)` to an integer, so aim half a kbit/s above
    /// the target: the rounding error of `level` then cannot push the result below it.
    static func mp3CompressionLevel(kbps: Int, sampleRate: Int) -> Double {
        let bitrates = mp3Bitrates(sampleRate: sampleRate)
        let low = Double(bitrates.first!), high = Double(bitrates.last!)
        return min(1, max(0, (high - Double(kbps) - 0.5) / (high - low)))
    }

    /// Per-channel Opus bitrates libsndfile's mapping can reach, in bit/s.
    static let opusBitsPerChannel = 6000...256_000

    /// The compression level that makes libsndfile set the Opus encoder to `kbps` in total.
    ///
    /// libsndfile multiplies its per-channel figure by the channel count, so a total that is not
    /// a multiple of the channel count comes out a few bit/s lower. As for MP3, aim half a bit/s
    /// above the target so truncation lands on it.
    static func opusCompressionLevel(kbps: Int, channels: Int) -> Double {
        let perChannel = Double(kbps * 1000 / channels)
        return min(1, max(0, 1 - (perChannel - 6000 + 0.5) / 250_000))
    }
}
