internal import CodecShims
import Media

/// The one owner of a libavformat reader (`tm_av_open` in the C shim) and of the copy of the
/// file's bytes it reads in place: AAC and ALAC in MP4/M4A, Opus and Vorbis in WebM, raw ADTS AAC.
/// Decode only; the reader is closed in `deinit`, before the bytes are freed.
final class AVAudioFile: AudioFrameSource {
    private let reader: OpaquePointer
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    let container: ContainerFormat
    let sampleRate: Int
    let channelCount: Int
    let frameCountHint: Int?
    let storedSampleFormat: AudioSampleFormat
    private(set) var errorDetail: String?

    var exactFrameCount: Int? { nil }
    var storesPCM16: Bool { false }

    /// Opens the best audio stream of `source`, a file of `container` (as sniffed).
    init(_ source: [UInt8], container: ContainerFormat) throws(CodecError) {
        // libavformat reads through a raw pointer for as long as the reader lives: a copy of the
        // bytes that this object owns, not an array's storage that Swift may move.
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, source.count))
        _ = bytes.initialize(from: source)
        var reader: OpaquePointer?
        var info = tm_av_info()
        let (status, message) = ShimMessage.calling { tm_av_open(bytes.baseAddress, source.count, &reader, &info, $0, $1) }
        guard status == 0, let reader else {
            bytes.deallocate()
            throw status == -2 ? .unsupported(format: container, reason: message) : .corrupt(format: container, reason: message)
        }
        self.reader = reader
        self.bytes = bytes
        self.container = container
        sampleRate = Int(info.sample_rate)
        channelCount = Int(info.channels)
        frameCountHint = info.stated_frames > 0 ? Int(info.stated_frames) : nil
        storedSampleFormat = switch info.lossless_bits {
        case 1...8: .pcm8
        case 9...16: .pcm16
        case 17...24: .pcm24
        case 25...32: .pcm32
        default: .compressed
        }
    }

    deinit {
        tm_av_close(reader)
        bytes.deallocate()
    }

    func readFrames(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        let (read, message) = ShimMessage.calling { tm_av_read(reader, buffer, Int64(frames), $0, $1) }
        guard read >= 0 else {
            // Damage past the first decodable packets ends the stream there, as a truncated file
            // does through libsndfile; the reason is kept for an error about a stream with no frames.
            errorDetail = message
            return 0
        }
        return Int(read)
    }

    func readFrames(into buffer: UnsafeMutablePointer<Int16>, frames: Int) -> Int {
        preconditionFailure("AVAudioFile reads floats only (storesPCM16 is false)")
    }
}
