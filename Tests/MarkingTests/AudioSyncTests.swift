import Attacks
import Foundation
import Media
import Spectral
import Testing
import TestSupport
@testable import Marking

/// Synchronisation on synthetic audio at the internal rate: a marked, slowly modulated noise is cut
/// at known offsets and must be found there, with its payload.
@Suite("Audio mark: synchronisation")
struct AudioSyncTests {
    static let key = try! MarkKey(bytes: (0..<32).map { UInt8(200 &- $0) })
    static let marker = AudioMarker(key: key)
    static let detector = AudioDetector(codebook: marker.codebook)
    static let payload = Payload(0xFEED_FACE_CAFE_BEEF)

    /// 14 s of noise with a syllable-rate envelope and a tilted spectrum, marked at strength 2, at
    /// 16 kHz. (Noise is the hardest host there is for this mark — its band powers are as random as
    /// they can be — so the test marks it harder than music needs.)
    static let embedding: AudioEmbedding = {
        let rate = AudioLayout.sampleRate
        var random = SplitMix(seed: 11)
        var previous = 0.0
        var host = [Float](repeating: 0, count: 14 * rate)
        for i in host.indices {
            let t = Double(i) / Double(rate)
            let envelope: Double = 0.6 + 0.4 * sin(2 * Double.pi * 3.1 * t) * sin(2 * Double.pi * 0.37 * t)
            previous = 0.7 * previous + random.gaussian()  // a gently falling spectrum
            host[i] = Float(0.05 * envelope * previous)
        }
        let audio = AudioBuffer(sampleRate: rate, channels: [host])
        return try! marker.embed(audio, payload: payload, options: AudioEmbedOptions(strength: 2))
    }()
    static let marked: [Float] = embedding.audio.channels[0]

