import Foundation
import Testing
import TestSupport
@testable import Spectral

/// FFT output against the O(n²) Double DFT: float FFTs of these sizes are accurate to about
/// 1e-6 of the largest bin, so 1e-4 leaves room for platform differences and still catches any
/// wrong bin, sign or scale.
let dftTolerance = 1e-4
/// forward → inverse should give the signal back; errors of a few ulps per butterfly stage.
let roundTripTolerance = 1e-5

let lengths1D = [1, 2, 7, 12, 17, 64, 97, 128, 1000, 1024]
let shapes2D: [[Int]] = [[1, 1], [3, 5], [8, 8], [7, 12], [17, 16], [32, 31], [64, 64]]
let allShapes: [[Int]] = lengths1D.map { [$0] } + shapes2D

@Suite("FFT accuracy against a naive DFT")
struct FFTAccuracyTests {
    @Test("ComplexFloat has fftwf_complex's layout")
    func complexLayout() {
        #expect(MemoryLayout<ComplexFloat>.size == 8)
        #expect(MemoryLayout<ComplexFloat>.stride == 8)
        #expect(MemoryLayout<ComplexFloat>.alignment == 4)
        #expect(MemoryLayout<ComplexFloat>.offset(of: \.re) == 0)
        #expect(MemoryLayout<ComplexFloat>.offset(of: \.im) == 4)
    }

    @Test("real forward", arguments: allShapes)
    func realForward(shape: [Int]) {
        var rng = SplitMix64(seed: seed(for: shape))
        let fft = RealFFT.shared(shape: shape)
        let signal = rng.signal(fft.count)
        let comparison = ComplexComparison(fft.forward(signal), ReferenceDFT.realForward(signal, shape: shape))
        #expect(fft.spectrumShape == shape.dropLast() + [shape.last! / 2 + 1])
        #expect(comparison.relativeError < dftTolerance, "\(shape): \(comparison)")
    }

    /// Every column of a row-major table transformed at once is each column's own 1-D DFT, the
    /// columns' spectra one after the other.
    @Test("column transforms", arguments: [[64, 32], [7, 3], [16, 1], [1, 5], [12, 12]])
    func columnForward(shape: [Int]) {
        let (rows, columns) = (shape[0], shape[1])
        var rng = SplitMix64(seed: seed(for: shape, salt: 4))
        let table = rng.signal(rows * columns)
        let fft = ColumnRealFFT.shared(rows: rows, columns: columns)
        let spectra = fft.forward(table)
        #expect(fft.spectrumLength == rows / 2 + 1 && spectra.count == columns * fft.spectrumLength)
        for c in 0..<columns {
            let column = (0..<rows).map { table[$0 * columns + c] }
            let expected = ReferenceDFT.realForward(column, shape: [rows])
            let got = Array(spectra[(c * fft.spectrumLength)..<((c + 1) * fft.spectrumLength)])
            let comparison = ComplexComparison(got, expected)
            #expect(comparison.relativeError < dftTolerance, "\(shape) column \(c): \(comparison)")
        }
    }

    /// The unnormalised c2r of a real signal's spectrum is `count` times the signal.
    @Test("real inverse, unnormalised", arguments: allShapes)
    func realInverseUnnormalised(shape: [Int]) {
        var rng = SplitMix64(seed: seed(for: shape, salt: 1))
        let fft = RealFFT.shared(shape: shape)
        let signal = rng.signal(fft.count)
        var spectrum = ReferenceDFT.realForward(signal, shape: shape)
        var output = [Float](repeating: .nan, count: fft.count)
        fft.inverse(&spectrum, &output)
        let expected = signal.map { $0 * Float(fft.count) }
        let error = Measure.relativeMaxError(output, expected)
        #expect(error < dftTolerance, "\(shape): relative error \(error), first expected \(expected[0]) observed \(output[0])")
    }

    @Test("complex forward and inverse", arguments: allShapes)
    func complexBothDirections(shape: [Int]) {
        var rng = SplitMix64(seed: seed(for: shape, salt: 2))
        let fft = ComplexFFT.shared(shape: shape)
        let signal = rng.complexSignal(fft.count)

        let forward = ComplexComparison(fft.forward(signal), ReferenceDFT.complexTransform(signal, shape: shape, sign: -1))
        #expect(forward.relativeError < dftTolerance, "forward \(shape): \(forward)")

        var inverseOutput = [ComplexFloat](repeating: .zero, count: fft.count)
        fft.inverse(signal, &inverseOutput)
        let inverse = ComplexComparison(inverseOutput, ReferenceDFT.complexTransform(signal, shape: shape, sign: +1))
        #expect(inverse.relativeError < dftTolerance, "inverse \(shape): \(inverse)")
    }

    @Test("safe API round trip is the identity", arguments: allShapes)
    func roundTrip(shape: [Int]) {
        var rng = SplitMix64(seed: seed(for: shape, salt: 3))
        let real = RealFFT.shared(shape: shape)
        let signal = rng.signal(real.count)
        let spectrum = real.forward(signal)
        let spectrumBefore = spectrum
        let back = real.inverse(spectrum)
        let realError = Measure.relativeMaxError(back, signal)
        #expect(realError < roundTripTolerance, "real \(shape): relative error \(realError)")
        #expect(spectrum == spectrumBefore, "the safe inverse must not clobber the caller's spectrum")

        let complex = ComplexFFT.shared(shape: shape)
        let complexSignal = rng.complexSignal(complex.count)
        let complexBack = ComplexComparison(complex.inverse(complex.forward(complexSignal)), complexSignal)
        #expect(complexBack.relativeError < roundTripTolerance, "complex \(shape): \(complexBack)")
    }

    @Test("a pure tone lands in its bin")
    func toneBin() {
        let n = 64, bin = 5
        let tone = (0..<n).map { Float(cos(2 * Double.pi * Double(bin * $0) / Double(n))) }
        let spectrum = RealFFT.shared(shape: [n]).forward(tone)
        #expect(abs(spectrum[bin].re - Float(n) / 2) < 1e-3)
        let elsewhere = spectrum.indices.filter { $0 != bin }.map { spectrum[$0].magnitude }.max()!
        #expect(elsewhere < 1e-3, "leakage \(elsewhere)")
    }
}
