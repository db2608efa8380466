import Attacks
import Foundation
import Media
import Testing
import TestSupport

@Suite("Audio attacks: filters, noise, edits")
struct AudioEditAttackTests {
    static let music = "rock_metal_muldjord_chaos_god.flac"

    static func bandDrop(_ before: AudioBuffer, _ after: AudioBuffer, from low: Double, to high: Double) -> Double {
        let rate = before.sampleRate
        let b = AttackMeasure.bandEnergy(before.channels[0], sampleRate: rate, from: low, to: high)
        let a = AttackMeasure.bandEnergy(after.channels[0], sampleRate: rate, from: low, to: high)
        return AttackMeasure.decibels(a, b)
    }

    @Test("resample:16000 keeps length and rate and removes everything above 8 kHz",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func resampleRoundTrip() throws {
        let original = try AttackFixtures.audio(Self.music, from: 10, seconds: 5)
        let attacked = try Attack.resample(hz: 16000).apply(to: original, seed: 0)
        #expect(attacked.sampleRate == 44100 && attacked.frameCount == original.frameCount)
        #expect(attacked.channelCount == 2)
        let high = Self.bandDrop(original, attacked, from: 8100, to: 22050)
        let low = Self.bandDrop(original, attacked, from: 50, to: 6000)
        #expect(high < -40, "above 8.1 kHz: \(high) dB")
        #expect(abs(low) < 0.5, "below 6 kHz: \(low) dB")
    }

    @Test("lowpass:4000 removes > 40 dB above 4.5 kHz and keeps below 3 kHz within 1 dB",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func lowpass() throws {
        let original = try AttackFixtures.audio(Self.music, from: 10, seconds: 5)
        let attacked = try Attack.lowpass(hz: 4000).apply(to: original, seed: 0)
        #expect(attacked.frameCount == original.frameCount && attacked.sampleRate == original.sampleRate)
        let stop = Self.bandDrop(original, attacked, from: 4500, to: 22050)
        let pass = Self.bandDrop(original, attacked, from: 20, to: 3000)
        #expect(stop < -40, "above 4.5 kHz: \(stop) dB")
        #expect(abs(pass) < 1, "below 3 kHz: \(pass) dB")
    }

    @Test("highpass:1000 removes > 40 dB below 500 Hz and keeps above 1.5 kHz within 1 dB",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func highpass() throws {
        let original = try AttackFixtures.audio(Self.music, from: 10, seconds: 5)
        let attacked = try Attack.highpass(hz: 1000).apply(to: original, seed: 0)
        let stop = Self.bandDrop(original, attacked, from: 0, to: 500)
        let pass = Self.bandDrop(original, attacked, from: 1500, to: 20000)
        #expect(stop < -40, "below 500 Hz: \(stop) dB")
        #expect(abs(pass) < 1, "above 1.5 kHz: \(pass) dB")
    }

    @Test("reverb:RT60 on an impulse: the direct sound, then an equal-energy tail decaying 60 dB in RT60")
    func reverbImpulseResponse() throws {
        let rate = 8000, rt60 = 0.5
        var impulse = [Float](repeating: 0, count: rate * 2)
        impulse[100] = 1
        let original = AudioBuffer(sampleRate: rate, channels: [impulse, impulse])
        let attacked = try Attack.reverb(rt60: rt60).apply(to: original, seed: 4)
        #expect(attacked.frameCount == original.frameCount && attacked.sampleRate == rate)
        for channel in attacked.channels {
            #expect(channel[..<100].allSatisfy { $0 == 0 } || channel[..<100].allSatisfy { abs($0) < 1e-5 })
            #expect(abs(channel[100] - 1) < 1e-4, "direct sound \(channel[100])")
            // 5 ms of silence, then the tail, whose energy equals the direct sound's.
            #expect(channel[101..<140].allSatisfy { abs($0) < 1e-4 })
            let tail = channel[140...].reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(tail - 1) < 0.01, "tail energy \(tail)")
            // Energy in the first and the last 100 ms of the first RT60: 60 dB apart, less the
            // decay across each window itself (a Gaussian tail: within a few dB).
            func energy(from t: Double) -> Double {
                let start = 140 + Int(t * Double(rate))
                return channel[start..<(start + rate / 10)].reduce(0.0) { $0 + Double($1) * Double($1) }
            }
            let drop = 10 * log10(energy(from: rt60 - 0.1) / energy(from: 0))
            #expect(abs(drop - -48) < 4, "decay over RT60 − 0.1 s: \(drop) dB, expected −48")
        }
        // Each channel has a tail of its own.
        #expect(attacked.channels[0] != attacked.channels[1])
    }

    @Test("noise:X on audio: measured SNR within 0.3 dB, per channel",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [0.0, 10.0, 20.0, 35.0])
    func noiseSNR(snr: Double) throws {
        let original = try AttackFixtures.audio("orchestral_wesnoth_northern_mountains.flac", from: 5, seconds: 5)
        let attacked = try AttackChain(parsing: "noise:\(SpecFormat.number(snr))").apply(to: original, seed: 3)
        for channel in 0..<2 {
            let measured = AttackMeasure.snr(original.channels[channel], attacked.channels[channel])
            #expect(abs(measured - snr) < 0.3, "channel \(channel): requested \(snr) dB, measured \(measured) dB")
        }
        #expect(try AttackChain(steps: [.audioNoise(snrDB: snr)]).apply(to: original, seed: 3) == attacked)
    }

    @Test("excerpt:15 is exactly 15 s of the original, placed by the seed",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func excerpt() throws {
        let original = try AttackFixtures.audio("folk_wesnoth_traveling_minstrels_22k_mono.wav")
        let attacked = try Attack.excerpt(seconds: 15).apply(to: original, seed: 5)
        #expect(attacked.frameCount == 15 * 22050)
        let other = try Attack.excerpt(seconds: 15).apply(to: original, seed: 6)
        #expect(other != attacked)
        func start(of excerpt: AudioBuffer) -> Int? {
            let head = Array(excerpt.channels[0].prefix(64))
            return (0...(original.frameCount - excerpt.frameCount)).first { offset in
                Array(original.channels[0][offset ..< offset + 64]) == head
                    && Array(original.channels[0][offset ..< offset + excerpt.frameCount]) == excerpt.channels[0]
            }
        }
        #expect(start(of: attacked) != nil && start(of: other) != nil)
        #expect(start(of: attacked) != start(of: other))
        let whole = try Attack.excerpt(seconds: 60).apply(to: original, seed: 5)
        #expect(whole == original)
    }

    @Test("shift drops or prepends samples")
    func shift() throws {
        let samples = (0..<1000).map { Float($0) / 1000 }
        let original = AudioBuffer(sampleRate: 8000, channels: [samples, samples.map { -$0 }])
        let dropped = try Attack.shift(samples: 123).apply(to: original, seed: 0)
        #expect(dropped.frameCount == 877)
        #expect(dropped.channels[0] == Array(samples[123...]) && dropped.channels[1] == Array(samples[123...].map { -$0 }))
        let delayed = try Attack.shift(samples: -50).apply(to: original, seed: 0)
        #expect(delayed.frameCount == 1050 && delayed.channels[0] == [Float](repeating: 0, count: 50) + samples)
        #expect(throws: AttackError.self) { try Attack.shift(samples: 1000).apply(to: original, seed: 0) }
    }

    @Test("surround puts the audio between noise at its own level")
    func surround() throws {
        let samples = (0..<8000).map { Float(0.3 * sin(Double($0) * 0.05)) }
        let original = AudioBuffer(sampleRate: 8000, channels: [samples, [Float](repeating: 0, count: 8000)])
        let attacked = try Attack.surround(seconds: 2).apply(to: original, seed: 4)
        #expect(attacked.frameCount == 8000 + 2 * 16_000)
        #expect(Array(attacked.channels[0][16_000..<24_000]) == samples)
        func rms(_ x: ArraySlice<Float>) -> Double { (x.reduce(0) { $0 + Double($1 * $1) } / Double(x.count)).squareRoot() }
        let level = rms(samples[...])
        #expect(abs(rms(attacked.channels[0][0..<16_000]) / level - 1) < 0.05)
        #expect(abs(rms(attacked.channels[0][24_000...]) / level - 1) < 0.05)
        #expect(attacked.channels[1].allSatisfy { $0 == 0 })
        #expect(try Attack.surround(seconds: 2).apply(to: original, seed: 4) == attacked)
    }

    @Test("speed:F leaves n/F samples and raises the pitch by F", arguments: [1.02, 0.9, 1.25])
    func speed(factor: Double) throws {
        // A 1 kHz tone: after playing F times faster it sits at F kHz.
        let n = 44100
        let tone = (0..<n).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 44100)) }
        let original = AudioBuffer(sampleRate: 44100, channels: [tone])
        let attacked = try Attack.speed(factor: factor).apply(to: original, seed: 0)
        #expect(abs(Double(attacked.frameCount) - Double(n) / factor) <= 1)
        #expect(attacked.sampleRate == 44100)
        let expected = 1000 * factor
        let near = AttackMeasure.bandEnergy(attacked.channels[0], sampleRate: 44100, from: expected - 5, to: expected + 5)
        let all = AttackMeasure.bandEnergy(attacked.channels[0], sampleRate: 44100, from: 0, to: 22050)
        #expect(near / all > 0.99, "energy within 5 Hz of \(expected) Hz: \(near / all)")
    }

