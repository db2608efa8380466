import Testing
import TestSupport
@testable import Spectral

@Suite("FFT plans: cache, alignment, buffers, threads")
struct FFTPlanTests {
    @Test("shared(shape:) returns one instance per shape")
    func cacheIdentity() {
        #expect(RealFFT.shared(shape: [48]) === RealFFT.shared(shape: [48]))
        #expect(RealFFT.shared(shape: [48]) !== RealFFT.shared(shape: [6, 8]))
        #expect(ComplexFFT.shared(shape: [6, 8]) === ComplexFFT.shared(shape: [6, 8]))
    }

    /// A pointer one float into an aligned buffer is not SIMD-aligned: FFTW must get the
    /// FFTW_UNALIGNED plan, and the answer must not change.
    @Test("unaligned pointers take the unaligned plan and agree", arguments: [[7], [64], [1000], [17, 16], [64, 64]])
    func unalignedRealInput(shape: [Int]) {
        let fft = RealFFT.shared(shape: shape)
        var rng = SplitMix64(seed: seed(for: shape, salt: 10))
        let signal = rng.signal(fft.count)
        let expected = fft.forward(signal)

        let shiftedInput = AlignedFloatBuffer(count: fft.count + 1)
        let shiftedOutput = AlignedComplexBuffer(count: fft.spectrumCount + 1)
        let alignedOutput = AlignedComplexBuffer(count: fft.spectrumCount)
        for i in signal.indices { shiftedInput[i + 1] = signal[i] }

        shiftedInput.withUnsafeBufferPointer { input in
            let offset = input.baseAddress! + 1
            // Input off by 4 bytes, output aligned.
            alignedOutput.withUnsafeMutableBufferPointer { output in
                #expect(!fft.usesAlignedPlans(input: offset, output: output.baseAddress!))
                fft.forward(offset, output.baseAddress!)
            }
            // Both off: input by 4 bytes, output by 8.
            shiftedOutput.withUnsafeMutableBufferPointer { output in
                fft.forward(offset, output.baseAddress! + 1)
            }
        }
        let inputOff = ComplexComparison(Array(alignedOutput), expected)
        let bothOff = ComplexComparison(Array(shiftedOutput.dropFirst()), expected)
        #expect(inputOff.relativeError < 1e-6, "input unaligned \(shape): \(inputOff)")
        #expect(bothOff.relativeError < 1e-6, "both unaligned \(shape): \(bothOff)")

        // And back, from an unaligned spectrum into an unaligned signal.
        let back = AlignedFloatBuffer(count: fft.count + 1)
        shiftedOutput.withUnsafeMutableBufferPointer { spectrum in
            back.withUnsafeMutableBufferPointer { fft.inverse(spectrum.baseAddress! + 1, $0.baseAddress! + 1) }
        }
        let error = Measure.relativeMaxError(back.dropFirst().map { $0 * fft.inverseScale }, signal)
        #expect(error < roundTripTolerance, "unaligned round trip \(shape): relative error \(error)")
    }

    @Test("complex transform on unaligned pointers agrees", arguments: [[12], [97], [7, 12]])
    func unalignedComplex(shape: [Int]) {
        let fft = ComplexFFT.shared(shape: shape)
        var rng = SplitMix64(seed: seed(for: shape, salt: 11))
        let signal = rng.complexSignal(fft.count)
        let input = AlignedComplexBuffer([.zero] + signal)
        let output = AlignedComplexBuffer(count: fft.count + 1)
        input.withUnsafeBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                #expect(!fft.usesAlignedPlans(input: i.baseAddress! + 1, output: o.baseAddress! + 1))
                fft.forward(i.baseAddress! + 1, o.baseAddress! + 1)
            }
        }
        let comparison = ComplexComparison(Array(output.dropFirst()), fft.forward(signal))
        #expect(comparison.relativeError < 1e-6, "\(shape): \(comparison)")
    }

    @Test("aligned buffers take the aligned plan and match the array API")
    func alignedBuffers() {
        let fft = RealFFT.shared(shape: [16, 24])
        var rng = SplitMix64(seed: 99)
        let signal = rng.signal(fft.count)
        let frame = AlignedFloatBuffer(signal)
        let bins = AlignedComplexBuffer(count: fft.spectrumCount)
        frame.withUnsafeBufferPointer { f in
            bins.withUnsafeBufferPointer { b in
                #expect(fft.usesAlignedPlans(input: f.baseAddress!, output: b.baseAddress!))
            }
        }
        fft.forward(frame, into: bins)
        #expect(Array(bins) == fft.forward(signal))
        #expect(Array(frame) == signal, "forward must not modify its input")

        let back = AlignedFloatBuffer(count: fft.count)
        fft.inverse(overwriting: bins, into: back)
        let error = Measure.relativeMaxError(back.map { $0 * fft.inverseScale }, signal)
        #expect(error < roundTripTolerance, "relative error \(error)")
    }

    @Test("a new buffer is zero-filled")
    func zeroFilled() {
        #expect(AlignedFloatBuffer(count: 33).allSatisfy { $0 == 0 })
        #expect(AlignedComplexBuffer(count: 5).allSatisfy { $0 == .zero })
        #expect(AlignedFloatBuffer(count: 0).isEmpty)
    }

    /// Eight tasks ask for and run plans of several sizes at once, some of them never planned
    /// before in this process, so plan creation races with execution. Each result must equal the
    /// one computed afterwards on a single thread (same plan, same data: the same bits).
    @Test("concurrent planning and execution match sequential results")
    func concurrency() async {
        let shapes: [[Int]] = [[211], [96], [1000], [13, 29], [40, 40], [2048], [5, 7], [211]]
        let inputs = shapes.indices.map { task in
            var rng = SplitMix64(seed: UInt64(task) &+ 0xC0FFEE)
            return rng.signal(shapes[task].reduce(1, *))
        }
        let concurrent = await withTaskGroup(of: (Int, [ComplexFloat], [Float]).self) { group in
            for task in shapes.indices {
                group.addTask {
                    var spectrum: [ComplexFloat] = []
                    var back: [Float] = []
                    for _ in 0..<20 {
                        let real = RealFFT.shared(shape: shapes[task])
                        spectrum = real.forward(inputs[task])
                        back = real.inverse(spectrum)
                        let complex = ComplexFFT.shared(shape: shapes[task])
                        _ = complex.forward(spectrum.count == complex.count ? spectrum : inputs[task].map { ComplexFloat(re: $0, im: 0) })
                    }
                    return (task, spectrum, back)
                }
            }
            var results = [Int: ([ComplexFloat], [Float])]()
            for await (task, spectrum, back) in group { results[task] = (spectrum, back) }
            return results
        }
        for task in shapes.indices {
            let fft = RealFFT.shared(shape: shapes[task])
            let spectrum = fft.forward(inputs[task])
            #expect(concurrent[task]?.0 == spectrum, "task \(task), shape \(shapes[task]): spectrum differs")
            #expect(concurrent[task]?.1 == fft.inverse(spectrum), "task \(task), shape \(shapes[task]): inverse differs")
        }
    }

    @Test("periodic Hann windows overlap-add to one")
    func hannOverlapAdd() {
        let n = 16
        let w = Window.hann(count: n)
        #expect(w[0] == 0)
        for i in 0..<(n / 2) {
            #expect(abs(w[i] + w[i + n / 2] - 1) < 1e-6)
        }
        let symmetric = Window.hann(count: 9, periodic: false)
        #expect(symmetric.first == 0 && abs(symmetric.last!) < 1e-7 && symmetric[4] == 1)
    }
}
