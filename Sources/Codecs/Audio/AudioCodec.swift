internal import CSndFile
import Media

/// Reads and writes audio files in memory through libsndfile: WAV, FLAC, Ogg Vorbis, Ogg Opus
/// and MP3; reads (only) AAC and ALAC in MP4/M4A, Opus and Vorbis in WebM/Matroska and raw ADTS
/// AAC through libavformat.
///
/// Every error thrown is a ``CodecError``:
/// - ``CodecError/unrecognizedFormat`` when ``FormatSniffer`` does not know the bytes as audio;
/// - ``CodecError/corrupt(format:reason:)`` when libsndfile refuses them (its message is the
///   reason), or when no audio frame can be decoded;
/// - ``CodecError/unsupported(format:reason:)`` for more than 8 channels or above 768 kHz;
/// - ``CodecError/encodeFailed(format:reason:)`` for options or audio a container cannot take.
///
/// **Truncated files.** A file cut inside its header throws. A file cut inside its audio data
/// decodes to the frames that are there, as players do: libsndfile trims a WAV data chunk to the
/// bytes present, stops a FLAC or Ogg stream at the last whole frame or page, and `decode`
/// returns what it got. The one exception is a stream that yields no frames at all (a WAV cut
/// right after its 44-byte header, say), which throws `.corrupt`: there is nothing to return,
/// and an empty buffer would only move the failure downstream.
public enum AudioCodec {
    /// The most channels tracemark handles (7.1 surround).
    static let maximumChannelCount = 8
    /// The highest sample rate accepted (DXD, the highest PCM rate in use). A flipped byte in a
    /// WAV or FLAC header easily reads as several MHz, which no later stage should size buffers by.
    static let maximumSampleRate = 768_000
    /// Frames per `sf_readf_float` / `sf_writef_float` call: large enough that the per-call cost
    /// vanishes, small enough that the interleaved buffer stays in L1/L2 cache.
    static let chunkFrames = 4096
    /// Samples (all channels) reserved up front from the header's frame count. A corrupt header
    /// may claim 2^40 frames; beyond this cap the planes grow as frames actually arrive.
    static let maximumReservedSamples = 1 << 24
    /// libsndfile's `SF_COUNT_MAX` (`INT64_MAX`, a macro Swift cannot import): "length unknown".
    static let unknownLength = sf_count_t.max

    /// The stream's properties from its header, without decoding the whole file.
    ///
    /// Only the first 4096 frames are decoded, to confirm the audio is there at all (a FLAC
    /// cut right after its STREAMINFO block has a complete header and nothing else; ``decode(_:)``
    /// would throw for it, so `probe` does too). For the rare stream whose length the header does
    /// not give (an Ogg stream without a final granule position), the frames are counted by
    /// decoding and discarding them — and so for the containers read through libavformat, whose
    /// stated duration is the codec's frames give or take its priming and padding, unless
    /// `statedLength` asks for that duration (to plan windows with
    /// ``decodeWindows(_:length:hop:windowLimit:_:)``, whose limit keeps to the plan).
    /// - Throws: ``CodecError``, as ``decode(_:)`` would for the same bytes' header.
    public static func probe(_ bytes: [UInt8], statedLength: Bool = false) throws -> AudioInfo {
        let file = try open(bytes)
        let stated = file.exactFrameCount ?? (statedLength ? file.frameCountHint : nil)
        let decoded = countFrames(file, chunkLimit: stated == nil ? .max : 1)
        guard decoded > 0 else { throw noFrames(file) }
        return AudioInfo(format: file.container, sampleRate: file.sampleRate, channelCount: file.channelCount,
                         frameCount: stated ?? decoded, sampleFormat: file.storedSampleFormat)
    }

    /// Decodes a whole file to planar `Float` samples.
    ///
    /// PCM is scaled so that full scale is `-1...1` (16-bit −32768 → −1). Lossy decoders may
    /// overshoot ±1 slightly where the source was loud; samples are not clipped here.
    /// `metadata` records the container and the stored sample format, so that
    /// ``encode(_:options:)`` can write the same kind of file back.
    /// - Parameter maximumSeconds: stop after this much audio; the rest of the file is then neither
    ///   decoded nor checked for damage. `nil` decodes everything. (To read a long file a piece at
    ///   a time, see ``decodeWindows(_:length:hop:_:)``.)
    /// - Complexity: O(frames × channels), one pass, no per-sample allocation.
    /// - Throws: ``CodecError``.
    public static func decode(_ bytes: [UInt8], maximumSeconds: Double? = nil) throws -> AudioBuffer {
        let file = try open(bytes)
        let channelCount = file.channelCount
        let limit = maximumSeconds.map { max(1, Int(($0 * Double(file.sampleRate)).rounded(.up))) } ?? .max
        let claimed = min(file.frameCountHint ?? 0, limit)
        var planes = [[Float]](repeating: [], count: channelCount)
        let reserve = min(claimed, maximumReservedSamples / channelCount)
        for channel in planes.indices { planes[channel].reserveCapacity(reserve) }

        var reader = PlanarReader(file: file)
        reader.append(upTo: limit, to: &planes)
        guard planes[0].count > 0 else { throw noFrames(file) }
        return AudioBuffer(sampleRate: file.sampleRate, channels: planes, metadata: metadata(of: file))
    }

