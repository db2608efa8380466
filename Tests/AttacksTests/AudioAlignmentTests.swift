@testable import Attacks
import Media
import Testing
import TestSupport

@Suite("Codec delay search")
struct AudioAlignmentTests {
    @Test("a known delay is found exactly, even under noise",
          .enabled(if: Corpus.isAvailable, Corpus.skipMessage),
          arguments: [0, 1, -1, 312, 1105, -700, 4096, -4096])
    func findsKnownDelay(delay: Int) throws {
        let original = try AttackFixtures.audio("orchestral_wesnoth_northern_mountains.flac", from: 3, seconds: 5)
        // delay > 0: the "decoded" audio starts late, as with an encoder's priming samples.
        var late = try Attack.shift(samples: -delay).apply(to: original, seed: 0)
        late = try AttackChain(steps: [.audioNoise(snrDB: 10)]).apply(to: late, seed: 1)
        #expect(AudioAlignment.lag(of: late, relativeTo: original) == delay)
        let aligned = AudioAlignment.aligned(late, lag: delay, frameCount: original.frameCount)
        #expect(aligned.frameCount == original.frameCount)
        // A negative delay cut the end off: compare only what both still have.
        let kept = original.frameCount - 4096
        let snr = AttackMeasure.snr(Array(original.channels[0][..<kept]), Array(aligned.channels[0][..<kept]))
        #expect(snr > 8.5, "SNR after alignment \(snr) dB (noise added at 10 dB)")
    }
}
