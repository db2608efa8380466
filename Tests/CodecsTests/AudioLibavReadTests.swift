import Codecs
import Foundation
import Media
import TestSupport
import Testing

/// The containers libsndfile cannot read, through libavformat: AAC and ALAC in M4A, Opus in WebM,
/// Vorbis in Matroska, raw ADTS AAC. The files are made by the `ffmpeg` program (a declared
/// dependency, for the harness's AAC attack) from 6 s of a corpus recording.
@Suite("Audio read through libavformat",
       .enabled(if: Corpus.isAvailable && FFmpegProgram.path != nil, "needs ../shared/corpus and ffmpeg on PATH"))
struct AudioLibavReadTests {
    static let source = AudioFixtures.excerpt(try! AudioFixtures.decoded(AudioFixtures.stereo44k), seconds: 6, from: 4)
    static let sourceWAV = try! AudioCodec.encode(source, options: AudioEncodeOptions(format: .wav, sampleFormat: .pcm16))

    /// ffmpeg's output for the source with `arguments` (codec options), as `suffix`.
    static func made(_ arguments: [String], suffix: String) throws -> [UInt8] {
        try FFmpeg.convert(sourceWAV, arguments: arguments, suffix: suffix)
    }

    @Test("sniffed by content: ftyp box, EBML header, ADTS sync")
    func sniffs() throws {
        #expect(FormatSniffer.format(of: try Self.made(["-c:a", "aac", "-b:a", "96k"], suffix: "m4a")) == .m4a)
        #expect(FormatSniffer.format(of: try Self.made(["-c:a", "libopus", "-b:a", "64k"], suffix: "webm")) == .webm)
        #expect(FormatSniffer.format(of: try Self.made(["-c:a", "aac", "-f", "adts"], suffix: "aac")) == .aac)
        // An MP3 frame sync (layer III) is still MP3, not ADTS.
        #expect(FormatSniffer.format(of: [0xFF, 0xFB, 0x90, 0x64]) == .mp3)
        #expect(FormatSniffer.format(of: [0xFF, 0xF1, 0x50, 0x80]) == .aac)
    }

    /// ALAC is lossless: the 16-bit samples come back exactly, with the container's tag.
    @Test("ALAC in M4A decodes bit-exact")
    func alacIsExact() throws {
        let decoded = try AudioCodec.decode(try Self.made(["-c:a", "alac"], suffix: "m4a"))
        let expected = try AudioCodec.decode(Self.sourceWAV)
        #expect(decoded.metadata == AudioMetadata(sourceFormat: .m4a, sampleFormat: .pcm16))
        #expect(AudioFixtures.mismatch(decoded, expected) == nil)
        let info = try AudioCodec.probe(try Self.made(["-c:a", "alac"], suffix: "m4a"))
        #expect(info.frameCount == Self.source.frameCount && info.sampleRate == 44100 && info.channelCount == 2)
    }

    /// The lossy ones keep rate and channels, their length within the codec's priming and padding,
    /// and the music itself (aligned SNR at their bitrates).
    @Test("AAC, Opus and Vorbis in M4A, WebM, Matroska and ADTS keep shape and content",
          arguments: [(["-c:a", "aac", "-b:a", "128k"], "m4a", ContainerFormat.m4a, 44100),
                      (["-c:a", "libopus", "-b:a", "96k"], "webm", .webm, 48000),
                      (["-c:a", "libvorbis", "-q:a", "4"], "mkv", .webm, 44100),
                      (["-c:a", "aac", "-b:a", "128k", "-f", "adts"], "aac", .aac, 44100)])
    func lossyKeepShape(arguments: [String], suffix: String, format: ContainerFormat, rate: Int) throws {
        let bytes = try Self.made(arguments, suffix: suffix)
        let decoded = try AudioCodec.decode(bytes)
        #expect(decoded.metadata == AudioMetadata(sourceFormat: format, sampleFormat: .compressed))
        #expect(decoded.sampleRate == rate && decoded.channelCount == 2)
        let expectedFrames = Self.source.frameCount * rate / Self.source.sampleRate
        #expect(abs(decoded.frameCount - expectedFrames) <= 4096, "\(suffix): \(decoded.frameCount) frames, expected ~\(expectedFrames)")
        #expect(try AudioCodec.probe(bytes).frameCount == decoded.frameCount, "probe counts the frames decode gives")
        guard rate == Self.source.sampleRate else { return }
        let aligned = AudioFixtures.alignedSNR(reference: Self.source, test: decoded, maxLag: 3000)
        #expect(aligned.snr > 10, "\(suffix): SNR \(aligned.snr) dB at lag \(aligned.lag)")
    }

