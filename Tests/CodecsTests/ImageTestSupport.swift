import Codecs
import Foundation
import Media
import Testing
import TestSupport

extension SeededBytes {
    /// A value in `0..<bound` (modulo bias is irrelevant for test data).
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Writes PNG files byte by byte, independently of libpng, so tests can build any colour type, bit
/// depth, palette, tRNS or Adam7 layout, and craft headers (with valid CRCs) that libpng must
/// refuse. Image data goes into stored (uncompressed) deflate blocks (RFC 1951 §3.2.4).
enum ImageTestPNG {
    enum ColorType: UInt8 {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6
        var samplesPerPixel: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A complete PNG. `samples` are interleaved, `samplesPerPixel` per pixel (palette: indices).
    static func make(width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: [UInt16],
                     palette: [UInt8]? = nil, transparency: [UInt8]? = nil, interlaced: Bool = false,
                     ancillary: [(String, [UInt8])] = []) -> [UInt8] {
        precondition(samples.count == width * height * colorType.samplesPerPixel)
        var file = signature
        file += chunk("IHDR", header(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                                     interlaced: interlaced))
        for (type, data) in ancillary { file += chunk(type, data) }
        if let palette { file += chunk("PLTE", palette) }
        if let transparency { file += chunk("tRNS", transparency) }
        let raw = interlaced
            ? adam7Scanlines(width: width, height: height, colorType: colorType, bitDepth: bitDepth, samples: samples)
            : scanlines(columns: Array(0..<width), rows: Array(0..<height), width: width, colorType: colorType,
                        bitDepth: bitDepth, samples: samples)
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }

    static func header(width: Int, height: Int, bitDepth: Int, colorType: ColorType, interlaced: Bool) -> [UInt8] {
        bigEndian32(UInt32(width)) + bigEndian32(UInt32(height))
            + [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
    }

    /// One chunk: length, type, data, CRC-32 over type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian32(UInt32(data.count)) + typeAndData + bigEndian32(crc32(typeAndData))
    }

    /// Filter-0 scanlines of the pixels at `columns` × `rows`, packed MSB first below 8 bits.
    static func scanlines(columns: [Int], rows: [Int], width: Int, colorType: ColorType, bitDepth: Int,
                          samples: [UInt16]) -> [UInt8] {
        let perPixel = colorType.samplesPerPixel
        var out: [UInt8] = []
        for y in rows {
            out.append(0)
            var accumulator = 0, bits = 0
            for x in columns {
                for c in 0..<perPixel {
                    let value = Int(samples[(y * width + x) * perPixel + c])
                    if bitDepth == 16 {
                        out += [UInt8(value >> 8), UInt8(value & 0xFF)]
                    } else {
                        accumulator = accumulator << bitDepth | value
                        bits += bitDepth
                        if bits == 8 { out.append(UInt8(accumulator)); accumulator = 0; bits = 0 }
                    }
                }
            }
            if bits > 0 { out.append(UInt8(accumulator << (8 - bits))) }
        }
        return out
    }

    /// The seven Adam7 passes (PNG spec §8.2), each a reduced image; empty passes have no rows.
    static func adam7Scanlines(width: Int, height: Int, colorType: ColorType, bitDepth: Int,
                               samples: [UInt16]) -> [UInt8] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var out: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            let columns = Array(stride(from: x0, to: width, by: dx))
            let rows = Array(stride(from: y0, to: height, by: dy))
            if columns.isEmpty || rows.isEmpty { continue }
            out += scanlines(columns: columns, rows: rows, width: width, colorType: colorType, bitDepth: bitDepth,
                             samples: samples)
        }
        return out
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let isLast = offset + length == data.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian32(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Small synthetic images and metadata for the image codec tests.
enum ImageTestData {
    /// A smooth gradient plus seeded noise, quantised to `levels` so that it survives 8- or 16-bit
    /// storage exactly.
    static func image(width: Int, height: Int, colorModel: ColorModel, bitDepth: Int = 8, seed: UInt64 = 1) -> PlanarImage {
        var rng = SeededBytes(seed: seed)
        let maxValue = Float((1 << bitDepth) - 1)
        let planes = (0..<colorModel.channelCount).map { c in
            (0..<width * height).map { i -> Float in
                let x = Float(i % width) / Float(width), y = Float(i / width) / Float(height)
                let smooth = 0.5 + 0.4 * sin(6 * x + 2 * Float(c)) * cos(4 * y)
                let noise = Float(rng.next(below: 1000)) / 1000 * 0.1 - 0.05
                return (max(0, min(1, smooth + noise)) * maxValue).rounded() / maxValue
            }
        }
        return PlanarImage(width: width, height: height, colorModel: colorModel, planes: planes,
                           metadata: ImageMetadata(bitDepth: bitDepth))
    }

    /// A minimal EXIF block (TIFF header + IFD0 with ImageWidth and Orientation).
    static func exifBlock(orientation: UInt16, littleEndian: Bool) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) : u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) }
        var block: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        block += u16(42) + u32(8) + u16(2)
        block += u16(0x0100) + u16(4) + u32(1) + u32(640)             // ImageWidth, LONG
        block += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0] // Orientation, SHORT
        return block + u32(0)                                            // no IFD1
    }

    /// `jpeg` with the frame header's (SOF0/1/2) height and width replaced.
    static func patchingJPEGSize(_ jpeg: [UInt8], width: Int, height: Int) -> [UInt8] {
        var bytes = jpeg
        var i = 2
        while i + 9 < bytes.count {
            precondition(bytes[i] == 0xFF, "walked off the marker chain")
            let marker = bytes[i + 1]
            if (0xC0...0xC2).contains(marker) {
                bytes[i + 5] = UInt8(height >> 8); bytes[i + 6] = UInt8(height & 0xFF)
                bytes[i + 7] = UInt8(width >> 8); bytes[i + 8] = UInt8(width & 0xFF)
                return bytes
            }
            i += 2 + (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]))
        }
        preconditionFailure("no SOF marker")
    }

    /// PSNR over all planes of two images of the same shape.
    static func psnr(_ a: PlanarImage, _ b: PlanarImage) -> Double {
        Measure.psnr(a.planes.flatMap { $0 }, b.planes.flatMap { $0 })
    }

    /// BT.601 luma of an RGB image's planes.
    static func luma(of image: PlanarImage) -> [Float] {
        let (r, g, b) = (image.planes[0], image.planes[1], image.planes[2])
        return r.indices.map { 0.299 * r[$0] + 0.587 * g[$0] + 0.114 * b[$0] }
    }
}

/// Corpus files used by several image suites.
enum ImageCorpus {
    static func names(withExtension ext: String) -> [String] {
        Corpus.files(in: "images").map(\.lastPathComponent).filter { $0.hasSuffix(".\(ext)") }
    }

    static func bytes(_ name: String) throws -> [UInt8] { try Corpus.bytes(of: Corpus.image(name)) }
}
