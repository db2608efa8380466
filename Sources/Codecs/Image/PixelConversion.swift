/// Kernels between the C shims' interleaved integer rows and ``PlanarImage``'s `Float` planes.
///
/// Each kernel makes one pass over the pixels, reads and writes through raw pointers and never
/// allocates; the callers own every buffer. 16-bit samples are big-endian, PNG's own byte order,
/// so the same code is right on any host.
enum PixelConversion {
    /// `k / 255` for every byte, by true division: `Float(k) * (1 / 255)` can land one ulp off, and
    /// exact values let an 8-bit decode → encode round trip restore every byte.
    static let unitFromByte: [Float] = (0..<256).map { Float($0) / 255 }

    // BT.601 luma weights (ITU-R BT.601-7 §2.5.1), the ones JFIF uses for Y.
    static let redWeight: Float = 0.299
    static let greenWeight: Float = 0.587
    static let blueWeight: Float = 0.114

    /// `count` new planes of `length` samples; `fill` receives all of their uninitialised storage
    /// at once and must write every sample, so that one pass over interleaved rows fills them all
    /// (no zero-filling first, no per-plane passes).
    static func makePlanes(count: Int, length: Int, fill: ([UnsafeMutablePointer<Float>]) -> Void) -> [[Float]] {
        precondition(length > 0)
        var pointers: [UnsafeMutablePointer<Float>] = []
        pointers.reserveCapacity(count)
        // Each level keeps its array's storage open while the next level opens the next one.
        func nest(_ index: Int) -> [[Float]] {
            if index == count {
                fill(pointers)
                return []
            }
            var later: [[Float]] = []
            let plane = [Float](unsafeUninitializedCapacity: length) { buffer, initialized in
                pointers.append(buffer.baseAddress!)
                later = nest(index + 1)
                initialized = length
            }
            return [plane] + later
        }
        return nest(0)
    }

    /// Runs `body` with a base pointer to each of `planes` (all valid for the call's duration).
    static func withPlanePointers<R>(_ planes: [[Float]], _ body: ([UnsafePointer<Float>]) -> R) -> R {
        var pointers: [UnsafePointer<Float>] = []
        pointers.reserveCapacity(planes.count)
        func nest(_ index: Int) -> R {
            if index == planes.count { return body(pointers) }
            return planes[index].withUnsafeBufferPointer { buffer in
                pointers.append(buffer.baseAddress!)
                return nest(index + 1)
            }
        }
        return nest(0)
    }

    // MARK: Interleaved integers → planes

    /// Splits interleaved 8-bit pixels of `planes.count` channels into the planes.
    static func deinterleave8(_ source: UnsafePointer<UInt8>, pixelCount: Int, into planes: [UnsafeMutablePointer<Float>]) {
        unitFromByte.withUnsafeBufferPointer { unit in
            var s = source
            switch planes.count {
            case 1:
                let p0 = planes[0]
                for i in 0..<pixelCount { p0[i] = unit[Int(s[i])] }
            case 2:
                let p0 = planes[0], p1 = planes[1]
                for i in 0..<pixelCount { p0[i] = unit[Int(s[0])]; p1[i] = unit[Int(s[1])]; s += 2 }
            case 3:
                let p0 = planes[0], p1 = planes[1], p2 = planes[2]
                for i in 0..<pixelCount {
                    p0[i] = unit[Int(s[0])]; p1[i] = unit[Int(s[1])]; p2[i] = unit[Int(s[2])]; s += 3
                }
            default:
                let p0 = planes[0], p1 = planes[1], p2 = planes[2], p3 = planes[3]
                for i in 0..<pixelCount {
                    p0[i] = unit[Int(s[0])]; p1[i] = unit[Int(s[1])]; p2[i] = unit[Int(s[2])]; p3[i] = unit[Int(s[3])]
                    s += 4
                }
            }
        }
    }

    /// Splits interleaved big-endian 16-bit pixels of `planes.count` channels into the planes.
    static func deinterleave16(_ source: UnsafePointer<UInt8>, pixelCount: Int, into planes: [UnsafeMutablePointer<Float>]) {
        let channels = planes.count
        var s = source
        for i in 0..<pixelCount {
            for c in 0..<channels { planes[c][i] = sample16(s + 2 * c) }
            s += 2 * channels
        }
    }

