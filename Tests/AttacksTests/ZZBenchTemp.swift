import Attacks
import Codecs
import Foundation
import Media
import Testing
import TestSupport

// TEMPORARY: timings for the report; removed before hand-over.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ATTACKS_BENCH"] != nil))
func zzAttackBench() throws {
    let decodeStart = Date()
    let image = try ImageCodec.decode(Corpus.bytes(of: Corpus.image("lomiri_kleiber_bird_6028.jpg")))
    print("BENCH decode \(image.width)x\(image.height): \(Date().timeIntervalSince(decodeStart))")
    let only = ProcessInfo.processInfo.environment["ATTACKS_BENCH_ONLY"].map { $0.split(separator: " ").map(String.init) }
    for spec in only ?? ["resize:0.5", "resize:0.75", "resize:0.3333", "resize-short:1080", "resize:1.25", "aspect:1.1", "rotate:5", "rotate:5:crop", "blur:2", "median:3", "noise:4", "crop:0.5", "jpeg:75", "flip", "contrast:1.2"] {
        let chain = try AttackChain(parsing: spec)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = Date()
            let out = try chain.apply(to: image, seed: 1)
            best = min(best, Date().timeIntervalSince(start))
            _ = out.width
        }
        print("BENCH \(spec): \(String(format: "%.3f", best)) s")
    }
    let audio = try AudioCodec.decode(Corpus.bytes(of: Corpus.audio("orchestral_wesnoth_heroes_rite.ogg")))
    for spec in only == nil ? ["mp3:128", "ogg:0", "opus:32", "resample:16000", "lowpass:4000", "highpass:200", "noise:20", "speed:1.02"] : [] {
        let start = Date()
        _ = try AttackChain(parsing: spec).apply(to: audio, seed: 1)
        print("BENCH audio 60s \(spec): \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
    }
}
