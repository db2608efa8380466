// The averaging (collusion) attack on the image mark: N images brought to one size (short side,
// centre crop) and marked under one key with different payloads; for each, the others' marks are
// estimated, averaged, folded over the tile period and subtracted, and the payload is read.
//
//   blind:  each estimate is the marked image minus its Gaussian blur (σ 3) — what an attacker
//           without the originals has; the host's residuals average out over the images, a
//           pattern shared by them does not
//   oracle: each estimate is the exact change the mark made (marked − original): the best an
//           attacker could ever estimate
//
// Usage: CollusionLab [--size 512] [--gains 1,3] [--key=FILE] FILE...
// Prints, per mode and gain, how many payloads were still read and the PSNR of the attack's change.
import Attacks
import Codecs
import Foundation
import Marking
import Media

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...i + 1) }
    return arguments[i + 1]
}
let size = Int(option("--size", in: &arguments) ?? "512")!
let gains = (option("--gains", in: &arguments) ?? "1,3").split(separator: ",").map { Float($0)! }
let keyFile = arguments.first { $0.hasPrefix("--key=") }.map { String($0.dropFirst(6)) }
arguments.removeAll { $0.hasPrefix("--key=") }
let key = try! keyFile.map { try MarkKey(fileText: String(decoding: try MediaFile.readBytes(atPath: $0), as: UTF8.self)) }
    ?? MarkKey(bytes: (0..<32).map { UInt8($0) })
let marker = ImageMarker(key: key)
let detector = ImageDetector(codebook: marker.codebook)
let period = size / 4  // 32 chips of short side / 128 (sizes of 256 and more)
precondition(size >= 256 && size % 4 == 0, "--size: a multiple of 4, at least 256")

/// Mean over the colour planes, row-major: the mark is the same change in every colour plane.
func grey(_ image: PlanarImage) -> [Float] {
    let c = image.colorModel.colorChannelCount
    var out = [Float](repeating: 0, count: image.pixelCount)
    for p in 0..<c { for i in out.indices { out[i] += image.planes[p][i] / Float(c) } }
    return out
}

var originals = [PlanarImage](), marked = [PlanarImage](), payloads = [Payload]()
let prepare = try! AttackChain(parsing: "resize-short:\(size),center-crop:\(size)x\(size)")
for (index, path) in arguments.enumerated() {
    let image = try! prepare.apply(to: try! ImageCodec.decode(try! MediaFile.readBytes(atPath: path)), seed: 1)
    guard image.width == size, image.height == size else { print("skipped (smaller than \(size)): \(path)"); continue }
    let payload = Payload(0xC011_0DE0_0000_0000 | UInt64(index))
    guard let embedding = try? marker.embed(image, payload: payload) else { print("not marked: \(path)"); continue }
    originals.append(image); marked.append(embedding.image); payloads.append(payload)
}
let blur = try! AttackChain(parsing: "blur:3")
let estimates: [(mode: String, values: [[Float]])] = [
    ("blind", marked.map { m in zip(grey(m), grey(try! blur.apply(to: m, seed: 1))).map { $0 - $1 } }),
    ("oracle", zip(marked, originals).map { m, o in zip(grey(m), grey(o)).map { $0 - $1 } }),
]

/// `values` (size × size) averaged over its tiles of `period` and repeated again.
func folded(_ values: [Float]) -> [Float] {
    var tile = [Float](repeating: 0, count: period * period)
    for y in 0..<size { for x in 0..<size { tile[(y % period) * period + x % period] += values[y * size + x] } }
    let tiles = Float((size / period) * (size / period))
    return (0..<(size * size)).map { tile[(($0 / size) % period) * period + ($0 % size) % period] / tiles }
}

print("\(marked.count) images of \(size)², tile period \(period) px")
for (mode, values) in estimates {
    for gain in gains {
        var read = 0, psnr = 0.0
        for target in marked.indices {
            var average = [Float](repeating: 0, count: size * size)
            for j in marked.indices where j != target {
                for i in average.indices { average[i] += values[j][i] / Float(marked.count - 1) }
            }
            let estimate = folded(average)
            var attacked = marked[target]
            var squared = 0.0
            for p in 0..<attacked.colorModel.colorChannelCount {
                for i in estimate.indices {
                    let before = attacked.planes[p][i]
                    let after = ((before - gain * estimate[i]) * 255).rounded().clamped(to: 0...255) / 255
                    attacked.planes[p][i] = after
                    squared += Double((after - before) * (after - before))
                }
            }
            let mean = squared / Double(attacked.colorModel.colorChannelCount * size * size)
            psnr += 10 * log10(1 / max(mean, 1e-20))
            if detector.detect(attacked).payload == payloads[target] { read += 1 }
        }
        print(String(format: "%@ estimate, gain %.1f: payload read in %d of %d, attack PSNR %.1f dB", mode, gain,
                     read, marked.count, psnr / Double(marked.count)))
    }
}

extension Float {
    func clamped(to range: ClosedRange<Float>) -> Float { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
