/// A minimal PCM WAV file (RIFF header, `fmt ` and `data` chunks) around raw sample bytes, for
/// tests that need a real file in a shape no codec under test wrote.
public enum PCMWave {
    /// - Parameters:
    ///   - data: interleaved samples as stored (8-bit unsigned, or 16-bit little-endian signed).
    ///   - bitsPerSample: 8 or 16.
    public static func bytes(channels: Int, sampleRate: Int, bitsPerSample: Int, data: [UInt8]) -> [UInt8] {
        func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let blockAlign = channels * bitsPerSample / 8
        return Array("RIFF".utf8) + le(36 + data.count, 4) + Array("WAVEfmt ".utf8) + le(16, 4)
            + le(1, 2) + le(channels, 2) + le(sampleRate, 4) + le(sampleRate * blockAlign, 4) + le(blockAlign, 2)
            + le(bitsPerSample, 2) + Array("data".utf8) + le(data.count, 4) + data
    }

    /// 16-bit digital silence.
    public static func silence(channels: Int, sampleRate: Int, frames: Int) -> [UInt8] {
        bytes(channels: channels, sampleRate: sampleRate, bitsPerSample: 16, data: [UInt8](repeating: 0, count: frames * channels * 2))
    }
}
