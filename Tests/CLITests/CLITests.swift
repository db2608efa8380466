import Foundation
import Testing
import TestSupport

/// The command-line contract, exercised by running the real executable on the bundled Samples.
@Suite("tracemark CLI")
struct CLITests {
    let samples = Corpus.repositoryRoot.appendingPathComponent("Samples")

    @Test func infoListsEveryFileAndFailsOnlyTheBadOne() throws {
        let dir = try CLI.scratchDirectory()
        try Data("not media at all".utf8).write(to: dir.appendingPathComponent("bad.jpg"))
        let image = samples.appendingPathComponent("images/skimage_rocket.jpg").path
        let audio = samples.appendingPathComponent("audio/speech_en_alsa_channel_names_48k_mono.flac").path
        let result = try CLI.run(["info", image, "bad.jpg", audio], in: dir)
        #expect(result.status == 2)
        #expect(result.lines.count == 2)
        let first = try CLI.json(result.lines[0]), second = try CLI.json(result.lines[1])
        #expect(first["kind"] as? String == "image" && first["width"] as? Int == 640 && first["height"] as? Int == 427)
        #expect(second["kind"] as? String == "audio" && second["sample_rate"] as? Int == 48000 && second["channels"] as? Int == 1)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("bad.jpg"))
    }

    /// A marked image a print workflow turned into CMYK is still found (its luma is read through a
    /// naive ink conversion); marking a CMYK file is refused with one line naming it.
    @Test func cmykJPEGsAreDetectedButNotMarked() throws {
        let dir = try CLI.scratchDirectory()
        let cmyk = Corpus.fixture("skimage_rocket_marked_cmyk.jpg").path
        let key = Corpus.fixture("cmyk-test.key").path
        let detect = try CLI.run(["detect", cmyk, "--key", key, "--json"], in: dir)
        #expect(detect.status == 0, "\(detect.stderr)")
        let report = try CLI.json(detect.lines.first ?? "")
        #expect(report["payload"] as? String == "c0ffee0123456789")
        let embed = try CLI.run(["embed", cmyk, "out.png", "--key", key, "--payload", "00112233aabbccdd"], in: dir)
        #expect(embed.status == 2 && embed.stderr.contains("CMYK") && embed.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.png").path))
    }

