import Attacks
import Media
import Testing

@Suite("Attack specs")
struct AttackSpecTests {
    static let canonicalSpecs = [
        "jpeg:75", "png", "webp:75", "resize:0.75", "resize-short:512", "border:256", "pad-edge:512", "crop:0.8", "center-crop:512x384", "resize-to:256x256", "blur-fill:1080x1920", "rotate:5",
        "rotate:-2.5:crop", "shear:5", "shear:-7.5", "keystone:0.05", "flip", "aspect:1.1", "noise:4", "noise:2.5", "blur:1.5", "median:3", "brightness:1.2",
        "contrast:0.8", "gamma:1.2", "mp3:128", "mp3:8", "ogg:0", "ogg:0.5", "opus:32", "aac:128", "resample:16000",
        "lowpass:4000", "highpass:200", "reverb:0.3", "volume:0.5", "excerpt:15", "surround:30", "shift:123", "shift:-50", "speed:1.02", "tempo:1.05", "pitch:-100", "mono", "invert",
    ]

    @Test("a canonical spec reads back as itself", arguments: canonicalSpecs)
    func roundTrip(spec: String) throws {
        let attack = try Attack(parsing: spec)
        #expect(attack.description == spec)
        #expect(try Attack(parsing: attack.description) == attack)
    }

    @Test("every spec name has a help row, and every help row a spec")
    func helpCoversEveryAttack() throws {
        let parsedNames = Set(try Self.canonicalSpecs.map { try Attack(parsing: $0).name })
        #expect(Set(Attack.specNames) == parsedNames)
        #expect(Attack.parameterHelp.count == Set(Attack.specNames).count)
        for help in Attack.parameterHelp {
            #expect(help.usage.hasPrefix(help.name))
            #expect(Attack.parameterHelpText.contains(help.usage))
            #expect(Attack.parameterHelpMarkdown.contains("| `\(help.usage)` |"))
        }
        for line in Attack.parameterHelpText.split(separator: "\n") {
            #expect(line.count <= 79, "help line too wide for a terminal: \(line)")
        }
    }

    @Test("chains parse, print and ignore surrounding spaces")
    func chains() throws {
        let chain = try AttackChain(parsing: "resize:0.75,crop:0.8,jpeg:75")
        #expect(chain.steps == [.resize(factor: 0.75), .crop(area: 0.8), .jpeg(quality: 75)])
        #expect(chain.description == "resize:0.75,crop:0.8,jpeg:75")
        #expect(try AttackChain(parsing: " resize:0.5 , JPEG:80 ").steps == [.resize(factor: 0.5), .jpeg(quality: 80)])
        #expect(try AttackChain(parsing: "none").steps.isEmpty)
        #expect(try AttackChain(parsing: "").steps.isEmpty)
        #expect(AttackChain(steps: []).description == "none")
        #expect(try AttackChain(parsing: "rotate:5:crop").steps == [.rotate(degrees: 5, cropToValid: true)])
    }

    @Test("noise is one spec for both kinds of media")
    func noiseSpec() throws {
        #expect(try Attack(parsing: "noise:20") == .noise(sigma: 20))
        #expect(Attack.audioNoise(snrDB: 20).description == "noise:20")
        #expect(Attack.noise(sigma: 3).applies(to: .image) && Attack.noise(sigma: 3).applies(to: .audio))
        #expect(!Attack.audioNoise(snrDB: 3).applies(to: .image))
    }

    static let malformedSpecs = [
        "jpeg", "jpeg:", "jpeg:abc", "jpeg:7.5", "frobnicate:3", "png:3", "flip:1", "center-crop:10",
        "center-crop:10x", "rotate:5:foo", "rotate:5:crop:1", "jpeg:75:1", "resize:0.5,,jpeg:75", "noise:nan",
        "resize:inf", "mono:2", "invert:1",
    ]

    @Test("malformed specs throw invalidSpec", arguments: malformedSpecs)
    func malformed(spec: String) {
        #expect {
            try AttackChain(parsing: spec)
        } throws: { error in
            guard case .invalidSpec = error as? AttackError else { return false }
            return true
        }
    }

    static let outOfRangeSpecs = [
        "jpeg:0", "jpeg:101", "resize:0", "resize:-1", "crop:0", "crop:1.5", "median:4", "median:0", "mp3:100",
        "ogg:2", "ogg:-0.1", "gamma:0", "speed:0", "center-crop:0x5", "resize-to:0x256", "resample:10", "noise:-1",
    ]

    @Test("out-of-range parameters throw invalidParameter", arguments: outOfRangeSpecs)
    func outOfRange(spec: String) {
        #expect {
            try AttackChain(parsing: spec)
        } throws: { error in
            guard case .invalidParameter = error as? AttackError else { return false }
            return true
        }
    }

    @Test("an attack for the other kind of media throws notApplicable before anything runs")
    func notApplicable() throws {
        let audio = AudioBuffer(sampleRate: 8000, channels: [[0, 0.5, -0.5, 0]])
        let image = PlanarImage(width: 2, height: 2, colorModel: .gray, planes: [[0, 0.25, 0.5, 1]])
        #expect(throws: AttackError.notApplicable(attack: "jpeg:75", kind: .audio)) {
            try AttackChain(parsing: "volume:0.5,jpeg:75").apply(to: audio, seed: 1)
        }
        #expect(throws: AttackError.notApplicable(attack: "mp3:128", kind: .image)) {
            try AttackChain(parsing: "flip,mp3:128").apply(to: DecodedMedia.image(image), seed: 1)
        }
        #expect(throws: AttackError.notApplicable(attack: "flip", kind: .audio)) {
            try Attack.flip.apply(to: audio, seed: 1)
        }
        #expect(throws: AttackError.notApplicable(attack: "noise:20", kind: .image)) {
            try Attack.audioNoise(snrDB: 20).apply(to: image, seed: 1)
        }
    }

    @Test("errors describe themselves in one line")
    func errorDescriptions() {
        #expect(AttackError.notApplicable(attack: "jpeg:75", kind: .audio).description
                == "attack jpeg:75 does not apply to audio")
        #expect(AttackError.invalidSpec("x").description == "invalid attack spec: x")
    }
}
