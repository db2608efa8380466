/// Decoded audio: one contiguous `Float` array per channel (planar), nominal range `-1...1`.
public struct AudioBuffer: Sendable, Equatable {
    public var sampleRate: Int
    /// One array per channel, all of `frameCount` samples.
    public var channels: [[Float]]
    public var metadata: AudioMetadata

    public init(sampleRate: Int, channels: [[Float]], metadata: AudioMetadata = AudioMetadata()) {
        precondition(sampleRate > 0, "sample rate must be positive")
        precondition(!channels.isEmpty, "audio needs at least one channel")
        precondition(channels.allSatisfy { $0.count == channels[0].count }, "channels must have equal length")
        self.sampleRate = sampleRate
        self.channels = channels
        self.metadata = metadata
    }

    public var channelCount: Int { channels.count }
    public var frameCount: Int { channels[0].count }
    public var duration: Double { Double(frameCount) / Double(sampleRate) }
}

/// How samples were stored in the source file, so that a writer can keep it.
public enum AudioSampleFormat: String, Sendable, Codable, CaseIterable {
    case pcm8 = "pcm8"
    case pcm16 = "pcm16"
    case pcm24 = "pcm24"
    case pcm32 = "pcm32"
    case float32 = "float"
    case float64 = "double"
    /// Lossy codecs (Vorbis, Opus, MP3) have no sample format of their own.
    case compressed = "compressed"
}

/// What a decoder learned about audio besides its samples.
public struct AudioMetadata: Sendable, Equatable {
    public var sourceFormat: ContainerFormat?
    public var sampleFormat: AudioSampleFormat

    public init(sourceFormat: ContainerFormat? = nil, sampleFormat: AudioSampleFormat = .pcm16) {
        self.sourceFormat = sourceFormat
        self.sampleFormat = sampleFormat
    }
}
