// Figures for the image mark that the targets are checked against (release build):
//
//   ImageBench speed FILE.jpg           detect vs decode, embed vs decode+encode, one core
//   ImageBench fpr [--trials N] DIR     false alarms on unmarked images and crops × random keys
//
// Prints figures; asserts nothing (targets are judged by people reading them, never by timed tests).
import Dispatch
import Synchronization
import Foundation
import Codecs
import Marking
import Media

AllocatorTuning.keepFreedMemory()  // the CLI's allocator policy, so decode is timed as the tool runs it
let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    print("usage: ImageBench speed FILE.jpg | ImageBench fpr [--trials N] [--keys-per-image K] DIR")
    exit(2)
}

/// Median CPU time of this thread over `runs` calls, in milliseconds. CPU time, not wall time:
/// "one core" is what the targets speak of, and it is far less disturbed by other processes on a
/// shared machine than the wall clock.
func medianMilliseconds(runs: Int = 15, _ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }
    var times = [Double]()
    for _ in 0..<runs {
        let start = now()
        try body()
        times.append(now() - start)
    }
    return times.sorted()[runs / 2]
}

func speed(_ path: String) throws {
    let bytes = try MediaFile.readBytes(atPath: path)
    let info = try ImageCodec.probe(bytes)
    let megapixels = Double(info.width * info.height) / 1e6
    let key = MarkKey.generate()
    let marker = ImageMarker(key: key)
    let detector = ImageDetector(codebook: marker.codebook)
    let payload = Payload(0xC0FF_EE00_1234_5678)
    let image = try ImageCodec.decode(bytes)
    let marked = try ImageCodec.encode(try marker.embed(image, payload: payload).image, as: .jpeg)

    let decode = try medianMilliseconds { _ = try ImageCodec.decode(marked) }
    let detect = try medianMilliseconds {
        let luma = try ImageCodec.decodeLuminance(marked, minimumShortSide: ImageDetector.workingShortSide)
        precondition(detector.detect(luma).payload == payload, "benchmark image must be detected")
    }
    let lumaOnly = try medianMilliseconds { _ = try ImageCodec.decodeLuminance(marked, minimumShortSide: ImageDetector.workingShortSide) }
    let luma = try ImageCodec.decodeLuminance(marked, minimumShortSide: ImageDetector.workingShortSide)
    let analysisOnly = medianMilliseconds { _ = ImageAnalysis(luma) }
    let analysis = ImageAnalysis(luma)
    let keyed = medianMilliseconds { _ = detector.detect(analysis) }
    let decodeEncode = try medianMilliseconds { _ = try ImageCodec.encode(try ImageCodec.decode(bytes), as: .jpeg) }
    let embed = try medianMilliseconds {
        _ = try ImageCodec.encode(try marker.embed(try ImageCodec.decode(bytes), payload: payload).image, as: .jpeg)
    }
    print(String(format: "%@: %d×%d (%.2f MP), one core, median thread CPU time of 15 runs", (path as NSString).lastPathComponent, info.width, info.height, megapixels))
    print(String(format: "  decode (full, RGB)        %7.1f ms", decode))
    print(String(format: "  detect (decode luma + mark) %5.1f ms   ratio %.2f× decode (target ≤ 2)   %.0f MP/s", detect, detect / decode, megapixels / detect * 1000))
    print(String(format: "    of which: luma decode at 1/%d %.1f ms, analysis %.1f ms, keyed search %.1f ms", luma.metadata.decodeScaleDenominator, lumaOnly, analysisOnly, keyed))
    print(String(format: "  decode + encode q92        %7.1f ms", decodeEncode))
    print(String(format: "  decode + embed + encode    %7.1f ms   ratio %.2f× (target ≤ 3)   %.0f MP/s", embed, embed / decodeEncode, megapixels / embed * 1000))
}

