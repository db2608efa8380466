internal import CSndFile
import Media

/// A decoder that ``AudioCodec`` reads interleaved frames from: libsndfile (``SoundFile``: WAV,
/// FLAC, Ogg, Opus, MP3) or libavformat (``AVAudioFile``: AAC and ALAC in MP4, WebM, ADTS).
protocol AudioFrameSource: AnyObject {
    var container: ContainerFormat { get }
    var sampleRate: Int { get }
    var channelCount: Int { get }
    /// Frames in the stream when the header states them exactly; `nil` when only decoding can
    /// tell (an Ogg stream without a final granule position, any libavformat stream: its
    /// duration is the container's, give or take the codec's priming and padding).
    var exactFrameCount: Int? { get }
    /// Frames the header suggests, for reserving memory; `nil` when it does not say.
    var frameCountHint: Int? { get }
    /// How the samples were stored, for writing the same kind of file back.
    var storedSampleFormat: AudioSampleFormat { get }
    /// Whether ``readFrames(into:frames:)-(UnsafeMutablePointer<Int16>,_)`` gives the stored
    /// samples exactly (16-bit PCM through libsndfile), so that the reader can scale them itself.
    var storesPCM16: Bool { get }
    /// Reads up to `frames` interleaved frames (full scale ±1); how many were read, 0 at the end
    /// or after an error.
    func readFrames(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int
    /// The same as 16-bit integers (full scale ±32768); only when ``storesPCM16``.
    func readFrames(into buffer: UnsafeMutablePointer<Int16>, frames: Int) -> Int
    /// Why the last read ended early, if it did.
    var errorDetail: String? { get }
}

extension SoundFile: AudioFrameSource {
    var sampleRate: Int { Int(info.samplerate) }
    var channelCount: Int { Int(info.channels) }
    var exactFrameCount: Int? { info.frames == AudioCodec.unknownLength ? nil : Int(info.frames) }
    var frameCountHint: Int? { exactFrameCount }
    var storedSampleFormat: AudioSampleFormat { SoundFileFormat.sampleFormat(ofSubtype: info.format) }
    var storesPCM16: Bool { info.format & Int32(SF_FORMAT_SUBMASK) == Int32(SF_FORMAT_PCM_16) }
    var errorDetail: String? { hasError ? errorMessage : nil }
}
