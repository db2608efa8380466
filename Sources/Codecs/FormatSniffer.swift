import Media

/// Recognises a container from its first bytes, never from a file name.
public enum FormatSniffer {
    /// How many leading bytes ``format(of:)`` may look at.
    public static let headerLength = 64

    /// The container whose signature starts `bytes`, or `nil`.
    public static func format(of bytes: some Collection<UInt8>) -> ContainerFormat? {
        let head = Array(bytes.prefix(headerLength))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return .wav }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("RF64".utf8)) && starts(Array("WAVE".utf8), at: 8) { return .wav }
        if starts(Array("fLaC".utf8)) { return .flac }
        if starts(Array("OggS".utf8)) {
            // The first page's packet names the codec: "\x01vorbis", "OpusHead" or "\x7FFLAC".
            if head.count >= 36, Array(head[28..<36]) == Array("OpusHead".utf8) { return .opus }
            if head.count >= 35, Array(head[29..<35]) == Array("vorbis".utf8) { return .ogg }
            if head.count >= 33, Array(head[29..<33]) == Array("FLAC".utf8) { return .ogg }
            return .ogg
        }
        if starts(Array("ID3".utf8)) { return .mp3 }
        // An MPEG audio frame sync: 11 set bits, layer III (bits 01), not the reserved version.
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xE0 == 0xE0, head[1] & 0x06 == 0x02, head[1] & 0x18 != 0x08 {
            return .mp3
        }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("II".utf8) + [42, 0]) || starts(Array("MM".utf8) + [0, 42]) { return .tiff }
        // "BM" alone is two letters: the DIB header's size (at 14, little-endian) must be one of
        // the versions there are.
        if starts(Array("BM".utf8)), head.count >= 18,
           [12, 40, 52, 56, 64, 108, 124].contains(Int(head[14]) | Int(head[15]) << 8 | Int(head[16]) << 16 | Int(head[17]) << 24) {
            return .bmp
        }
        // ISO base media (MP4, M4A, MOV): a first box of type "ftyp".
        if starts(Array("ftyp".utf8), at: 4) { return .m4a }
        // EBML, the header of every Matroska and WebM file.
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return .webm }
        // An ADTS frame sync: 12 set bits, then MPEG-4 or -2, layer 00 (MP3 frames have layer 01).
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xF6 == 0xF0 { return .aac }
        return nil
    }
}
