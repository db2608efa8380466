import Attacks
import Harness
import Media
import Testing

@Suite("Suites")
struct SuiteTests {
    /// Every target of the image-mark issue (#3) and the audio-mark issue (#6), as specs.
    static let imageTargets = ["none", "jpeg:90", "jpeg:75", "jpeg:50", "jpeg:40", "resize:0.5", "resize:0.25",
                               Suite.trainingChain, "crop:0.5", "crop:0.25", "rotate:2", "rotate:5", "noise:5",
                               "blur:1", "median:3", "brightness:1.2", "contrast:0.8", "gamma:0.8",
                               "resize:0.75,crop:0.8,jpeg:75", "rotate:15", "flip", "aspect:1.2"]
    static let audioTargets = ["none", "mp3:128", "mp3:64", "ogg:0", "opus:32", "aac:128", "aac:64", "resample:16000",
                               "lowpass:4000", "noise:20", "volume:0.5", "excerpt:15", "excerpt:10", "speed:0.98", "speed:1.02"]

    @Test func standardHoldsEveryTargetAttack() throws {
        let suite = Suite.standard
        let images = suite.entries(for: .image).filter(\.inTable).map(\.spec)
        let audio = suite.entries(for: .audio).filter(\.inTable).map(\.spec)
        for spec in Self.imageTargets { #expect(images.contains(spec), "image \(spec)") }
        for spec in Self.audioTargets { #expect(audio.contains(spec), "audio \(spec)") }
        #expect(audio.contains { $0.hasPrefix("shift:") })
        #expect(suite.entries.first { $0.id == "audio excerpt:15" }?.trials ?? 0 >= 3)
        #expect(Set(suite.entries.filter(\.stretch).map(\.id))
            == ["image rotate:15", "image flip", "image aspect:1.2", "audio excerpt:10", "audio speed:0.98", "audio speed:1.02"])
        // noise:5 is σ for images only; the audio noise is noise:20 (dB).
        #expect(!audio.contains("noise:5") && !images.contains("noise:20"))
    }

    @Test func standardSweepsCoverTheCurvesAndReuseListedAttacks() throws {
        let suite = Suite.standard
        #expect(suite.sweeps.map(\.name) == ["JPEG quality", "Resize", "Crop", "Rotation", "Shear", "MP3 bitrate", "Noise", "Excerpt length"])
        let jpeg = try #require(suite.sweeps.first)
        #expect(jpeg.points.map(\.value) == [95, 90, 80, 75, 60, 50, 40, 30, 20])
        // Every point is an entry; a point that is also a listed attack is run once, in the table.
        for sweep in suite.sweeps {
            for point in sweep.points {
                #expect(suite.entries.filter { $0.id == sweep.entryID(point) }.count == 1, "\(sweep.entryID(point))")
            }
        }
        #expect(suite.entries.first { $0.id == "image jpeg:75" }?.inTable == true)
        #expect(suite.entries.first { $0.id == "image jpeg:95" }?.inTable == false)
        #expect(Set(suite.entries.map(\.id)).count == suite.entries.count)
    }

    @Test func quickIsASmallSubset() {
        let quick = Suite.quick
        #expect(quick.entries(for: .image).map(\.spec) == ["none", "jpeg:75", "resize:0.5", Suite.trainingChain, "crop:0.5"])
        #expect(quick.entries(for: .audio).map(\.spec) == ["none", "mp3:128", "excerpt:10"])
        #expect(quick.sweeps.isEmpty)
    }

    @Test func namedFindsTheBuiltIns() throws {
        #expect(try Suite.named("quick") == Suite.quick)
        #expect(try Suite.named("standard").name == "standard")
        #expect(throws: HarnessError.self) { try Suite.named("/no/such/suite.json") }
    }

    @Test func jsonSuite() throws {
        let text = """
            {"name": "mine",
             "attacks": ["none", "JPEG:75", {"spec": "excerpt:15", "trials": 3, "label": "clip"},
                         {"spec": "noise:5", "media": "image"}, {"spec": "rotate:15", "stretch": true}],
             "sweeps": [{"name": "JPEG quality", "axis": "quality", "points": ["jpeg:90", "jpeg:75", {"spec": "jpeg:50", "value": 5}]}]}
            """
        let suite = try Suite(json: Array(text.utf8), name: "file")
        #expect(suite.name == "mine")
        // `none` applies to both media; `noise:5` only where it was asked for.
        #expect(suite.entries.map(\.id) == ["image none", "audio none", "image jpeg:75", "audio excerpt:15",
                                            "image noise:5", "image rotate:15", "image jpeg:90", "image jpeg:50"])
        let clip = try #require(suite.entries.first { $0.id == "audio excerpt:15" })
        #expect(clip.trials == 3 && clip.label == "clip" && clip.inTable)
        #expect(suite.entries.first { $0.id == "image rotate:15" }?.stretch == true)
        let sweep = try #require(suite.sweeps.first)
        #expect(sweep.media == .image && sweep.axis == "quality")
        #expect(sweep.points == [.init(spec: "jpeg:90", value: 90), .init(spec: "jpeg:75", value: 75), .init(spec: "jpeg:50", value: 5)])
    }

    @Test(arguments: [
        (#"{"attacks": ["jpeg:101"]}"#, "jpeg:101"),
        (#"{"attacks": ["jpeg:75,mp3:128"]}"#, "mixes image and audio"),
        (#"{"attacks": [{"spec": "jpeg:75", "media": "audio"}]}"#, "does not apply to audio"),
        (#"{"attacks": ["jpeg:75", "jpg:75"]}"#, "listed twice"),
        (#"{"attacks": ["none"], "sweeps": [{"name": "x", "points": ["flip"]}]}"#, "needs a \"value\""),
        (#"{"attacks": ["none"], "sweeps": [{"name": "x", "points": ["none"]}]}"#, "say which media"),
        (#"{"attacks": [], "sweeps": []}"#, "no attacks"),
        (#"{"attacks": [{"label": "x"}]}"#, "missing \"spec\""),
        ("[1, 2", "not valid JSON"),
    ])
    func badSuitesSayWhy(text: String, reason: String) {
        #expect {
            try Suite(json: Array(text.utf8), name: "bad")
        } throws: { error in
            guard case let HarnessError.invalidSuite(message) = error else { return false }
            return message.contains(reason)
        }
    }

    @Test func seedsDependOnNamesOnly() {
        #expect(HarnessSeed.derive(7, "cat.png", "image jpeg:75", "0") == HarnessSeed.derive(7, "cat.png", "image jpeg:75", "0"))
        #expect(HarnessSeed.derive(7, "cat.png", "image jpeg:75", "0") != HarnessSeed.derive(8, "cat.png", "image jpeg:75", "0"))
        #expect(HarnessSeed.derive(7, "cat.png", "image jpeg:75", "0") != HarnessSeed.derive(7, "cat.png", "image jpeg:75", "1"))
        #expect(HarnessSeed.derive(0, "ab", "c") != HarnessSeed.derive(0, "a", "bc"))
    }
}