    @Test(arguments: [0, 1, 777, 12_345, 40_000])
    func findsKnownOffsets(shift: Int) {
        let clip = Array(Self.marked[shift...])
        let result = Self.detector.detect(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [clip]))
        #expect(result.payload == Self.payload, "fpr \(result.falsePositiveProbability), χ² \(result.chiSquare)")
        // Blocks start where the marked file's did: at (first + k · 32768 − shift) / 16000 s.
        let period = Double(AudioLayout.blockLength)
        let first = Self.embedding.firstBlockStart * Double(AudioLayout.sampleRate)
        let expected = (first + period - Double(shift).truncatingRemainder(dividingBy: period))
            .truncatingRemainder(dividingBy: period) / Double(AudioLayout.sampleRate)
        let found = result.offsets.first ?? -1
        let seconds = period / Double(AudioLayout.sampleRate)
        let error = abs(found - expected).truncatingRemainder(dividingBy: seconds)
        #expect(min(error, seconds - error) < 0.02, "first block at \(found) s, expected \(expected) s")
        #expect(abs((result.speed ?? 0) - 1) < 0.002)
    }

    /// Every alignment is also read half a fine frame (64 samples) off the 128-sample grid: a cut
    /// 64 samples off the grid keeps the evidence of a cut on it (read on the grid only, it lost
    /// 15–28 % of its χ² excess).
    @Test func cutsHalfAHopOffTheGridKeepTheirEvidence() {
        func read(_ shift: Int) -> AudioDetection {
            let clip = Array(Self.marked[shift...])
            return Self.detector.detect(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [clip]))
        }
        let onGrid = read(4 * ClipSpectrum.hop), offGrid = read(4 * ClipSpectrum.hop + ClipSpectrum.hop / 2)
        #expect(onGrid.payload == Self.payload && offGrid.payload == Self.payload)
        let dof = Double(onGrid.degreesOfFreedom)
        #expect(offGrid.chiSquare - dof > 0.9 * (onGrid.chiSquare - dof),
                "χ² \(offGrid.chiSquare) half a hop off the grid, \(onGrid.chiSquare) on it")
    }

    /// The coarse search scores its folds through their 2-D transforms; the scores are those of
    /// the direct sum over pilot chips at every offset.
    @Test func spectralPilotScoresEqualDirectOnes() {
        var random = SplitMix(seed: 5)
        let values = (0..<AudioLayout.chipCount).map { _ in Float(random.gaussian()) }
        let energy = values.reduce(0) { $0 + $1 * $1 }
        let direct = CellFold(speed: 1, phase: 0, values: values, energy: energy, cells: 64)
        var viaSpectrum = direct
        viaSpectrum.spectrum = PilotSpectrum.transform(values)
        let a = AudioSync.scores(direct, codebook: Self.marker.codebook)
        let b = AudioSync.scores(viaSpectrum, codebook: Self.marker.codebook)
        #expect(a.count == AudioLayout.blockCells && b.count == a.count)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 * max(1, abs($0)) }, "\(a.prefix(4)) vs \(b.prefix(4))")
        #expect(a.map(abs).max()! > 0.5)
    }

    @Test func findsTheSpeed() {
        let fast = Resampler.resample(Self.marked, ratio: 1 / 1.02)
        let result = Self.detector.detect(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [fast]))
        #expect(result.payload == Self.payload, "fpr \(result.falsePositiveProbability)")
        #expect(abs((result.speed ?? 0) - 1.02) < 0.002, "speed \(result.speed ?? 0)")
    }

    /// A tempo change that keeps the pitch (WSOLA time-stretch, as sox's `tempo`) is searched as its
    /// own line: time at the speed, band edges where they were; a resampled clip is reported as
    /// such.
    @Test(arguments: [0.93, 1.08])
    func findsATempoChangeThatKeptThePitch(factor: Double) throws {
        let original = AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Self.marked])
        let stretched = try Attack.tempo(factor: factor).apply(to: original, seed: 0)
        let result = Self.detector.detect(stretched)
        #expect(result.payload == Self.payload, "fpr \(result.falsePositiveProbability)")
        #expect(result.pitch == 1 && abs((result.speed ?? 0) - factor) < 0.005, "speed \(result.speed ?? 0)")
        let resampled = Self.detector.detect(try Attack.speed(factor: factor).apply(to: original, seed: 0))
        #expect(resampled.payload == Self.payload && resampled.pitch == resampled.speed)
    }

    /// A pitch shift that kept the tempo (sox's `pitch`) is searched as its own line: time at
    /// speed 1, band edges at the shift, the frequency scale refined.
    @Test(arguments: [-150.0, 250.0])
    func findsAPitchShiftThatKeptTheTempo(cents: Double) throws {
        let original = AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Self.marked])
        let result = Self.detector.detect(try Attack.pitch(cents: cents).apply(to: original, seed: 0))
        #expect(result.payload == Self.payload, "fpr \(result.falsePositiveProbability)")
        let factor = pow(2, cents / 1200)
        #expect(abs((result.speed ?? 0) - 1) < 0.002 && abs((result.pitch ?? 0) - factor) < 0.006,
                "speed \(result.speed ?? 0), pitch \(result.pitch ?? 0), expected \(factor)")
    }

    /// The standard search covers 0.8–1.25 (audiowmark needs a slow option for that): a clip
    /// replayed 8 % slow or 15 % fast is found with its speed.
    @Test(arguments: [0.92, 1.15])
    func standardSearchFindsLargeSpeedChanges(speed: Double) {
        let clip = AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Resampler.resample(Self.marked, ratio: 1 / speed)])
        let result = Self.detector.detect(clip)
        #expect(result.payload == Self.payload, "fpr \(result.falsePositiveProbability)")
        #expect(abs((result.speed ?? 0) - speed) < 0.003, "speed \(result.speed ?? 0)")
    }

    /// Replay speeds outside the standard 0.8–1.25 are found only by the wide search (0.67–1.5),
    /// which searches the same way over more speeds.
    @Test(arguments: [0.72, 1.35])
    func wideSearchFindsLargeSpeedChanges(speed: Double) {
        let clip = AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Resampler.resample(Self.marked, ratio: 1 / speed)])
        let standard = Self.detector.detect(clip)
        #expect(!standard.detected && standard.payload == nil)
        let wide = Self.detector.detect(clip, options: AudioDetectOptions(speeds: .wide))
        #expect(wide.payload == Self.payload, "fpr \(wide.falsePositiveProbability)")
        #expect(abs((wide.speed ?? 0) - speed) < 0.003, "speed \(wide.speed ?? 0)")
    }

    @Test func wideSearchStaysSilentWithoutTheMark() throws {
        var random = SplitMix(seed: 9)
        let noise = (0..<(10 * AudioLayout.sampleRate)).map { _ in Float(0.1 * random.gaussian()) }
        let analysis = AudioAnalysis(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [noise]), speeds: .wide)
        for seed in 0..<8 {
            let key = try MarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ seed) })
            let result = AudioDetector(key: key).detect(analysis)
            #expect(!result.detected && result.payload == nil)
            #expect(result.falsePositiveProbability > 1e-6)
        }
    }

    /// Segments: none for a clip up to 35 s, their number fixed by the length, and every 15-s
    /// stretch of a longer clip lies whole in one of them.
    @Test(arguments: [20.0, 35.0, 36.0, 45.01, 47.5, 60.0, 119.99])
    func segmentsCoverEveryFifteenSecondStretch(seconds: Double) {
        let rate = AudioLayout.sampleRate
        let count = Int(seconds * Double(rate))
        let ranges = AudioAnalysis.segmentRanges(sampleCount: count)
        #expect(ranges.isEmpty == (seconds <= AudioAnalysis.segmentSearchMinimum))
        guard !ranges.isEmpty else { return }
        let length = Int(AudioAnalysis.segmentLength * Double(rate))
        #expect(ranges.allSatisfy { $0.lowerBound % ClipSpectrum.hop == 0 && $0.upperBound <= count
            && $0.count >= length && $0.count < length + ClipSpectrum.hop })
        for a in stride(from: 0, through: count - 15 * rate, by: rate / 4) {
            #expect(ranges.contains { $0.lowerBound <= a && a + 15 * rate <= $0.upperBound }, "\(a / rate) s")
        }
    }

    /// Chunks of a long recording: one up to 150 s; beyond, 120 s every 90 s and a last, shorter
    /// one from the next start to the end, so that every 30-s stretch lies whole in one and no
    /// chunk overlaps the one before by more.
    @Test(arguments: [100.0, 150.0, 150.5, 210.0, 211.0, 3600.0])
    func chunksHoldEveryThirtySecondStretch(seconds: Double) {
        let rate = 8_000, count = Int(seconds * Double(rate))
        let ranges = AudioChunks.ranges(frameCount: count, sampleRate: rate)
        if seconds <= AudioChunks.longestSingleChunk {
            #expect(ranges == [0..<count])
            return
        }
        #expect(ranges.dropLast().allSatisfy { $0.count == 120 * rate })
        #expect(ranges.last!.count <= 120 * rate && ranges.last!.count > 30 * rate)
        #expect(ranges.last?.upperBound == count)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $1.lowerBound - $0.lowerBound == 90 * rate })
        for a in stride(from: 0, through: count - 30 * rate, by: rate) {
            #expect(ranges.contains { $0.lowerBound <= a && a + 30 * rate <= $0.upperBound }, "\(a / rate) s")
        }
    }

    @Test func unmarkedNoiseAndOtherKeysStaySilent() throws {
        var random = SplitMix(seed: 5)
        let noise = (0..<(10 * AudioLayout.sampleRate)).map { _ in Float(0.1 * random.gaussian()) }
        let analysis = AudioAnalysis(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [noise]))
        for seed in 0..<8 {
            let key = try MarkKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) })
            let result = AudioDetector(key: key).detect(analysis)
            #expect(!result.detected && result.payload == nil)
            #expect(result.falsePositiveProbability > 1e-6)
        }
        let wrongKey = AudioDetector(key: try MarkKey(bytes: [UInt8](repeating: 1, count: 32)))
        let result = wrongKey.detect(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Self.marked]))
        #expect(!result.detected && result.payload == nil)
    }

    /// A marked clip is decided by the pilot's best coarse alignment alone: its refinement and
    /// two readings, not the six candidates' refinements an unmarked clip costs.
    @Test func aMarkedClipIsDecidedByThePilotsBestAlignment() {
        let marked = AudioAnalysis(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [Self.marked]))
        #expect(Self.detector.detect(marked).payload == Self.payload)
        var random = SplitMix(seed: 5)
        let noise = (0..<Self.marked.count).map { _ in Float(0.1 * random.gaussian()) }
        let unmarked = AudioAnalysis(AudioBuffer(sampleRate: AudioLayout.sampleRate, channels: [noise]))
        #expect(!Self.detector.detect(unmarked).detected)
        #expect(marked.refinedFoldCount * 3 < unmarked.refinedFoldCount,
                "folds: \(marked.refinedFoldCount) marked, \(unmarked.refinedFoldCount) unmarked")
    }

    /// A cell's frame is `Int(x.rounded())` of its time in frames, computed without libm.
    @Test func roundedFrameRoundsHalvesAwayFromZero() {
        var values: [Double] = [0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1e15 + 0.5]
        var x = -3000.0
        while x < 3000 { values.append(x); x += 0.123_456_789 }
        for speed in [0.8, 0.97, 1.0, 1.013, 1.25] { values += (0..<2000).map { Double($0 * 4 - 2) / speed } }
        for value in values { #expect(ClipSpectrum.roundedFrame(value) == Int(value.rounded()), "\(value)") }
    }

    /// The host prediction's per-band blend: a band whose wide prediction only adds scatter keeps
    /// the near one (α ≈ 0), a band whose near prediction is the noisier one takes the wide (α ≈ 1).
    @Test func predictionBlendPicksTheQuieterResidual() {
        var random = SplitMix(seed: 3)
        let bands = AudioLayout.bandCount, count = 400
        var near = [Float](repeating: 0, count: count * bands), wide = near
        for j in 0..<count {
            for b in 0..<bands {
                let host = Float(random.gaussian()), scatter = Float(random.gaussian())
                near[j * bands + b] = b < bands / 2 ? host : host + scatter
                wide[j * bands + b] = b < bands / 2 ? host + scatter : host
            }
        }
        let blend = ClipSpectrum.predictionBlend(near: near, wide: wide, present: [Bool](repeating: true, count: count), count: count)
        for b in 0..<bands {
            let expected: Float = b < bands / 2 ? 0 : 1
            #expect(abs(blend[b] - expected) < 0.15, "band \(b): α \(blend[b]), expected \(expected)")
        }
    }

    /// A cell's change common to its bands (an onset, a gain step) is estimated from the bands that
    /// hold content: bands with no weight (nothing in them, as above a low-pass) and bands whose
    /// residuals scatter widely neither move the estimate, so the content bands come out clean.
    @Test func commonChangeIgnoresEmptyAndScatteredBands() {
        var random = SplitMix(seed: 5)
        let bands = AudioLayout.bandCount, count = 300
        let empty = 24..<bands, scattered = 20..<24
        var near = [Float](repeating: 0, count: count * bands), wide = near
        var weight = [Float](repeating: 1, count: count * bands)
        var common = [Float](repeating: 0, count: count)
        for j in 0..<count {
            common[j] = Float(random.gaussian())
            for b in 0..<bands {
                let i = j * bands + b
                // Content bands: the common change plus a little of their own; scattered bands:
                // the change under scatter 20 times larger; empty ones: leakage scatter, no weight.
                let own = Float(random.gaussian()) * (scattered.contains(b) ? 2 : empty.contains(b) ? 5 : 0.1)
                near[i] = common[j] + own
                wide[i] = common[j] + own
                if empty.contains(b) { weight[i] = 0 }
            }
        }
        ClipSpectrum.removeCommonChange(near: &near, wide: &wide, present: [Bool](repeating: true, count: count),
                                        centres: Array(0..<count), weight: weight)
        var residual: Float = 0
        for j in 0..<count {
            for b in 0..<20 { residual += near[j * bands + b] * near[j * bands + b] }
        }
        let rms = (residual / Float(count * 20)).squareRoot()
        // Their own scatter is 0.1; an unweighted mean over 32 bands would leave ~0.5.
        #expect(rms < 0.13, "content bands' residual RMS \(rms)")
        #expect(near == wide)
    }

    /// The whitening's fast logarithm against libm over the range band powers take.
    @Test func fastLogMatchesLibm() {
        var worst: Float = 0
        var x: Float = 1e-12
        while x < 1e6 {
            worst = max(worst, abs(ClipSpectrum.fastLog(x) - log(x)))
            x *= 1.0137
        }
        #expect(worst < 5e-5, "largest error \(worst)")
    }

    /// The whitening's 1/σ against Double over the range local variances take (≥ the 0.05 floor,
    /// and far beyond).
    @Test func inverseSquareRootMatchesDouble() {
        var worst = 0.0
        var x: Float = 1e-6
        while x < 1e8 {
            let exact = 1 / Double(x).squareRoot()
            worst = max(worst, abs(Double(ClipSpectrum.inverseSquareRoot(x)) - exact) / exact)
            x *= 1.0137
        }
        #expect(worst < 3e-7, "largest relative error \(worst)")
    }

    /// Band powers summed from a row of bin powers at a speed's fractional edges, against the
    /// integral of the row as a step function (bin k covers [k − ½, k + ½)) in Double.
    @Test func bandPowersIntegrateTheBinsBetweenFractionalEdges() {
        let binLimit = 257
        var generator = SplitMix64(seed: 7)
        // Powers over 80 dB, as a quiet top band under a loud bottom one.
        let row = (0..<binLimit).map { k in Float.random(in: 0.5...1.5, using: &generator) * pow(10, -Float(k) / 32) }
        func integral(upTo position: Double) -> Double {
            // ∫ from −½ to `position` of the step function.
            var sum = 0.0
            for k in 0..<binLimit {
                let low = Double(k) - 0.5, high = Double(k) + 0.5
                guard position > low else { break }
                sum += Double(row[k]) * (min(position, high) - low)
            }
            return sum
        }
        for speed in [0.8, 0.9731, 1, 1.0205, 1.25] {
            let edges = ClipSpectrum.Edges(speed: speed, binLimit: binLimit)
            var bands = [Float](repeating: 0, count: AudioLayout.bandCount)
            row.withUnsafeBufferPointer { row in
                edges.index.withUnsafeBufferPointer { index in
                    edges.fraction.withUnsafeBufferPointer { fraction in
                        bands.withUnsafeMutableBufferPointer { out in
                            ClipSpectrum.bandPowers(row: row.baseAddress!, edgeIndex: index.baseAddress!,
                                                    edgeFraction: fraction.baseAddress!, into: out.baseAddress!)
                        }
                    }
                }
            }
            for b in 0..<AudioLayout.bandCount {
                let lower = Double(edges.index[b]) + Double(edges.fraction[b]) - 0.5
                let upper = Double(edges.index[b + 1]) + Double(edges.fraction[b + 1]) - 0.5
                let expected = integral(upTo: upper) - integral(upTo: lower)
                // Above 1.14 the top edges meet the spectrum's last bin: those bands are empty.
                let error = expected > 0 ? abs(Double(bands[b]) - expected) / expected : Double(bands[b])
                #expect(error < 1e-5, "speed \(speed) band \(b): \(bands[b]) against \(expected)")
            }
        }
    }
}
