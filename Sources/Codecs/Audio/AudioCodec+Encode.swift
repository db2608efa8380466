internal import CSndFile
import Media

extension AudioCodec {
    /// Encodes audio to a file in memory, keeping its sample rate and channel count.
    ///
    /// Lossless containers keep the sample format (see ``AudioEncodeOptions/sampleFormat``), so
    /// decode → encode → decode of WAV or FLAC is bit-exact. Samples outside `-1...1` are clipped
    /// to full scale when converted to integers, never wrapped around.
    ///
    /// Nothing is resampled: Opus takes 8, 12, 16, 24 or 48 kHz and MP3 the MPEG rates (8–48 kHz);
    /// other rates throw ``CodecError/encodeFailed(format:reason:)`` naming the allowed ones.
    /// - Complexity: O(frames × channels) plus the codec's own cost.
    /// - Throws: ``CodecError/encodeFailed(format:reason:)`` for options or audio the container
    ///   cannot take, or when the encoder fails; ``CodecError/unsupported(format:reason:)`` for
    ///   more than 8 channels.
    public static func encode(_ audio: AudioBuffer, options: AudioEncodeOptions) throws -> [UInt8] {
        let container = options.format
        var info = SF_INFO()
        info.samplerate = Int32(clamping: audio.sampleRate)
        info.channels = Int32(clamping: audio.channelCount)
        info.format = try formatCode(for: audio, options: options)
        try checkShape(of: audio, container: container)

        let estimate = container == .wav ? 64 + audio.frameCount * audio.channelCount * 4 : audio.frameCount / 2
        let stream = MemoryWriteStream(expectedSize: min(estimate, 1 << 28))
        let file = try SoundFile.open(writing: stream, info: info, container: container)
        // Out-of-range floats become full scale instead of wrapping to the opposite sign. With
        // clipping on, libsndfile also scales by 2^(bits−1) rather than 2^(bits−1) − 1 when
        // converting, the exact inverse of its read scaling — that is what makes PCM round
        // trips bit-exact. Lossy encoders take floats and ignore the flag.
        file.command(SFC_SET_CLIPPING, flag: true)
        try configureRate(file, audio: audio, options: options)
        if container == .flac {
            // libFLAC level 4 instead of libsndfile's 5: measured on corpus music, encoding 1.25×
            // faster (60 s of stereo: 111 → 86 ms) for files 0.0–0.7 % larger; levels 0–2 were
            // twice as fast but up to 24 % larger.
            file.command(SFC_SET_COMPRESSION_LEVEL, 0.5)
        }
        try writeAll(audio, to: file, quantum: integerQuantum(subtype: info.format & Int32(SF_FORMAT_SUBMASK)))
        try file.close()
        return stream.bytes
    }

    /// `SF_FORMAT_*` major | subtype for the requested container and sample format.
    private static func formatCode(for audio: AudioBuffer, options: AudioEncodeOptions) throws(CodecError) -> Int32 {
        let container = options.format
        guard let major = SoundFileFormat.majorFormat(of: container) else {
            throw .encodeFailed(format: container, reason: container.kind == .audio
                ? "\(container.rawValue) is read, not written: write WAV, FLAC, Ogg, Opus or MP3"
                : "\(container.rawValue) is not an audio format")
        }
        if let lossy = SoundFileFormat.lossySubtype(of: container) { return major | lossy }
        if let requested = options.sampleFormat {
            guard let subtype = SoundFileFormat.pcmSubtype(for: requested, in: container) else {
                throw .encodeFailed(format: container, reason: "cannot store \(requested.rawValue) samples")
            }
            return major | subtype
        }
        let kept = SoundFileFormat.pcmSubtype(for: audio.metadata.sampleFormat, in: container)
        return major | (kept ?? Int32(SF_FORMAT_PCM_16))
    }

