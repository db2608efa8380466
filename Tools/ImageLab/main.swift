// A measurement bench for the image mark: embeds a random payload in each image given, then
// detects after a few simple transformations, printing one line per (image, transformation).
// Usage: ImageLab [--strength S] FILE...
import Foundation
import Attacks
import Codecs
import Marking
import Media

var arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--full" && !$0.hasPrefix("--specs=") && !$0.hasPrefix("--key=") }
var strength = 1.0
if let i = arguments.firstIndex(of: "--strength") { strength = Double(arguments[i + 1])!; arguments.removeSubrange(i...i + 1) }
let keyFile = CommandLine.arguments.first { $0.hasPrefix("--key=") }.map { String($0.dropFirst(6)) }
let key = try! keyFile.map { try MarkKey(fileText: String(decoding: try MediaFile.readBytes(atPath: $0), as: UTF8.self)) }
    ?? MarkKey(bytes: (0..<32).map { UInt8($0) })
let marker = ImageMarker(key: key)
let detector = ImageDetector(codebook: marker.codebook)

func jpeg(_ image: PlanarImage, _ q: Int) -> PlanarImage {
    try! ImageCodec.decode(try! ImageCodec.encode(image, as: .jpeg, options: ImageEncodeOptions(quality: q)))
}
func downscale(_ image: PlanarImage, _ f: Double) -> PlanarImage {
    // Box-filter area average per plane (stand-in until the Attacks module lands).
    let w = Int((Double(image.width) * f).rounded()), h = Int((Double(image.height) * f).rounded())
    var planes = [[Float]]()
    for p in image.planes {
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w {
            let x0 = Int(Double(x) / f), x1 = max(x0 + 1, Int(Double(x + 1) / f)), y0 = Int(Double(y) / f), y1 = max(y0 + 1, Int(Double(y + 1) / f))
            var s: Float = 0; var n: Float = 0
            for yy in y0..<min(y1, image.height) { for xx in x0..<min(x1, image.width) { s += p[yy * image.width + xx]; n += 1 } }
            out[y * w + x] = s / n
        } }
        planes.append(out)
    }
    return PlanarImage(width: w, height: h, colorModel: image.colorModel, planes: planes)
}
func crop(_ image: PlanarImage, x: Int, y: Int, w: Int, h: Int) -> PlanarImage {
    let planes: [[Float]] = image.planes.map { p in
        var out = [Float]()
        out.reserveCapacity(w * h)
        for yy in 0..<h {
            let start = (y + yy) * image.width + x
            out.append(contentsOf: p[start..<(start + w)])
        }
        return out
    }
    return PlanarImage(width: w, height: h, colorModel: image.colorModel, planes: planes)
}
func chain256(_ image: PlanarImage) -> PlanarImage {
    let f = 256.0 / Double(min(image.width, image.height))
    let small = f < 1 ? downscale(image, f) : image
    let cx = (small.width - 256) / 2, cy = (small.height - 256) / 2
    return jpeg(crop(small, x: max(0, cx), y: max(0, cy), w: min(256, small.width), h: min(256, small.height)), 75)
}

let customSpecs = CommandLine.arguments.first { $0.hasPrefix("--specs=") }.map { $0.dropFirst(8).split(separator: ";").map(String.init) }
let specs = customSpecs ?? (CommandLine.arguments.contains("--full") ? [
    "none", "jpeg:90", "jpeg:75", "jpeg:50", "jpeg:40", "resize:0.5", "resize:0.25",
    "resize-short:256,center-crop:256x256,jpeg:75", "crop:0.5", "crop:0.25", "rotate:2", "rotate:5", "noise:5",
    "blur:1", "median:3", "brightness:1.2", "contrast:0.8", "gamma:0.8", "resize:0.75,crop:0.8,jpeg:75",
    "rotate:15", "flip", "aspect:1.2",
] : ["none", "jpeg:75", "jpeg:40", "resize:0.5", "resize:0.25", "resize-short:256,center-crop:256x256,jpeg:75", "crop:0.25"])
let attacks: [(String, (PlanarImage) -> PlanarImage)] = specs.map { spec in
    (spec, { image in try! AttackChain(parsing: spec).apply(to: image, seed: 11) })
}
var totals = [String: (Int, Int)]()
var logFPR = [String: [Double]]()
for path in arguments {
    let original = try! ImageCodec.decode(try! MediaFile.readBytes(atPath: path))
    var seed = UInt64(truncatingIfNeeded: path.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
    seed ^= seed >> 29; seed &*= 0xBF58_476D_1CE4_E5B9; seed ^= seed >> 32
    let payload = Payload(seed)
    let t0 = Date()
    let embedding = try! marker.embed(original, payload: payload, options: ImageEmbedOptions(strength: strength))
    let embedTime = Date().timeIntervalSince(t0)
    let name = (path as NSString).lastPathComponent
    print(String(format: "%@ %dx%d psnr %.2f ssim %.4f chip %.1f embed %.0f ms", name, original.width, original.height, embedding.psnr, embedding.ssim, embedding.chipSize, embedTime * 1000))
    for (label, attack) in attacks {
        let attacked = attack(embedding.image)
        let t1 = Date()
        let r = detector.detect(attacked)
        let dt = Date().timeIntervalSince(t1)
        let ok = r.payload == payload
        totals[label, default: (0, 0)].0 += ok ? 1 : 0
        totals[label, default: (0, 0)].1 += 1
        logFPR[label, default: []].append(max(-60, log10(max(r.falsePositiveProbability, 1e-300))))
        let sync = r.sync.map { String(format: "P %.1f rot %.1f asp %.3f mir %@", $0.tilePeriod, $0.rotationDegrees, $0.aspect, $0.mirrored ? "y" : "n") } ?? "-"
        print(String(format: "  %-12@ %@ det %@ fpr %.1e chi2 %.0f  %@  %.0f ms", label as NSString, ok ? "OK  " : "FAIL", r.detected ? "y" : "n", r.falsePositiveProbability, r.chiSquare, sync, dt * 1000))
    }
}
print("summary:", attacks.map { "\($0.0) \(totals[$0.0]!.0)/\(totals[$0.0]!.1)" }.joined(separator: "  "))
print("median log10 FPR:", attacks.map { a -> String in let v = logFPR[a.0]!.sorted(); return "\(a.0) \(String(format: "%.1f", v[v.count / 2]))" }.joined(separator: "  "))
