import Foundation
import Media
import Testing
import TestSupport
import Spectral

@Suite("Resampler over libsoxr")
struct ResamplerTests {
    static func sine(frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    /// Energy of `x` from `margin` to `count - margin`, away from the filter's start-up and tail.
    static func energy(_ x: [Float], margin: Int) -> Double {
        x[margin ..< x.count - margin].reduce(0) { $0 + Double($1) * Double($1) }
    }

    @Test("44.1 kHz → 16 kHz → 44.1 kHz keeps a 1 kHz sine", arguments: ResampleQuality.allCases.filter { $0 >= .medium })
    func roundTrip(quality: ResampleQuality) {
        let original = Self.sine(frequency: 1000, rate: 44_100, count: 44_100)
        let down = Resampler.resample(original, from: 44_100, to: 16_000, quality: quality)
        #expect(down.count == 16_000)
        let back = Resampler.resample(down, from: 16_000, to: 44_100, quality: quality)
        #expect(back.count == original.count)

        // Compare away from the edges, where the filters see the signal start from silence.
        let margin = 2_000
        let noise = (margin ..< original.count - margin)
            .reduce(0.0) { let d = Double(original[$1]) - Double(back[$1]); return $0 + d * d }
        let snr = 10 * log10(Self.energy(original, margin: margin) / noise)
        #expect(snr > 60, "\(quality): SNR \(snr) dB, expected > 60")
    }

    @Test("a 10 kHz sine is removed when resampling to 16 kHz (above Nyquist)")
    func aliasRemoved() {
        let input = Self.sine(frequency: 10_000, rate: 44_100, count: 44_100)
        let output = Resampler.resample(input, from: 44_100, to: 16_000)
        #expect(output.count == 16_000)
        // Per-sample energy, since the two signals have different lengths.
        let before = Self.energy(input, margin: 4_410) / Double(input.count - 8_820)
        let after = Self.energy(output, margin: 1_600) / Double(output.count - 3_200)
        let dropDB = 10 * log10(before / max(after, 1e-30))
        #expect(dropDB > 40, "energy dropped by \(dropDB) dB, expected > 40")
    }

    @Test("lengths are round(n · out / in)", arguments: [(44_100, 48_000), (48_000, 44_100), (8_000, 22_050), (44_100, 16_000)])
    func lengths(rates: (Int, Int)) {
        for n in [1, 2, 3, 100, 441, 12_345] {
            let out = Resampler.resample([Float](repeating: 0.25, count: n), from: rates.0, to: rates.1)
            let expected = Int((Double(n) * Double(rates.1) / Double(rates.0)).rounded())
            #expect(out.count == expected, "n \(n), \(rates.0) → \(rates.1): \(out.count) samples, expected \(expected)")
        }
        #expect(Resampler.resample([], from: rates.0, to: rates.1).isEmpty)
    }

    @Test("arbitrary ratio 1.02 gives round(n · 1.02) samples and keeps a tone's period")
    func arbitraryRatio() {
        let input = Self.sine(frequency: 441, rate: 44_100, count: 30_001)
        let output = Resampler.resample(input, ratio: 1.02)
        #expect(output.count == Int((30_001 * 1.02).rounded()))
        // Stretched by 1.02, the tone is now 441 / 1.02 Hz at the same nominal rate.
        let expected = Self.sine(frequency: 441 / 1.02, rate: 44_100, count: output.count)
        let error = Measure.relativeMaxError(Array(output[2_000 ..< 28_000]), Array(expected[2_000 ..< 28_000]))
        #expect(error < 1e-3, "relative error \(error)")
    }

    @Test("concurrent calls give the sequential results")
    func concurrency() async {
        let rates = [8_000, 16_000, 22_050, 32_000, 44_100, 48_000, 96_000, 11_025]
        let input = Self.sine(frequency: 300, rate: 44_100, count: 10_000)
        let concurrent = await withTaskGroup(of: (Int, [Float]).self) { group in
            for rate in rates {
                group.addTask { (rate, Resampler.resample(input, from: 44_100, to: rate)) }
            }
            return await group.reduce(into: [Int: [Float]]()) { $0[$1.0] = $1.1 }
        }
        for rate in rates {
            #expect(concurrent[rate] == Resampler.resample(input, from: 44_100, to: rate), "rate \(rate)")
        }
    }

    @Test("audio buffers: every channel, metadata kept")
    func audioBuffer() {
        let metadata = AudioMetadata(sourceFormat: .flac, sampleFormat: .pcm24)
        let left = Self.sine(frequency: 440, rate: 48_000, count: 4_800)
        let right = Self.sine(frequency: 660, rate: 48_000, count: 4_800)
        let audio = AudioBuffer(sampleRate: 48_000, channels: [left, right], metadata: metadata)
        let converted = Resampler.resample(audio, to: 44_100)
        #expect(converted.sampleRate == 44_100)
        #expect(converted.metadata == metadata)
        #expect(converted.channelCount == 2 && converted.frameCount == 4_410)
        #expect(converted.channels[1] == Resampler.resample(right, from: 48_000, to: 44_100))

        let slowed = Resampler.resample(audio, ratio: 1.02)
        #expect(slowed.sampleRate == 48_000 && slowed.frameCount == 4_896 && slowed.metadata == metadata)
    }
}

extension ResampleQuality: Comparable {
    public static func < (a: ResampleQuality, b: ResampleQuality) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