/// Unmarked images and random crops of them, each analysed once and then tested against many
/// random keys: the rate of "detected" at a threshold τ must stay within 2× of τ (the model),
/// and be zero at the default 1e-9.
func falsePositives(directory: String, trials: Int, keysPerImage: Int) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    var images = [(String, PlanarImage)]()
    for name in names {
        guard let bytes = try? MediaFile.readBytes(atPath: "\(directory)/\(name)"),
              FormatSniffer.format(of: bytes)?.kind == .image,
              let luma = try? ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide) else { continue }
        images.append((name, luma))
    }
    let variantsPerImage = max(1, trials / keysPerImage / max(1, images.count))
    // Deterministic crops: full image, then crops of 25–90 % of the area at seeded offsets.
    var variants = [PlanarImage]()
    var state: UInt64 = 12345
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1p-53
    }
    for (_, image) in images {
        variants.append(image)
        for _ in 1..<variantsPerImage {
            let area = 0.25 + 0.65 * next()
            let w = max(64, Int(Double(image.width) * area.squareRoot())), h = max(64, Int(Double(image.height) * area.squareRoot()))
            guard w <= image.width, h <= image.height else { continue }
            let x0 = Int(next() * Double(image.width - w)), y0 = Int(next() * Double(image.height - h))
            var plane = [Float](); plane.reserveCapacity(w * h)
            for y in 0..<h { plane.append(contentsOf: image.planes[0][((y0 + y) * image.width + x0)..<((y0 + y) * image.width + x0 + w)]) }
            variants.append(PlanarImage(width: w, height: h, colorModel: .gray, planes: [plane]))
        }
    }
    print("fpr: \(images.count) images → \(variants.count) unmarked variants × \(keysPerImage) random keys = \(variants.count * keysPerImage) trials")
    let start = Date()
    let results = Mutex([Double]())
    let inputs = variants
    DispatchQueue.concurrentPerform(iterations: inputs.count) { v in
        let analysis = ImageAnalysis(inputs[v])
        let probabilities = (0..<keysPerImage).map { _ in
            ImageDetector(key: MarkKey.generate()).detect(analysis).falsePositiveProbability
        }
        results.withLock { $0.append(contentsOf: probabilities) }
    }
    let values = results.withLock { $0 }
    print(String(format: "  %.0f s", Date().timeIntervalSince(start)))
    for threshold in [1e-2, 1e-3, 1e-4, 1e-9] {
        let hits = values.filter { $0 <= threshold }.count
        let expected = threshold * Double(values.count)
        print(String(format: "  threshold %.0e: %6d detections, model ≤ %.1f (ratio %.2f)", threshold, hits, expected, Double(hits) / max(expected, 1e-9)))
    }
    print(String(format: "  smallest stated probability: %.2e", values.min() ?? 1))
}

/// For profilers: `ImageBench loop detect|embed FILE N` repeats one stage.
func loop(_ stage: String, _ path: String, _ count: Int) throws {
    let bytes = try MediaFile.readBytes(atPath: path)
    let marker = ImageMarker(key: MarkKey.generate())
    let detector = ImageDetector(codebook: marker.codebook)
    let image = try ImageCodec.decode(bytes)
    let luma = try ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide)
    for _ in 0..<count {
        if stage == "analysis" {
            _ = ImageAnalysis(luma)
        } else if stage == "detect" {
            _ = detector.detect(try ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide))
        } else {
            _ = try marker.embed(image, payload: Payload(1))
        }
    }
}

switch command {
case "loop":
    try loop(arguments[1], arguments[2], Int(arguments[3])!)
case "speed":
    for path in arguments.dropFirst() { try speed(path) }
case "fpr":
    var rest = Array(arguments.dropFirst())
    var trials = 100_000, keysPerImage = 400
    if let i = rest.firstIndex(of: "--trials") { trials = Int(rest[i + 1])!; rest.removeSubrange(i...i + 1) }
    if let i = rest.firstIndex(of: "--keys-per-image") { keysPerImage = Int(rest[i + 1])!; rest.removeSubrange(i...i + 1) }
    let directory = rest.first ?? "../shared/corpus/images"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        FileHandle.standardError.write("ImageBench fpr: \(directory): not a folder (give the folder of unmarked images)\n".data(using: .utf8)!)
        exit(2)
    }
    try falsePositives(directory: directory, trials: trials, keysPerImage: keysPerImage)
default:
    print("unknown command \(command)")
    exit(2)
}