    /// Zero crossings per second of a signal: twice its frequency for a sine.
    static func crossingRate(_ x: [Float], rate: Int) -> Double {
        let crossings = zip(x, x.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        return Double(crossings) * Double(rate) / Double(x.count)
    }

    @Test("tempo:F shortens by F and keeps the pitch; speed:F raises it", arguments: [0.8, 1.05, 1.25])
    func tempoKeepsPitch(factor: Double) throws {
        let rate = 16_000
        let tone = (0..<(2 * rate)).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        let original = AudioBuffer(sampleRate: rate, channels: [tone, tone.map { -$0 }])
        let stretched = try Attack.tempo(factor: factor).apply(to: original, seed: 0)
        #expect(abs(Double(stretched.frameCount) - Double(original.frameCount) / factor) <= 1)
        #expect(stretched.channelCount == 2)
        // The middle (away from the fade-in of the first frame and the unfilled end).
        let middle = Array(stretched.channels[0][(rate / 4)..<(stretched.frameCount - rate / 4)])
        #expect(abs(Self.crossingRate(middle, rate: rate) - 880) < 10, "crossings \(Self.crossingRate(middle, rate: rate))/s")
        #expect(zip(stretched.channels[0], stretched.channels[1]).allSatisfy { $0 == -$1 }, "the same frames in every channel")
        let sped = try Attack.speed(factor: factor).apply(to: original, seed: 0)
        let spedMiddle = Array(sped.channels[0][(rate / 4)..<(sped.frameCount - rate / 4)])
        #expect(abs(Self.crossingRate(spedMiddle, rate: rate) - 880 * factor) < 10)
    }

    @Test("pitch:CENTS keeps the length and moves the pitch by 2^(cents/1200)", arguments: [-200.0, 100.0])
    func pitchKeepsTempo(cents: Double) throws {
        let rate = 16_000
        let tone = (0..<(2 * rate)).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        let shifted = try Attack.pitch(cents: cents).apply(to: AudioBuffer(sampleRate: rate, channels: [tone]), seed: 0)
        #expect(shifted.frameCount == tone.count)
        let middle = Array(shifted.channels[0][(rate / 4)..<(shifted.frameCount - rate / 4)])
        let expected = 880 * pow(2, cents / 1200)
        #expect(abs(Self.crossingRate(middle, rate: rate) - expected) < 10, "crossings \(Self.crossingRate(middle, rate: rate))/s")
    }

    @Test("speed on real music keeps the channels", .enabled(if: Corpus.isAvailable, Corpus.skipMessage))
    func speedMusic() throws {
        let original = try AttackFixtures.audio(Self.music, from: 10, seconds: 5)
        let attacked = try Attack.speed(factor: 1.02).apply(to: original, seed: 0)
        #expect(attacked.channelCount == 2)
        #expect(abs(Double(attacked.frameCount) - Double(original.frameCount) / 1.02) <= 1)
    }

    @Test("mono is the mean of the channels; volume multiplies and clips")
    func monoAndVolume() throws {
        let left: [Float] = [0.5, -0.25, 1, 0.1], right: [Float] = [0.1, 0.25, -1, 0.3]
        let original = AudioBuffer(sampleRate: 8000, channels: [left, right])
        let mono = try Attack.mono.apply(to: original, seed: 0)
        #expect(mono.channelCount == 1)
        for i in 0..<4 { #expect(abs(mono.channels[0][i] - (left[i] + right[i]) / 2) < 1e-7) }
        let quiet = try Attack.volume(gain: 0.5).apply(to: original, seed: 0)
        #expect(quiet.channels == [left.map { $0 * 0.5 }, right.map { $0 * 0.5 }])
        let loud = try Attack.volume(gain: 4).apply(to: original, seed: 0)
        #expect(loud.channels[0] == [1, -1, 1, 0.4])
    }

    @Test("invert negates the last channel only; mono audio is unchanged")
    func invert() throws {
        let left: [Float] = [0.5, -0.25, 1], right: [Float] = [0.1, 0.25, -1]
        let inverted = try Attack.invert.apply(to: AudioBuffer(sampleRate: 8000, channels: [left, right]), seed: 0)
        #expect(inverted.channels == [left, [-0.1, -0.25, 1]])
        let mono = AudioBuffer(sampleRate: 8000, channels: [left])
        #expect(try Attack.invert.apply(to: mono, seed: 0).channels == [left])
    }
}

/// Spec numbers in test names and specs, as the parser prints them.
enum SpecFormat {
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