    @Test func keygenEmbedDetectRoundTrip() throws {
        let dir = try CLI.scratchDirectory()
        let keygen = try CLI.run(["keygen", "--output", "k.key"], in: dir)
        #expect(keygen.status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("k.key").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try CLI.run(["keygen", "--output", "k.key"], in: dir).status == 2, "an existing key is never replaced silently")

        let input = samples.appendingPathComponent("images/skimage_chelsea_cat.png").path
        let embed = try CLI.run(["embed", input, "marked.jpg", "--key", "k.key", "--payload", "00112233aabbccdd"], in: dir)
        #expect(embed.status == 0, "\(embed.stderr)")
        let report = try CLI.json(embed.lines.first ?? "")
        #expect(report["payload"] as? String == "00112233aabbccdd")
        // 39 dB at most for busy images, 38 (the floor) when the closed loop took the last decibel.
        #expect((report["psnr"] as? Double ?? 0) >= 37.95)
        #expect((report["masking_gain"] as? Double ?? 0) >= 1, "the closed loop's masking gain is reported")

        let unmarked = samples.appendingPathComponent("images/skimage_rocket.jpg").path
        let detect = try CLI.run(["detect", "marked.jpg", unmarked, "--key", "k.key", "--json"], in: dir)
        #expect(detect.status == 0, "\(detect.stderr)")
        let marked = try CLI.json(detect.lines[0]), clean = try CLI.json(detect.lines[1])
        #expect(marked["detected"] as? Bool == true && marked["payload"] as? String == "00112233aabbccdd")
        #expect((marked["false_positive_probability"] as? Double ?? 1) < 1e-9)
        #expect(clean["detected"] as? Bool == false && clean["payload"] is NSNull)

        let none = try CLI.run(["detect", unmarked, "--key", "k.key"], in: dir)
        #expect(none.status == 1, "no mark found gives exit code 1")

        let diff = try CLI.run(["diff", input, "marked.jpg", "--output", "diff.png"], in: dir)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("diff.png").path))
    }

    /// Audio through the CLI: a marked song sped up by resampling, and by a tempo change that kept
    /// the pitch; `detect --json` reports the speed and the pitch factor of each.
    @Test func audioSpeedAndPitchAreReported() throws {
        let dir = try CLI.scratchDirectory()
        #expect(try CLI.run(["keygen", "--output", "k.key"], in: dir).status == 0)
        let input = samples.appendingPathComponent("audio/folk_wesnoth_traveling_minstrels_22k_mono.wav").path
        let embed = try CLI.run(["embed", input, "marked.wav", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(embed.status == 0, "\(embed.stderr)")
        for (spec, name) in [("speed:1.08", "fast.wav"), ("tempo:1.08", "stretched.wav")] {
            let attack = try CLI.run(["attack", "marked.wav", name, "--attack", spec], in: dir)
            #expect(attack.status == 0, "\(attack.stderr)")
        }
        let detect = try CLI.run(["detect", "fast.wav", "stretched.wav", "--key", "k.key", "--json"], in: dir)
        #expect(detect.status == 0, "\(detect.stderr)")
        let fast = try CLI.json(detect.lines[0]), stretched = try CLI.json(detect.lines[1])
        for record in [fast, stretched] {
            #expect(record["payload"] as? String == "0011223344556677")
            #expect(abs((record["speed"] as? Double ?? 0) - 1.08) < 0.005, "\(record)")
        }
        #expect(abs((fast["pitch"] as? Double ?? 0) - 1.08) < 0.005)
        #expect(stretched["pitch"] as? Double == 1, "a tempo change keeps the pitch")
    }

    /// What platforms and training sets store audio as: a marked song re-encoded by ffmpeg to AAC
    /// in M4A and to Opus in WebM (read through libavformat) is found by `detect`; `embed` refuses
    /// M4A as an output with one line.
    @Test(.enabled(if: FFmpegProgram.path != nil, "needs ffmpeg on PATH"))
    func aacInM4AAndOpusInWebMAreRead() throws {
        let dir = try CLI.scratchDirectory()
        #expect(try CLI.run(["keygen", "--output", "k.key"], in: dir).status == 0)
        let input = samples.appendingPathComponent("audio/folk_wesnoth_traveling_minstrels_22k_mono.wav").path
        let embed = try CLI.run(["embed", input, "marked.wav", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(embed.status == 0, "\(embed.stderr)")
        for (codec, name) in [(["-c:a", "aac", "-b:a", "64k"], "marked.m4a"), (["-c:a", "libopus", "-b:a", "48k"], "marked.webm")] {
            try CLI.ffmpeg(["-i", "marked.wav"] + codec + [name], in: dir)
        }
        let detect = try CLI.run(["detect", "marked.m4a", "marked.webm", "--key", "k.key", "--json"], in: dir)
        #expect(detect.status == 0, "\(detect.stderr)")
        for line in detect.lines {
            let record = try CLI.json(line)
            #expect(record["payload"] as? String == "0011223344556677", "\(record)")
            #expect((record["false_positive_probability"] as? Double ?? 1) < 1e-9)
        }
        let info = try CLI.run(["info", "marked.m4a"], in: dir)
        #expect(try CLI.json(info.lines.first ?? "")["container"] as? String == "m4a")
        let refused = try CLI.run(["embed", "marked.wav", "again.m4a", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(refused.status == 2 && refused.stderr.split(separator: "\n").count == 1)
    }

    /// A marked picture saved by ffmpeg as GIF (a 256-colour palette), BMP and TIFF (read through
    /// libavcodec) is found by `detect`.
    @Test(.enabled(if: FFmpegProgram.path != nil, "needs ffmpeg on PATH"))
    func gifBMPAndTIFFAreRead() throws {
        let dir = try CLI.scratchDirectory()
        #expect(try CLI.run(["keygen", "--output", "k.key"], in: dir).status == 0)
        let input = samples.appendingPathComponent("images/skimage_chelsea_cat.png").path
        let embed = try CLI.run(["embed", input, "marked.png", "--key", "k.key", "--payload", "00112233aabbccdd"], in: dir)
        #expect(embed.status == 0, "\(embed.stderr)")
        let names = ["marked.gif", "marked.bmp", "marked.tiff"]
        for name in names { try CLI.ffmpeg(["-i", "marked.png", name], in: dir) }
        let detect = try CLI.run(["detect"] + names + ["--key", "k.key", "--json"], in: dir)
        #expect(detect.status == 0, "\(detect.stderr)")
        #expect(detect.lines.count == 3)
        for line in detect.lines {
            let record = try CLI.json(line)
            #expect(record["payload"] as? String == "00112233aabbccdd", "\(record)")
        }
    }

    /// `--refuse-marked`: an input that already carries a mark under the key is not marked again
    /// (exit 2, one line naming its payload, no output); an unmarked one is marked as usual.
    @Test func refuseMarkedKeepsAFileToOnePayload() throws {
        let dir = try CLI.scratchDirectory()
        #expect(try CLI.run(["keygen", "--output", "k.key"], in: dir).status == 0)
        let input = samples.appendingPathComponent("images/skimage_chelsea_cat.png").path
        let first = try CLI.run(["embed", input, "marked.png", "--key", "k.key", "--payload", "00112233aabbccdd", "--refuse-marked"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try CLI.run(["embed", "marked.png", "twice.png", "--key", "k.key", "--payload", "0000000000000001", "--refuse-marked"], in: dir)
        #expect(again.status == 2 && again.stderr.contains("00112233aabbccdd") && again.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("twice.png").path))
    }

    @Test func badInputsGiveOneLineAndLeaveNoOutput() throws {
        let dir = try CLI.scratchDirectory()
        _ = try CLI.run(["keygen", "--output", "k.key"], in: dir)
        let input = samples.appendingPathComponent("images/skimage_rocket.jpg").path
        let cases: [([String], String)] = [
            (["embed", input, "out.png", "--key", "k.key", "--payload", "xyz"], "payload"),
            (["embed", input, "out.gif", "--key", "k.key", "--payload", "0011223344556677"], "out.gif"),
            (["embed", "missing.png", "out.png", "--key", "k.key", "--payload", "0011223344556677"], "missing.png"),
            (["embed", input, "out.png", "--key", "nokey", "--payload", "0011223344556677"], "nokey"),
            (["embed", ".", "out.png", "--key", "k.key", "--payload", "0011223344556677"], "is a directory"),
            (["detect", ".", "--key", "k.key"], "is a directory"),
        ]
        for (arguments, mention) in cases {
            let result = try CLI.run(arguments, in: dir)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(result.stderr.contains(mention), "stderr should name \(mention): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.png").path))
        }
        // Digital silence: nothing to mark, so no output rather than an unmarked copy.
        try Data(PCMWave.silence(channels: 1, sampleRate: 44_100, frames: 44_100)).write(to: dir.appendingPathComponent("silence.wav"))
        let silent = try CLI.run(["embed", "silence.wav", "out.wav", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(silent.status == 2)
        #expect(silent.stderr.split(separator: "\n").count == 1 && silent.stderr.contains("silence.wav: cannot hold a readable mark"),
                "\(silent.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.wav").path))

        // 8-bit PCM: one step is larger than the mark, so writing it back would erase it.
        var generator = SplitMix64(seed: 8)
        let noise = (0..<88_200).map { _ in UInt8(88 + generator.next() % 80) }
        try Data(PCMWave.bytes(channels: 1, sampleRate: 44_100, bitsPerSample: 8, data: noise))
            .write(to: dir.appendingPathComponent("eight.wav"))
        let eight = try CLI.run(["embed", "eight.wav", "out.wav", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(eight.status == 2 && eight.stderr.contains("eight.wav: cannot hold a readable mark: 8-bit PCM"), "\(eight.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.wav").path))

        let copy = dir.appendingPathComponent("same.jpg")
        try FileManager.default.copyItem(atPath: input, toPath: copy.path)
        let before = try Data(contentsOf: copy)
        let same = try CLI.run(["embed", "same.jpg", "same.jpg", "--key", "k.key", "--payload", "0011223344556677"], in: dir)
        #expect(same.status == 2)
        #expect(try Data(contentsOf: copy) == before, "the original is never touched")
    }
}

