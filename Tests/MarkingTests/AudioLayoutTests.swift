import Foundation
import Media
import Spectral
import Testing
import TestSupport
@testable import Marking

/// The audio mark's fixed geometry, its keyed codebook and its band plan.
@Suite("Audio mark: layout, keys, band plan")
struct AudioLayoutTests {
    static let key = try! MarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) })

    @Test func blockHoldsPilotAndCodedBits() {
        #expect(AudioLayout.codedBits == 256)
        #expect(AudioLayout.chipCount == AudioLayout.blockCells * AudioLayout.bandCount)
        #expect(AudioLayout.payloadChipCount == AudioLayout.codedBits * AudioLayout.chipsPerCodedBit)
        #expect(AudioLayout.pilotChipCount + AudioLayout.payloadChipCount == AudioLayout.chipCount)
        #expect(AudioLayout.pilotChipCount >= AudioLayout.chipCount / 5, "the pilot must stay large enough to synchronise")
        #expect(AudioLayout.bandCount % 8 == 0, "the whitening sums a cell's bands eight at a time")
        // A block lasts 2.048 s: any 10-s excerpt holds four whole blocks.
        #expect(AudioLayout.blockLength == 32_768)
        #expect(Double(AudioLayout.blockLength) / Double(AudioLayout.sampleRate) * 4 < 10)
    }

    @Test func bandsAreContiguousAndCoverTheRange() {
        let edges = AudioLayout.bandEdges
        #expect(edges.count == AudioLayout.bandCount + 1)
        #expect(abs(edges.first! - 150) < 1e-9 && abs(edges.last! - 7000) < 1e-9)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
        let bins = AudioLayout.bandBins
        #expect(bins.allSatisfy { !$0.isEmpty })
        #expect(zip(bins, bins.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // Mel spacing: low bands narrow, high bands wide.
        #expect(bins.first!.count < bins.last!.count)
        // Every band stays inside the detector's spectrum up to speed 1.14 (7 kHz × 1.14 = 8 kHz);
        // faster, the top bands run into the FFT's 257 bins and only the lower ones are read.
        let spectrum = ClipSpectrum([Float](repeating: 0.1, count: 4096))
        #expect(spectrum.binLimit == 257)
        #expect(Double(bins.last!.upperBound) * 1.14 < Double(spectrum.binLimit))
        #expect(ClipSpectrum([Float](repeating: 0.1, count: 4096), fastestSpeed: 1.03).binLimit == 234)
        #expect(AudioSync.coarseSpeeds(.standard).count == 226 && AudioSync.coarseSpeeds(.wide).count == 416)
    }

    @Test func codebookIsDeterministicPerKey() throws {
        let a = AudioMarkCodebook(key: Self.key), b = AudioMarkCodebook(key: Self.key)
        #expect(a.chips.pilotChips == b.chips.pilotChips && a.chips.payloadChips == b.chips.payloadChips)
        #expect(a.chips.pilotWeights == b.chips.pilotWeights && a.chips.payloadWeights == b.chips.payloadWeights)
        let other = AudioMarkCodebook(key: try MarkKey(bytes: [UInt8](repeating: 9, count: 32)))
        #expect(other.chips.pilotChips != a.chips.pilotChips)
        #expect(other.chips.payloadWeights != a.chips.payloadWeights)
        // Every chip is used exactly once.
        #expect(Set(a.chips.pilotChips + a.chips.payloadChips).count == AudioLayout.chipCount)
    }

    @Test func amplitudesCarryTheCodedBits() {
        let codebook = AudioMarkCodebook(key: Self.key)
        let payload = Payload(0x0123_4567_89AB_CDEF)
        let amplitudes = codebook.chipAmplitudes(for: payload)
        let coded = PolarCode.encode(PayloadFrame.bits(of: payload))
        for (index, chip) in codebook.chips.payloadChips.enumerated() {
            let sign: Float = coded[index / AudioLayout.chipsPerCodedBit] == 1 ? 1 : -1
            #expect(amplitudes[chip] == sign * codebook.chips.clip(codebook.chips.payloadWeights[index]))
        }
        for (chip, weight) in zip(codebook.chips.pilotChips, codebook.chips.pilotWeights) {
            #expect(amplitudes[chip] == codebook.chips.clip(weight))
        }
        #expect(amplitudes.allSatisfy { abs($0) <= AudioLayout.amplitudeClip })
    }

    /// Bass-heavy input (energy only below ~600 Hz) gets its mark in the low bands.
    @Test func bandPlanFollowsTheSignal() {
        var random = SplitMix(seed: 3)
        let n = 4 * AudioLayout.sampleRate
        // Sum of low partials with a little broadband noise 70 dB down.
        let host: [Float] = (0..<n).map { i in
            let t = Double(i) / Double(AudioLayout.sampleRate)
            let tones = 0.3 * sin(2 * .pi * 110 * t) + 0.2 * sin(2 * .pi * 220 * t) + 0.1 * sin(2 * .pi * 440 * t)
            return Float(tones + 1e-4 * random.gaussian())
        }
        let amplitudes = AudioMarkCodebook(key: Self.key).chipAmplitudes(for: Payload(1))
        let (mark, plan) = AudioMarkSynthesis.unitMark(host: host, amplitudes: amplitudes)
        let lowBands = AudioLayout.bandEdges.indices.dropLast().filter { AudioLayout.bandEdges[$0 + 1] <= 600 }
        #expect(lowBands.allSatisfy { plan.weights[$0] == 1 }, "\(plan.weights)")
        #expect(plan.weights.last! == 0, "\(plan.weights)")
        // Nearly all of the mark's energy lies below 700 Hz.
        let spectrum = Self.powerSpectrum(mark)
        let cut = Int(700 / AudioLayout.binWidth)
        let low = spectrum[..<cut].reduce(0, +), total = spectrum.reduce(0, +)
        #expect(low / total > 0.95, "share of the mark below 700 Hz: \(low / total)")
    }

    /// Total power spectrum over 512-sample frames.
    static func powerSpectrum(_ x: [Float]) -> [Double] {
        let fft = RealFFT.shared(shape: [512])
        var total = [Double](repeating: 0, count: fft.spectrumCount)
        for start in stride(from: 0, through: x.count - 512, by: 512) {
            for (k, bin) in fft.forward(Array(x[start..<start + 512])).enumerated() {
                total[k] += Double(bin.squaredMagnitude)
            }
        }
        return total
    }

    @Test func limiterNeverClipsAndLeavesTheRestAlone() {
        let rate = 44_100
        var channels: [[Float]] = [
            (0..<rate).map { Float(0.5 * sin(Double($0) * 0.01)) },
            (0..<rate).map { Float(0.5 * sin(Double($0) * 0.013)) },
        ]
        channels[0][20_000] = 1.3  // a peak the mark pushed over full scale
        channels[1][30_000] = -1.05
        let before = channels
        let touched = AudioLimiter.limit(&channels, sampleRate: rate)
        #expect(touched > 0)
        #expect(channels.allSatisfy { $0.allSatisfy { abs($0) <= AudioLimiter.ceiling } })
        // Gain moves smoothly: no sample changes by more than the peak needed, and far from the
        // peaks nothing changes.
        #expect(channels[0][10_000] == before[0][10_000] && channels[1][40_000] == before[1][40_000])
        let gainAtPeak = channels[1][20_000] / before[1][20_000]
        #expect(abs(gainAtPeak - AudioLimiter.ceiling / 1.3) < 1e-4)
    }

    /// A loud master with thousands of samples over full scale: the limiter equals its definition
    /// (running minimum of the needed gain over ±1 ms, then running mean over ±1 ms), computed
    /// directly, sample by sample.
    @Test func limiterMatchesItsDefinitionOnDensePeaks() {
        let rate = 8_000, count = 6_000, h = rate / 1000
        var random = SplitMix64(seed: 3)
        var channels: [[Float]] = (0..<2).map { _ in
            (0..<count).map { i in Float((i > 1_000 && i < 5_000 ? 1.1 : 0.6) * (2 * random.uniform() - 1)) }
        }
        let before = channels
        var needed = [Float](repeating: 1, count: count)
        for channel in before {
            for i in 0..<count where abs(channel[i]) > AudioLimiter.ceiling {
                needed[i] = min(needed[i], AudioLimiter.ceiling / abs(channel[i]))
            }
        }
        let minimum = (0..<count).map { i in needed[max(0, i - h)...min(count - 1, i + h)].min()! }
        let expectedGain: [Double] = (0..<count).map { i in
            let window = minimum[max(0, i - h)...min(count - 1, i + h)]
            return 1 - window.reduce(0.0) { $0 + Double(1 - $1) } / Double(window.count)
        }
        let touched = AudioLimiter.limit(&channels, sampleRate: rate)
        #expect(touched == expectedGain.filter { $0 < 1 }.count)
        var worst = 0.0
        for c in 0..<2 {
            for i in 0..<count {
                let expected = min(Double(AudioLimiter.ceiling), max(-Double(AudioLimiter.ceiling), Double(before[c][i]) * expectedGain[i]))
                worst = max(worst, abs(Double(channels[c][i]) - expected))
            }
        }
        #expect(worst < 1e-6, "largest difference \(worst)")
        #expect(channels[0][..<900] == before[0][..<900], "far from every peak nothing changes")
    }

    @Test(arguments: [1, 2, 5, 44])
    func runningMinimumMatchesDirect(halfWidth: Int) {
        var random = SplitMix64(seed: UInt64(halfWidth))
        let values = (0..<301).map { _ in Float(random.uniform()) }
        let direct = (0..<values.count).map { j in values[max(0, j - halfWidth)...min(values.count - 1, j + halfWidth)].min()! }
        #expect(AudioLimiter.runningMinimum(values, halfWidth: halfWidth) == direct)
    }
}