    /// One channel of interleaved pixels (gray of gray+alpha when alpha is dropped).
    static func extractChannel(_ source: UnsafePointer<UInt8>, pixelCount: Int, channels: Int, bytesPerSample: Int,
                               into plane: UnsafeMutablePointer<Float>) {
        let stride = channels * bytesPerSample
        if bytesPerSample == 2 {
            for i in 0..<pixelCount { plane[i] = sample16(source + i * stride) }
        } else {
            unitFromByte.withUnsafeBufferPointer { unit in
                for i in 0..<pixelCount { plane[i] = unit[Int(source[i * stride])] }
            }
        }
    }

    /// BT.601 luma of interleaved RGB or RGBA pixels (alpha ignored).
    static func luma(_ source: UnsafePointer<UInt8>, pixelCount: Int, channels: Int, bytesPerSample: Int,
                     into plane: UnsafeMutablePointer<Float>) {
        let stride = channels * bytesPerSample
        if bytesPerSample == 2 {
            for i in 0..<pixelCount {
                let s = source + i * stride
                plane[i] = redWeight * sample16(s) + greenWeight * sample16(s + 2) + blueWeight * sample16(s + 4)
            }
        } else {
            unitFromByte.withUnsafeBufferPointer { unit in
                for i in 0..<pixelCount {
                    let s = source + i * stride
                    plane[i] = redWeight * unit[Int(s[0])] + greenWeight * unit[Int(s[1])] + blueWeight * unit[Int(s[2])]
                }
            }
        }
    }

    @inline(__always)
    private static func sample16(_ bytes: UnsafePointer<UInt8>) -> Float {
        Float(UInt16(bytes[0]) << 8 | UInt16(bytes[1])) / 65535
    }

    // MARK: Planes → interleaved integers

    /// Interleaves the planes into 8-bit pixels, clamping to 0...1 and rounding to nearest
    /// (NaN becomes 0).
    static func interleave8(_ planes: [UnsafePointer<Float>], pixelCount: Int, into destination: UnsafeMutablePointer<UInt8>) {
        var d = destination
        switch planes.count {
        case 1:
            let p0 = planes[0]
            for i in 0..<pixelCount { d[i] = byte(p0[i]) }
        case 2:
            let p0 = planes[0], p1 = planes[1]
            for i in 0..<pixelCount { d[0] = byte(p0[i]); d[1] = byte(p1[i]); d += 2 }
        case 3:
            let p0 = planes[0], p1 = planes[1], p2 = planes[2]
            for i in 0..<pixelCount { d[0] = byte(p0[i]); d[1] = byte(p1[i]); d[2] = byte(p2[i]); d += 3 }
        default:
            let p0 = planes[0], p1 = planes[1], p2 = planes[2], p3 = planes[3]
            for i in 0..<pixelCount {
                d[0] = byte(p0[i]); d[1] = byte(p1[i]); d[2] = byte(p2[i]); d[3] = byte(p3[i]); d += 4
            }
        }
    }

    /// Interleaves the planes into big-endian 16-bit pixels, clamped and rounded as in
    /// ``interleave8(_:pixelCount:into:)``.
    static func interleave16(_ planes: [UnsafePointer<Float>], pixelCount: Int, into destination: UnsafeMutablePointer<UInt8>) {
        let channels = planes.count
        var d = destination
        for i in 0..<pixelCount {
            for c in 0..<channels {
                let value = UInt16(clampedUnit(planes[c][i]) * 65535 + 0.5)
                d[0] = UInt8(value >> 8)
                d[1] = UInt8(value & 0xFF)
                d += 2
            }
        }
    }

    /// `v` limited to 0...1; comparisons with NaN are false, so NaN maps to 0.
    @inline(__always)
    private static func clampedUnit(_ v: Float) -> Float { v > 0 ? (v < 1 ? v : 1) : 0 }

    @inline(__always)
    private static func byte(_ v: Float) -> UInt8 { UInt8(clampedUnit(v) * 255 + 0.5) }
}
