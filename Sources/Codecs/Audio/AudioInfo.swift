import Media

/// What an audio file's header says about its stream, read without decoding the audio.
public struct AudioInfo: Sendable, Equatable {
    /// The container, recognised from the file's content.
    public var format: ContainerFormat
    /// Frames per second.
    public var sampleRate: Int
    /// Interleaved channels per frame (1–8).
    public var channelCount: Int
    /// Frames (one sample per channel) in the stream.
    public var frameCount: Int
    /// How samples are stored: a PCM width, float, or ``AudioSampleFormat/compressed``.
    public var sampleFormat: AudioSampleFormat

    public init(format: ContainerFormat, sampleRate: Int, channelCount: Int, frameCount: Int,
                sampleFormat: AudioSampleFormat) {
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.frameCount = frameCount
        self.sampleFormat = sampleFormat
    }

    /// Length in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }
}