    /// Reads interleaved frames in `chunkFrames` blocks and appends them to planar channels.
    ///
    /// 16-bit PCM (WAV, FLAC, …) is read as integers and scaled here, in the loop that
    /// deinterleaves it: the same floats as libsndfile's own conversion (x / 32768, exact), one
    /// pass fewer.
    private struct PlanarReader {
        let file: any AudioFrameSource
        let channelCount: Int
        let readsIntegers: Bool
        var interleaved: [Float]
        var integers: [Int16]
        var scratch: [Float]

        init(file: any AudioFrameSource) {
            self.file = file
            channelCount = file.channelCount
            readsIntegers = file.storesPCM16
            interleaved = readsIntegers ? [] : [Float](repeating: 0, count: chunkFrames * channelCount)
            integers = readsIntegers ? [Int16](repeating: 0, count: chunkFrames * channelCount) : []
            scratch = [Float](repeating: 0, count: chunkFrames * channelCount)
        }

        /// Appends up to `count` frames to `planes` (one array per channel).
        /// - Returns: the frames appended; fewer than `count` only at the end of the stream.
        @discardableResult
        mutating func append(upTo count: Int, to planes: inout [[Float]]) -> Int {
            var appended = 0
            while appended < count {
                let wanted = min(chunkFrames, count - appended)
                let frames: Int
                if readsIntegers {
                    frames = integers.withUnsafeMutableBufferPointer { file.readFrames(into: $0.baseAddress!, frames: wanted) }
                    guard frames > 0 else { break }
                    deinterleave(integers, into: &scratch, frames: frames, channelCount: channelCount)
                } else {
                    frames = interleaved.withUnsafeMutableBufferPointer { file.readFrames(into: $0.baseAddress!, frames: wanted) }
                    guard frames > 0 else { break }
                    if channelCount == 1 {
                        planes[0].append(contentsOf: interleaved[0..<frames])
                        appended += frames
                        continue
                    }
                    deinterleave(interleaved, into: &scratch, frames: frames, channelCount: channelCount)
                }
                for channel in 0..<channelCount {
                    let start = channel * chunkFrames
                    planes[channel].append(contentsOf: scratch[start..<start + frames])
                }
                appended += frames
            }
            return appended
        }
    }

    /// The container and stored sample format of `file`, so that ``encode(_:options:)`` can write
    /// the same kind of file back.
    private static func metadata(of file: any AudioFrameSource) -> AudioMetadata {
        AudioMetadata(sourceFormat: file.container, sampleFormat: file.storedSampleFormat)
    }

    /// Decodes a file in overlapping windows, one in memory at a time: `length` frames every `hop`
    /// frames, and a last, shorter window from the next start to the end of the file (when the
    /// file is longer than `length` and the stride does not end there: it overlaps the window
    /// before by `length − hop` frames, as all the others do); a file up to `length` frames is
    /// one window. `body` gets each window and the frame it starts at, and returns whether to go on.
    ///
    /// With `windowLimit`, the window of that number (counting from 1) is the last: it runs from
    /// its start to the end of the file, whatever the file's length turns out to be — so that a
    /// plan made from a stated length (``probe(_:statedLength:)``) is never exceeded — up to twice
    /// `length` frames (a file longer than that throws `.corrupt`: its header misstates it).
    ///
    /// Peak memory is `length` frames of planar floats (twice that for a limited last window),
    /// whatever the file's length.
    /// - Returns: the frames decoded (all of the file unless `body` stopped early).
    /// - Throws: ``CodecError``, and what `body` throws.
    @discardableResult
    public static func decodeWindows(_ bytes: [UInt8], length: Int, hop: Int, windowLimit: Int = .max,
                                     _ body: (_ window: AudioBuffer, _ startFrame: Int) throws -> Bool) throws -> Int {
        precondition(length > 0 && hop > 0 && hop <= length, "windows need 0 < hop ≤ length")
        let file = try open(bytes)
        let channelCount = file.channelCount
        let rate = file.sampleRate
        let stored = metadata(of: file)
        // Frames buffered from `bufferStart` (the last window's start) on.
        var planes = [[Float]](repeating: [], count: channelCount)
        for channel in planes.indices { planes[channel].reserveCapacity(min(length, maximumReservedSamples / channelCount)) }
        var bufferStart = 0, total = 0
        var lastStart: Int?
        var reader = PlanarReader(file: file)
        func window(from start: Int, frames: Int = length) -> AudioBuffer {
            let offset = start - bufferStart
            // Every window but a file's shorter last one is the whole buffer: shared, not copied
            // (a 120-s stereo window is 42 MB of fresh pages); the buffer is ours again once
            // `body` has let it go.
            guard offset > 0 || frames < planes[0].count else {
                return AudioBuffer(sampleRate: rate, channels: planes, metadata: stored)
            }
            return AudioBuffer(sampleRate: rate, channels: planes.map { Array($0[offset..<(offset + frames)]) }, metadata: stored)
        }
        // The file's end is reached: the frames from `start` on are the last window, unless the
        // window before already ended with the file (or there are none at all).
        func deliverLast(from start: Int) throws -> Int {
            guard total > 0 else { throw noFrames(file) }
            if lastStart.map({ total > $0 + length }) ?? true {
                _ = try body(window(from: start, frames: total - start), start)
            }
            return total
        }
        var delivered = 0
        while true {
            // The next window starts at 0, then every hop; read until it is complete.
            let nextStart = lastStart.map { $0 + hop } ?? 0
            if delivered + 1 == windowLimit {
                // The plan's last window: everything from its start to the end of the file.
                let held = bufferStart + planes[0].count - nextStart
                total += reader.append(upTo: 2 * length + 1 - held, to: &planes)
                guard total - nextStart <= 2 * length else {
                    throw CodecError.corrupt(format: file.container, reason: "longer than its header states")
                }
                return try deliverLast(from: nextStart)
            }
            let needed = nextStart + length - (bufferStart + planes[0].count)
            let read = reader.append(upTo: needed, to: &planes)
            total += read
            if read < needed { return try deliverLast(from: nextStart) }
            guard try body(window(from: nextStart), nextStart) else { return total }
            delivered += 1
            // Drop the frames before the next window (the last, shorter one starts there too).
            let drop = nextStart + hop - bufferStart
            for channel in planes.indices { planes[channel].removeFirst(drop) }
            bufferStart = nextStart + hop
            lastStart = nextStart
        }
    }

