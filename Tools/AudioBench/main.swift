// A measurement bench for the audio mark (issue 6). Prints figures; nothing is asserted.
//
//   AudioBench table [--strength S] [--seeds N] [--attacks "a;b;…"] FILE…   SNR + recovery table
//   AudioBench speed [--repeat N] FILE…                                  embed / detect (marked, unmarked) × real time
//   AudioBench fp [--trials N] [--clip SECONDS] [--keys-per-clip K] [--speeds wide] FILE…
//                                                                        false-positive calibration
//   AudioBench write IN OUT.wav [--strength S]                           a marked copy (listening,
//                                                                        spectrograms)
// Release build: swift build -c release --scratch-path .build-audiomark --product AudioBench
import Attacks
import Codecs
import Dispatch
import Foundation
import Marking
import Media
import Synchronization

AllocatorTuning.keepFreedMemory()  // the CLI's allocator policy, so embed and detect are timed as the tool runs them

/// Command-line words: options are taken out as they are read; what remains are the files.
struct Arguments {
    var words: [String]
    mutating func option(_ name: String, _ fallback: String) -> String {
        guard let i = words.firstIndex(of: name), i + 1 < words.count else { return fallback }
        let value = words[i + 1]
        words.removeSubrange(i...i + 1)
        return value
    }
}
var commandLine = Arguments(words: Array(CommandLine.arguments.dropFirst()))
guard let command = commandLine.words.first else {
    print("usage: AudioBench table|speed|fp|write …")
    exit(2)
}
commandLine.words.removeFirst()

let benchKey = try! MarkKey(bytes: (0..<32).map { UInt8($0 &* 7 &+ 3) })

func name(_ path: String) -> String { (path as NSString).lastPathComponent }
func load(_ path: String) -> AudioBuffer { try! AudioCodec.decode(try! MediaFile.readBytes(atPath: path)) }
func payload(for path: String) -> Payload {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in path.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Payload(h)
}
@Sendable func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

switch command {
case "table": table(commandLine)
case "speed": speed(commandLine)
case "fp": falsePositives(commandLine)
case "write": write(commandLine)
default:
    print("unknown command \(command)")
    exit(2)
}

// MARK: SNR and recovery per attack

func table(_ commandLine: Arguments) {
    var commandLine = commandLine
    let strength = Double(commandLine.option("--strength", "1"))!
    let seeds = Int(commandLine.option("--seeds", "3"))!
    let defaultAttacks = "none;mp3:128;mp3:64;ogg:0;opus:32;resample:16000;lowpass:4000;noise:20;volume:0.5;"
        + "excerpt:15;shift:RANDOM;excerpt:10;speed:0.98;speed:1.02;mono;mp3:64,excerpt:15;excerpt:15,speed:1.02"
    let attacks = commandLine.option("--attacks", defaultAttacks).split(separator: ";").map(String.init)
    let marker = AudioMarker(key: benchKey)
    let detector = AudioDetector(codebook: marker.codebook)
    var totals = [String: (ok: Int, runs: Int)]()
    var snrs = [Double]()
    for path in commandLine.words {
        let original = load(path)
        let expected = payload(for: path)
        let t0 = now()
        let embedding = try! marker.embed(original, payload: expected, options: AudioEmbedOptions(strength: strength))
        let embedTime = now() - t0
        snrs.append(embedding.snr)
        print(String(format: "%@  %d Hz × %d, %.1f s  SNR %.2f dB  ε %.4f  embed %.0f ms", name(path),
                     original.sampleRate, original.channelCount, original.duration, embedding.snr,
                     embedding.relativeChange, embedTime * 1000))
        for spec in attacks {
            let random = spec.contains("excerpt") || spec.contains("RANDOM") || spec.contains("noise")
            for seed in 0..<(random ? seeds : 1) {
                var text = spec
                if text.contains("RANDOM") {
                    let shift = Int(payload(for: "\(path)\(seed)").value % 40_000) + 1
                    text = text.replacingOccurrences(of: "RANDOM", with: String(shift))
                }
                let chain = try! AttackChain(parsing: text)
                let attacked = try! chain.apply(to: embedding.audio, seed: UInt64(seed) &+ 17)
                let t1 = now()
                let r = detector.detect(attacked)
                let dt = now() - t1
                let ok = r.payload == expected
                totals[spec, default: (0, 0)].ok += ok ? 1 : 0
                totals[spec, default: (0, 0)].runs += 1
                print(String(format: "  %-24@ %@ fpr %.1e chi2 %5.0f sync %5.1f speed %@ first %@ %4.0f ms",
                             text as NSString, ok ? "OK  " : (r.detected ? "WRONG" : "FAIL"), r.falsePositiveProbability,
                             r.chiSquare, r.syncScore, r.speed.map { String(format: "%.4f", $0) } ?? "-",
                             r.offsets.first.map { String(format: "%.3f", $0) } ?? "-", dt * 1000))
            }
        }
    }
    print("\nSNR mean \(String(format: "%.2f", snrs.reduce(0, +) / Double(max(1, snrs.count)))) dB, min \(String(format: "%.2f", snrs.min() ?? 0)) dB")
    print("recovery (exact payload):")
    for spec in attacks {
        let t = totals[spec] ?? (0, 0)
        print(String(format: "  %-24@ %3d / %3d", spec as NSString, t.ok, t.runs))
    }
}

