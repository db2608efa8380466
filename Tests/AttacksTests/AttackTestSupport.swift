import Codecs
import Foundation
import Media
import Spectral
import Testing
import TestSupport

/// Real media for the attack tests, cut small so that debug builds stay fast, and the measures the
/// tests compare with.
enum AttackFixtures {
    /// A decoded corpus image, optionally only its centred `side × side` square.
    static func image(_ name: String, centerSquare side: Int? = nil) throws -> PlanarImage {
        let image = try ImageCodec.decode(Corpus.bytes(of: Corpus.image(name)))
        guard let side else { return image }
        let x = (image.width - side) / 2, y = (image.height - side) / 2
        let planes = image.planes.map { plane -> [Float] in
            var square: [Float] = []
            square.reserveCapacity(side * side)
            for row in 0..<side {
                let first = (y + row) * image.width + x
                square.append(contentsOf: plane[first..<first + side])
            }
            return square
        }
        return PlanarImage(width: side, height: side, colorModel: image.colorModel, planes: planes,
                           metadata: image.metadata)
    }

    /// `seconds` of a decoded corpus audio file from `start` seconds on.
    static func audio(_ name: String, from start: Double = 0, seconds: Double? = nil) throws -> AudioBuffer {
        let audio = try AudioCodec.decode(Corpus.bytes(of: Corpus.audio(name)))
        let first = Int(start * Double(audio.sampleRate))
        let end = seconds.map { min(audio.frameCount, first + Int($0 * Double(audio.sampleRate))) } ?? audio.frameCount
        return AudioBuffer(sampleRate: audio.sampleRate, channels: audio.channels.map { Array($0[first..<end]) },
                           metadata: audio.metadata)
    }

    /// A `width × height` image of seeded uniform samples in `range`.
    static func randomImage(width: Int, height: Int, model: ColorModel = .rgb, seed: UInt64,
                            range: ClosedRange<Float> = 0...1) -> PlanarImage {
        var state = seed
        func next() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return range.lowerBound + Float(z >> 40) / Float(1 << 24) * (range.upperBound - range.lowerBound)
        }
        let planes = (0..<model.channelCount).map { _ in (0..<width * height).map { _ in next() } }
        return PlanarImage(width: width, height: height, colorModel: model, planes: planes)
    }

    /// An image with every sample `value`.
    static func constantImage(width: Int, height: Int, value: Float, model: ColorModel = .rgb) -> PlanarImage {
        PlanarImage(width: width, height: height, colorModel: model,
                    planes: Array(repeating: Array(repeating: value, count: width * height), count: model.channelCount))
    }
}

/// Measures on decoded media.
enum AttackMeasure {
    /// PSNR over all planes (peak 1).
    static func psnr(_ a: PlanarImage, _ b: PlanarImage) -> Double {
        Measure.psnr(a.planes.flatMap { $0 }, b.planes.flatMap { $0 })
    }

    /// Mean of a plane.
    static func mean(_ values: [Float]) -> Double {
        values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    /// Standard deviation of a plane.
    static func standardDeviation(_ values: [Float]) -> Double {
        let m = mean(values)
        return (values.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(values.count)).squareRoot()
    }

    /// Signal-to-noise ratio of `test` against `reference`, in dB.
    static func snr(_ reference: [Float], _ test: [Float]) -> Double {
        precondition(reference.count == test.count)
        var signal = 0.0, noise = 0.0
        for i in reference.indices {
            signal += Double(reference[i]) * Double(reference[i])
            let d = Double(test[i]) - Double(reference[i])
            noise += d * d
        }
        return 10 * log10(signal / noise)
    }

    /// SNR over all channels.
    static func snr(_ reference: AudioBuffer, _ test: AudioBuffer) -> Double {
        snr(reference.channels.flatMap { $0 }, test.channels.flatMap { $0 })
    }

    /// Energy of `samples` (Hann-windowed, so the ends leak nothing) between `low` and `high` Hz,
    /// summed over the FFT bins.
    static func bandEnergy(_ samples: [Float], sampleRate: Int, from low: Double, to high: Double) -> Double {
        var size = 1
        while size < samples.count { size *= 2 }
        let window = Window.hann(count: samples.count)
        var padded = [Float](repeating: 0, count: size)
        for i in samples.indices { padded[i] = samples[i] * window[i] }
        let spectrum = RealFFT.shared(shape: [size]).forward(padded)
        let binWidth = Double(sampleRate) / Double(size)
        var energy = 0.0
        for (k, bin) in spectrum.enumerated() {
            let f = Double(k) * binWidth
            if f >= low && f <= high { energy += Double(bin.squaredMagnitude) }
        }
        return energy
    }

    /// `10 log10(after / before)`.
    static func decibels(_ after: Double, _ before: Double) -> Double {
        10 * log10(after / before)
    }

    /// Where `part` occurs in `whole` as an exact sub-rectangle (all planes), or `nil`.
    static func locate(_ part: PlanarImage, in whole: PlanarImage) -> (x: Int, y: Int)? {
        for y in 0...(whole.height - part.height) {
            for x in 0...(whole.width - part.width) where matches(part, whole, x: x, y: y) {
                return (x, y)
            }
        }
        return nil
    }

    private static func matches(_ part: PlanarImage, _ whole: PlanarImage, x: Int, y: Int) -> Bool {
        for p in part.planes.indices {
            for row in 0..<part.height {
                for column in 0..<part.width
                where part.planes[p][row * part.width + column] != whole.planes[p][(y + row) * whole.width + x + column] {
                    return false
                }
            }
        }
        return true
    }
}