    /// Refuses, with a message that says what would work, what libsndfile would refuse vaguely.
    private static func checkShape(of audio: AudioBuffer, container: ContainerFormat) throws(CodecError) {
        guard audio.channelCount <= maximumChannelCount else {
            throw .unsupported(format: container, reason: "\(audio.channelCount) channels; tracemark handles 1–\(maximumChannelCount)")
        }
        guard audio.frameCount > 0 else {
            throw .encodeFailed(format: container, reason: "no audio frames to encode")
        }
        let rates: [Int]
        switch container {
        case .opus: rates = SoundFileFormat.opusSampleRates
        case .mp3: rates = SoundFileFormat.mp3SampleRates
        default: return
        }
        guard rates.contains(audio.sampleRate) else {
            let allowed = rates.map(String.init).joined(separator: ", ")
            throw .encodeFailed(format: container, reason: "sample rate \(audio.sampleRate) Hz not allowed (allowed: \(allowed) Hz); resample first")
        }
        if container == .mp3, audio.channelCount > 2 {
            throw .encodeFailed(format: container, reason: "MP3 holds 1 or 2 channels, not \(audio.channelCount)")
        }
    }

    /// Applies ``AudioEncodeOptions/vbrQuality`` or ``AudioEncodeOptions/bitrateKbps`` to a
    /// lossy encoder. Must run before the first write: encoders fix their settings then.
    private static func configureRate(_ file: SoundFile, audio: AudioBuffer, options: AudioEncodeOptions) throws(CodecError) {
        let container = options.format
        guard SoundFileFormat.lossySubtype(of: container) != nil else { return }
        if options.vbrQuality != nil, options.bitrateKbps != nil {
            throw .encodeFailed(format: container, reason: "set either vbrQuality or bitrateKbps, not both")
        }
        if let quality = options.vbrQuality {
            guard (0...1).contains(quality) else {
                throw .encodeFailed(format: container, reason: "vbrQuality \(quality) is outside 0...1")
            }
            guard file.command(SFC_SET_COMPRESSION_LEVEL, 1 - quality) else {
                throw .encodeFailed(format: container, reason: "encoder refused quality \(quality): \(file.errorMessage)")
            }
        }
        guard let kbps = options.bitrateKbps else { return }
        let level: Double
        switch container {
        case .mp3:
            let bitrates = LossyRateControl.mp3Bitrates(sampleRate: audio.sampleRate)
            guard bitrates.contains(kbps) else {
                let allowed = bitrates.map(String.init).joined(separator: ", ")
                throw .encodeFailed(format: container, reason: "\(kbps) kbit/s not available at \(audio.sampleRate) Hz (allowed: \(allowed))")
            }
            level = LossyRateControl.mp3CompressionLevel(kbps: kbps, sampleRate: audio.sampleRate)
        case .opus:
            let range = LossyRateControl.opusBitsPerChannel
            guard range.contains(kbps * 1000 / audio.channelCount) else {
                throw .encodeFailed(format: container, reason: "\(kbps) kbit/s for \(audio.channelCount) channel(s) is outside \(range.lowerBound / 1000)–\(range.upperBound / 1000) kbit/s per channel")
            }
            level = LossyRateControl.opusCompressionLevel(kbps: kbps, channels: audio.channelCount)
        default:
            throw .encodeFailed(format: container, reason: "bitrateKbps is not available for Vorbis; use vbrQuality")
        }
        guard file.command(SFC_SET_COMPRESSION_LEVEL, level) else {
            throw .encodeFailed(format: container, reason: "encoder refused \(kbps) kbit/s: \(file.errorMessage)")
        }
        // Set the level first: libsndfile's MP3 writer re-derives the bitrate from the stored
        // level when the mode changes, and fails if none is stored yet (mpeg_l3_encode.c).
        let constant = Int32(SF_BITRATE_MODE_CONSTANT)
        if !file.command(SFC_SET_BITRATE_MODE, constant), container == .mp3 {
            throw .encodeFailed(format: container, reason: "encoder refused constant bitrate: \(file.errorMessage)")
        }
        // libsndfile 1.2.0's Opus writer ignores SFC_SET_BITRATE_MODE (ogg_opus_command has no
        // case for it), so Opus stays in libopus' default constrained VBR around the target.
    }