// MARK: speed, one core

func speed(_ commandLine: Arguments) {
    var commandLine = commandLine
    let repeats = Int(commandLine.option("--repeat", "3"))!
    let marker = AudioMarker(key: benchKey)
    let detector = AudioDetector(codebook: marker.codebook)
    for path in commandLine.words {
        let bytes = try! MediaFile.readBytes(atPath: path)
        let audio = try! AudioCodec.decode(bytes)
        let wav = try! AudioCodec.encode(audio, options: AudioEncodeOptions(format: .wav, sampleFormat: .pcm16))
        let flac = try! AudioCodec.encode(audio, options: AudioEncodeOptions(format: .flac, sampleFormat: .pcm16))
        for (label, input, format) in [("wav", wav, ContainerFormat.wav), ("flac", flac, ContainerFormat.flac)] {
            var best = (decode: Double.infinity, embed: Double.infinity, encode: Double.infinity, detect: Double.infinity)
            var out = [UInt8]()
            var recovered = true
            for _ in 0..<repeats {
                var t = now()
                let decoded = try! AudioCodec.decode(input)
                let decodeTime = now() - t
                t = now()
                let marked = try! marker.embed(decoded, payload: Payload(42))
                let embedTime = now() - t
                t = now()
                out = try! AudioCodec.encode(marked.audio, options: AudioEncodeOptions(format: format, sampleFormat: .pcm16))
                let encodeTime = now() - t
                t = now()
                let again = try! AudioCodec.decode(out)
                let r = detector.detect(again)
                let detectTime = now() - t
                // Timed all the same: a miss (a short, quiet clip under this key) is reported, not fatal.
                recovered = recovered && r.payload == Payload(42)
                best.decode = min(best.decode, decodeTime)
                best.embed = min(best.embed, embedTime)
                best.encode = min(best.encode, encodeTime)
                best.detect = min(best.detect, detectTime)
            }
            // The unmarked input, as a corpus sweep mostly sees: decoded and read to the end (every
            // chunk, segment and view), best of the repeats.
            var unmarked = Double.infinity
            for _ in 0..<repeats {
                let t = now()
                let r = detector.detect(try! AudioCodec.decode(input))
                unmarked = min(unmarked, now() - t)
                precondition(!r.detected, "\(path): the unmarked input reads as marked")
            }
            let d = audio.duration
            let embedTotal = best.decode + best.embed + best.encode
            print(String(format: "%@ [%@ %d Hz × %d, %.1f s]  embed %.0f× (decode %.1f + mark %.1f + encode %.1f ms)  detect %.0f× (%.1f ms incl. decode), unmarked %.0f× (%.1f ms)%@",
                         name(path), label, audio.sampleRate, audio.channelCount, d, d / embedTotal,
                         best.decode * 1000, best.embed * 1000, best.encode * 1000, d / best.detect, best.detect * 1000,
                         d / unmarked, unmarked * 1000, recovered ? "" : "  (payload NOT recovered)"))
        }
    }
}

// MARK: false-positive calibration: unmarked excerpts × random keys

