import Foundation
import Codecs
import Media
import TestSupport

/// Corpus names, small signal tools and a seeded generator for the audio codec tests.
enum AudioFixtures {
    static let wavFiles = [
        "speech_en_female_asterisk_demo_instruct_16k_mono.wav",  // 16 kHz mono
        "folk_wesnoth_traveling_minstrels_22k_mono.wav",         // 22.05 kHz mono
        "guitar_solo_muldjord_chaos_god.wav",                    // 44.1 kHz stereo
        "electronic_etr_calmrace_48k.wav",                       // 48 kHz stereo
    ]
    static let flacFiles = [
        "orchestral_wesnoth_northern_mountains.flac",
        "rock_metal_muldjord_chaos_god.flac",
        "sparse_lomiri_wind_chime.flac",
        "speech_en_alsa_channel_names_48k_mono.flac",
    ]
    static let oggFiles = [
        "electronic_etr_freezing_point.ogg",
        "orchestral_quiet_wesnoth_into_the_shadows.ogg",
        "orchestral_wesnoth_heroes_rite.ogg",
        "piano_solo_lomiri_melody_piano.ogg",
    ]
    static let allFiles = wavFiles + flacFiles + oggFiles

    /// 44.1 kHz stereo: the MP3 and Vorbis source.
    static let stereo44k = "guitar_solo_muldjord_chaos_god.wav"
    /// 48 kHz stereo: the Opus source (Opus takes no 44.1 kHz, and resampling is not the codec's job).
    static let stereo48k = "electronic_etr_calmrace_48k.wav"

    static func bytes(_ name: String) throws -> [UInt8] {
        try Corpus.bytes(of: Corpus.audio(name))
    }

    static func decoded(_ name: String) throws -> AudioBuffer {
        try AudioCodec.decode(bytes(name))
    }

    /// `seconds` of `audio` starting at `offset` seconds, metadata kept.
    static func excerpt(_ audio: AudioBuffer, seconds: Double, from offset: Double = 0) -> AudioBuffer {
        let start = min(audio.frameCount, Int(offset * Double(audio.sampleRate)))
        let end = min(audio.frameCount, start + Int(seconds * Double(audio.sampleRate)))
        return AudioBuffer(sampleRate: audio.sampleRate, channels: audio.channels.map { Array($0[start..<end]) },
                           metadata: audio.metadata)
    }

    /// A corpus excerpt already encoded in `format` by the codec under test, for formats the
    /// corpus does not hold (Opus, MP3).
    static func encodedExcerpt(_ format: ContainerFormat, seconds: Double = 2) throws -> [UInt8] {
        let source = try decoded(format == .opus ? stereo48k : stereo44k)
        return try AudioCodec.encode(excerpt(source, seconds: seconds, from: 5), options: AudioEncodeOptions(format: format))
    }

    /// SNR in dB of `test` against `reference`, after shifting `test` by the lag (within
    /// `±maxLag` frames) that maximises their cross-correlation, so that an encoder delay the
    /// decoder did not remove cannot pass for noise. The lag is found on channel 0 over a 0.5 s
    /// window a second into the signal; the SNR is taken over all channels and the overlap.
    static func alignedSNR(reference: AudioBuffer, test: AudioBuffer, maxLag: Int) -> (snr: Double, lag: Int) {
        let window = reference.sampleRate / 2, start = reference.sampleRate
        precondition(reference.frameCount >= start + window + maxLag && test.frameCount >= start + window + maxLag)
        var bestLag = 0, bestCorrelation = -Double.infinity
        reference.channels[0].withUnsafeBufferPointer { x in
            test.channels[0].withUnsafeBufferPointer { y in
                for lag in -maxLag...maxLag {
                    var sum: Float = 0
                    for i in start..<start + window { sum += x[i] * y[i + lag] }
                    if Double(sum) > bestCorrelation { bestCorrelation = Double(sum); bestLag = lag }
                }
            }
        }
        var signal = 0.0, noise = 0.0
        let first = max(0, -bestLag), last = min(reference.frameCount, test.frameCount - bestLag)
        for channel in 0..<reference.channelCount {
            let x = reference.channels[channel], y = test.channels[channel]
            for i in first..<last {
                let difference = Double(x[i]) - Double(y[i + bestLag])
                signal += Double(x[i]) * Double(x[i])
                noise += difference * difference
            }
        }
        return (10 * log10(signal / noise), bestLag)
    }

    /// `nil` when both hold identical samples, else where and how they first differ, so a failure
    /// prints one line rather than millions of samples.
    static func mismatch(_ observed: AudioBuffer, _ expected: AudioBuffer) -> String? {
        guard observed.channelCount == expected.channelCount, observed.frameCount == expected.frameCount else {
            return "shape \(observed.channelCount)×\(observed.frameCount), expected \(expected.channelCount)×\(expected.frameCount)"
        }
        for channel in 0..<expected.channelCount where observed.channels[channel] != expected.channels[channel] {
            let o = observed.channels[channel], e = expected.channels[channel]
            let differing = zip(o, e).filter { $0 != $1 }.count
            let first = o.indices.first { o[$0] != e[$0] }!
            return "channel \(channel): \(differing) samples differ, first at frame \(first): \(o[first]), expected \(e[first]), relative max error \(Measure.relativeMaxError(o, e))"
        }
        return nil
    }

    /// Samples of `x` scaled by `gain`, for making content that uses more than 16 bits.
    static func scaled(_ audio: AudioBuffer, by gain: Float) -> AudioBuffer {
        AudioBuffer(sampleRate: audio.sampleRate, channels: audio.channels.map { $0.map { $0 * gain } },
                    metadata: audio.metadata)
    }
}

/// The shared seeded generator (TestSupport), under the name these tests use.
typealias SeededBytes = SplitMix64