    /// Cut anywhere, or with bytes flipped, a file either decodes (to what is there) or throws a
    /// ``CodecError``: the C decode loop never crashes or hangs on damaged input.
    @Test("damaged MP4, WebM and ADTS files decode or throw a CodecError", arguments: [
        (["-c:a", "aac", "-b:a", "64k"], "m4a"), (["-c:a", "libopus", "-b:a", "48k"], "webm"),
        (["-c:a", "aac", "-f", "adts"], "aac")])
    func damagedFilesFailCleanly(arguments: [String], suffix: String) throws {
        let whole = try Self.made(arguments, suffix: suffix)
        for (trial, bytes) in damagedCopies(of: whole, count: 16, seed: 11).enumerated() {
            do {
                let decoded = try AudioCodec.decode(bytes)
                #expect(decoded.frameCount > 0 && decoded.channelCount == 2)
            } catch {
                #expect(error is CodecError, "\(suffix) trial \(trial): \(error)")
            }
        }
    }

    @Test("a video without audio, a file cut before its index, and M4A as output are refused with a reason")
    func refusals() throws {
        let video = try FFmpeg.generate(["-f", "lavfi", "-i", "testsrc=duration=1:size=32x32:rate=5", "-c:v", "mpeg4"],
                                        suffix: "mp4")
        #expect(throws: CodecError.unsupported(format: .m4a, reason: "no audio stream")) { try AudioCodec.decode(video) }
        // ffmpeg writes the index (moov) last: the first third of the file has none.
        let whole = try Self.made(["-c:a", "aac"], suffix: "m4a")
        #expect { try AudioCodec.decode(Array(whole.prefix(whole.count / 3))) } throws: { error in
            guard case CodecError.corrupt(format: .m4a, _) = error else { return false }
            return true
        }
        #expect { try AudioCodec.encode(Self.source, options: AudioEncodeOptions(format: .m4a)) } throws: { error in
            guard case CodecError.encodeFailed(format: .m4a, let reason) = error else { return false }
            return reason.contains("read, not written")
        }
    }
}

/// Test files made by the `ffmpeg` program.
enum FFmpeg {
    /// `input` (a file of `inputSuffix`) converted with `arguments`, as a file ending in `suffix`.
    static func convert(_ input: [UInt8], inputSuffix: String = "wav", arguments: [String], suffix: String) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tracemark-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("in.\(inputSuffix)")
        try Data(input).write(to: source)
        return try run(["-i", source.path] + arguments, output: directory.appendingPathComponent("out.\(suffix)"))
    }

    /// What ffmpeg makes from `arguments` alone (a generated source), as a file ending in `suffix`.
    static func generate(_ arguments: [String], suffix: String) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tracemark-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try run(arguments, output: directory.appendingPathComponent("out.\(suffix)"))
    }

    private static func run(_ arguments: [String], output: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(FFmpegProgram.path))
        process.arguments = ["-loglevel", "error", "-nostdin", "-y"] + arguments + [output.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "ffmpeg \(arguments.joined(separator: " ")) failed")
        return [UInt8](try Data(contentsOf: output))
    }
}