func falsePositives(_ commandLine: Arguments) {
    var commandLine = commandLine
    let trials = Int(commandLine.option("--trials", "100000"))!
    let clipSeconds = Double(commandLine.option("--clip", "15"))!
    let keysPerClip = Int(commandLine.option("--keys-per-clip", "100"))!
    let speeds: AudioSpeedSearch = commandLine.option("--speeds", "standard") == "wide" ? .wide : .standard
    let thresholds = [1e-2, 1e-3, 1e-9]
    let sources = commandLine.words.map(load)
    let clipCount = (trials + keysPerClip - 1) / keysPerClip
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    struct Tally: Sendable {
        var counts = [0, 0, 0]
        var logs = [Double]()
        var done = 0
        var wrongPayloads = 0
    }
    let tally = Mutex(Tally())
    let start = now()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var rng = SystemRandomNumberGenerator()
        for clipIndex in stride(from: worker, to: clipCount, by: workers) {
            let source = sources[clipIndex % sources.count]
            let chain = try! AttackChain(parsing: "excerpt:\(clipSeconds)")
            let clip = try! chain.apply(to: source, seed: UInt64(clipIndex) &* 7919)
            let analysis = AudioAnalysis(clip, speeds: speeds)
            var local = Tally()
            let keys = min(keysPerClip, trials - clipIndex * keysPerClip)
            for _ in 0..<keys {
                let key = try! MarkKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
                let r = AudioDetector(key: key).detect(analysis, options: AudioDetectOptions(threshold: 1e-2))
                for (i, t) in thresholds.enumerated() where r.falsePositiveProbability <= t { local.counts[i] += 1 }
                if r.payload != nil && r.falsePositiveProbability <= 1e-9 { local.wrongPayloads += 1 }
                local.logs.append(log10(max(r.falsePositiveProbability, 1e-300)))
            }
            tally.withLock { total in
                for i in total.counts.indices { total.counts[i] += local.counts[i] }
                total.logs.append(contentsOf: local.logs)
                total.wrongPayloads += local.wrongPayloads
                total.done += keys
                if total.done % 10_000 < keys {
                    print(String(format: "  %d trials, %.0f s", total.done, now() - start))
                    fflush(nil)
                }
            }
        }
    }
    let (counts, logs, done, wrongPayloads) = tally.withLock { ($0.counts, $0.logs, $0.done, $0.wrongPayloads) }
    let elapsed = now() - start
    print(String(format: "%d unmarked trials (%d excerpts of %.0f s from %d files × %d random keys each), %.0f s on %d threads",
                 done, clipCount, clipSeconds, sources.count, keysPerClip, elapsed, workers))
    for (i, t) in thresholds.enumerated() {
        let expected = Double(done) * t
        print(String(format: "  threshold %.0e: %d detections, model ≤ %.1f (ratio %.2f)", t, counts[i], expected,
                     expected > 0 ? Double(counts[i]) / expected : 0))
    }
    // Uniformity of the stated probability: P(FPR ≤ u) should be ≈ u (at most u).
    let sorted = logs.sorted()
    for u in [-1.0, -1.5, -2.0, -2.5, -3.0, -3.5, -4.0] {
        let below = sorted.prefix { $0 <= u }.count
        print(String(format: "  P(FPR ≤ 1e%.1f) measured %.2e", u, Double(below) / Double(max(1, sorted.count))))
    }
    print("  payloads reported at 1e-9: \(wrongPayloads)")
}

// MARK: a marked copy

func write(_ commandLine: Arguments) {
    var commandLine = commandLine
    let strength = Double(commandLine.option("--strength", "1"))!
    guard commandLine.words.count == 2 else { print("usage: AudioBench write IN OUT.wav"); exit(2) }
    let original = load(commandLine.words[0])
    let embedding = try! AudioMarker(key: benchKey).embed(original, payload: payload(for: commandLine.words[0]),
                                                            options: AudioEmbedOptions(strength: strength))
    let bytes = try! AudioCodec.encode(embedding.audio, options: AudioEncodeOptions(format: .wav, sampleFormat: .pcm16))
    try! MediaFile.writeAtomically(bytes, toPath: commandLine.words[1])
    print(String(format: "%@ → %@  SNR %.2f dB", name(commandLine.words[0]), commandLine.words[1], embedding.snr))
}

