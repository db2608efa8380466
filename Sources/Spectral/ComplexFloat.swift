import Foundation

/// A single-precision complex number, laid out as two consecutive `Float`s (real, imaginary).
///
/// This is the memory layout of FFTW's `fftwf_complex` (`float[2]`) and of C99 `float complex`, so
/// spectra are handed to FFTW by reinterpreting the pointer, never by copying. A test checks the
/// layout (`MemoryLayout<ComplexFloat>.stride == 8`, `im` at byte offset 4).
public struct ComplexFloat: Sendable, Hashable, BitwiseCopyable {
    public var re: Float
    public var im: Float

    public init(re: Float, im: Float) {
        self.re = re
        self.im = im
    }

    public static let zero = ComplexFloat(re: 0, im: 0)

    /// The unit-magnitude number `cos φ + i sin φ`.
    public init(phase: Float) {
        self.init(re: cos(phase), im: sin(phase))
    }

    /// `re² + im²`, without the square root.
    public var squaredMagnitude: Float { re * re + im * im }

    /// `√(re² + im²)`, computed without intermediate overflow.
    public var magnitude: Float { hypot(re, im) }

    /// The argument, in `-π...π`.
    public var phase: Float { atan2(im, re) }

    public var conjugate: ComplexFloat { ComplexFloat(re: re, im: -im) }

    public static func + (a: ComplexFloat, b: ComplexFloat) -> ComplexFloat {
        ComplexFloat(re: a.re + b.re, im: a.im + b.im)
    }

    public static func - (a: ComplexFloat, b: ComplexFloat) -> ComplexFloat {
        ComplexFloat(re: a.re - b.re, im: a.im - b.im)
    }

    public static func * (a: ComplexFloat, b: ComplexFloat) -> ComplexFloat {
        ComplexFloat(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
    }

    public static func * (a: ComplexFloat, scale: Float) -> ComplexFloat {
        ComplexFloat(re: a.re * scale, im: a.im * scale)
    }
}
