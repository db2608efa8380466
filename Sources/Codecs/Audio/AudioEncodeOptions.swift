import Media

/// How ``AudioCodec/encode(_:options:)`` writes audio.
///
/// Rate, channel count and (for lossless containers) sample format come from the audio; these
/// options choose the container and, for lossy codecs, the quality.
public struct AudioEncodeOptions: Sendable {
    /// `.wav`, `.flac`, `.ogg` (Vorbis), `.opus` (Ogg Opus) or `.mp3`.
    public var format: ContainerFormat
    /// Sample storage for WAV (`pcm8`, `pcm16`, `pcm24`, `pcm32`, `float32`, `float64`) and FLAC
    /// (`pcm8`, `pcm16`, `pcm24`). `nil` keeps `audio.metadata.sampleFormat` where the container
    /// can store it, else 16-bit PCM. A format the container cannot store is an error. Ignored
    /// by lossy containers.
    public var sampleFormat: AudioSampleFormat?
    /// Variable-bitrate quality for Vorbis, Opus and MP3, `0...1` with 1 best. `nil` keeps the
    /// encoder's default (Vorbis 0.4, Opus libopus' automatic bitrate, LAME VBR quality 4).
    /// Ignored by lossless containers.
    ///
    /// For Opus, libsndfile turns this into a target bitrate of 6 + 250 × quality kbit/s per
    /// channel rather than a true quality setting.
    public var vbrQuality: Double?
    /// Bitrate in kbit/s (all channels together) for MP3 and Opus.
    ///
    /// MP3 is written at a constant bitrate, which must be one MPEG layer III allows at the
    /// sample rate (32–320 for 32–48 kHz, 8–160 for 16–24 kHz, 8–64 below). Opus accepts 6–256
    /// kbit/s per channel; libsndfile 1.2.0 cannot switch Opus to hard CBR, so the stream is
    /// libopus' default constrained VBR around this target. Not available for Vorbis; ignored by
    /// lossless containers. Set either this or ``vbrQuality``, not both.
    public var bitrateKbps: Int?

    public init(format: ContainerFormat, sampleFormat: AudioSampleFormat? = nil, vbrQuality: Double? = nil,
                bitrateKbps: Int? = nil) {
        self.format = format
        self.sampleFormat = sampleFormat
        self.vbrQuality = vbrQuality
        self.bitrateKbps = bitrateKbps
    }
}