    /// Splits `frames` interleaved frames into `chunkFrames`-strided planes of `planar`.
    private static func deinterleave(_ interleaved: [Float], into planar: inout [Float], frames: Int, channelCount: Int) {
        interleaved.withUnsafeBufferPointer { source in
            planar.withUnsafeMutableBufferPointer { destination in
                for channel in 0..<channelCount {
                    let plane = destination.baseAddress! + channel * chunkFrames
                    var index = channel
                    for frame in 0..<frames {
                        plane[frame] = source[index]
                        index += channelCount
                    }
                }
            }
        }
    }

    /// 16-bit samples deinterleaved and scaled to floats (full scale ±1), as libsndfile would.
    private static func deinterleave(_ interleaved: [Int16], into planar: inout [Float], frames: Int, channelCount: Int) {
        let scale: Float = 0x1p-15
        interleaved.withUnsafeBufferPointer { source in
            planar.withUnsafeMutableBufferPointer { destination in
                let from = source.baseAddress!
                for channel in 0..<channelCount {
                    let plane = destination.baseAddress! + channel * chunkFrames
                    for frame in 0..<frames { plane[frame] = Float(from[frame * channelCount + channel]) * scale }
                }
            }
        }
    }

    /// Sniffs, opens and checks the stream's shape; everything after this can trust the source's
    /// rate and channel count. The containers libsndfile has a format for go through it, the
    /// others (MP4, WebM, ADTS) through libavformat.
    private static func open(_ bytes: [UInt8]) throws(CodecError) -> any AudioFrameSource {
        guard let container = FormatSniffer.format(of: bytes), container.kind == .audio else {
            throw .unrecognizedFormat
        }
        let file: any AudioFrameSource = SoundFileFormat.majorFormat(of: container) != nil
            ? try SoundFile.open(reading: MemoryReadStream(bytes), container: container)
            : try AVAudioFile(bytes, container: container)
        let channels = file.channelCount, rate = file.sampleRate
        guard channels >= 1, rate > 0 else {
            throw .corrupt(format: container, reason: "header gives \(channels) channels at \(rate) Hz")
        }
        guard channels <= maximumChannelCount else {
            throw .unsupported(format: container, reason: "\(channels) channels; tracemark handles 1–\(maximumChannelCount)")
        }
        guard rate <= maximumSampleRate else {
            throw .unsupported(format: container, reason: "sample rate \(rate) Hz; tracemark handles up to \(maximumSampleRate) Hz")
        }
        if let frames = file.exactFrameCount, frames <= 0 { throw noFrames(file) }
        return file
    }

    private static func noFrames(_ file: any AudioFrameSource) -> CodecError {
        let detail = file.errorDetail.map { ": \($0)" } ?? ""
        return .corrupt(format: file.container, reason: "no audio frames (truncated or empty)\(detail)")
    }

    /// Decodes and discards up to `chunkLimit` chunks; returns the frames decoded.
    private static func countFrames(_ file: any AudioFrameSource, chunkLimit: Int) -> Int {
        var buffer = [Float](repeating: 0, count: chunkFrames * file.channelCount)
        var total = 0
        for _ in 0..<chunkLimit {
            let frames = buffer.withUnsafeMutableBufferPointer { file.readFrames(into: $0.baseAddress!, frames: chunkFrames) }
            guard frames > 0 else { break }
            total += frames
        }
        return total
    }
}