    /// The step of an 8-, 16- or 24-bit integer subtype on libsndfile's float scale, else nil.
    ///
    /// libsndfile converts floats to integers differently per container: with clipping on, its
    /// WAV writer rounds down (10.7 → 10, −10.2 → −11: a −½-LSB offset and twice the rounding
    /// noise) while its FLAC writer rounds to nearest; the same marked audio came out 1 LSB apart in
    /// 46 % of its samples. Rounding to the integer grid here, to nearest, makes every container
    /// store the same samples; grid values convert exactly in all of them (that is what the
    /// bit-exact round trips check).
    private static func integerQuantum(subtype: Int32) -> Float? {
        switch subtype {
        case Int32(SF_FORMAT_PCM_S8), Int32(SF_FORMAT_PCM_U8): 0x1p-7
        case Int32(SF_FORMAT_PCM_16): 0x1p-15
        case Int32(SF_FORMAT_PCM_24): 0x1p-23
        default: nil
        }
    }

    /// Interleaves the planes chunk by chunk, rounded to the integer grid of `quantum` when given,
    /// and hands each chunk to libsndfile. 16-bit output, the common case, goes as integers:
    /// each sample clipped to full scale and rounded to nearest (ties to even) here, exactly as
    /// the float path's grid rounding and libsndfile's clipping conversion would give, in a loop
    /// that vectorises (Float's `rounded` is a libm call per sample on baseline x86-64, and
    /// libsndfile's own conversion another pass: 30 s of stereo took 10.6 ms to encode as WAV
    /// through floats, 3.5 ms as integers).
    private static func writeAll(_ audio: AudioBuffer, to file: SoundFile, quantum: Float?) throws(CodecError) {
        if quantum == 0x1p-15 {
            try writeChunks(audio, to: file, zero: Int16(0), interleave: quantize16) { file.writeFrames(from: $0, frames: $1) }
            return
        }
        try writeChunks(audio, to: file, zero: Float(0), interleave: { plane, count, destination, stride in
            if let quantum {
                let scale = 1 / quantum
                for frame in 0..<count { destination[frame * stride] = (plane[frame] * scale).rounded(.toNearestOrEven) * quantum }
            } else {
                for frame in 0..<count { destination[frame * stride] = plane[frame] }
            }
        }) { file.writeFrames(from: $0, frames: $1) }
    }

    /// The chunk loop of ``writeAll(_:to:quantum:)``: `interleave` writes `count` samples of one
    /// plane to every `stride`-th place of the chunk, `write` hands a chunk of frames to libsndfile
    /// and returns how many it took.
    private static func writeChunks<Sample>(
        _ audio: AudioBuffer, to file: SoundFile, zero: Sample,
        interleave: (_ plane: UnsafePointer<Float>, _ count: Int, _ destination: UnsafeMutablePointer<Sample>, _ stride: Int) -> Void,
        write: (UnsafePointer<Sample>, Int) -> Int
    ) throws(CodecError) {
        let channelCount = audio.channelCount
        var interleaved = [Sample](repeating: zero, count: chunkFrames * channelCount)
        var start = 0
        while start < audio.frameCount {
            let frames = min(chunkFrames, audio.frameCount - start)
            interleaved.withUnsafeMutableBufferPointer { destination in
                for channel in 0..<channelCount {
                    audio.channels[channel].withUnsafeBufferPointer { plane in
                        interleave(plane.baseAddress! + start, frames, destination.baseAddress! + channel, channelCount)
                    }
                }
            }
            let written = interleaved.withUnsafeBufferPointer { write($0.baseAddress!, frames) }
            guard written == frames else {
                throw .encodeFailed(format: file.container, reason: "wrote \(written) of \(frames) frames: \(file.errorMessage)")
            }
            start += frames
        }
    }

    /// `out[i · stride] = round(clip(x[i] · 32768, −32768 … 32767))`, NaN as −32768. Rounding adds and
    /// subtracts 1.5 · 2²³, whose float sum keeps no fraction: the hardware's round-to-nearest-even
    /// does the rounding, and the integer is read from the sum's low mantissa bits.
    static func quantize16(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Int16>, stride: Int) {
        let magic: Float = 12_582_912  // 1.5 · 2²³
        let magicBits = Int32(bitPattern: magic.bitPattern)
        for i in 0..<count {
            let v = x[i] * 32768
            let low = v > -32768 ? v : -32768
            let clipped = low < 32767 ? low : 32767
            out[i * stride] = Int16(truncatingIfNeeded: Int32(bitPattern: (clipped + magic).bitPattern) &- magicBits)
        }
    }
}
