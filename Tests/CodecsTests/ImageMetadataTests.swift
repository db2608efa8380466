import Codecs
import Media
import Testing

/// EXIF handling common to both formats: the block is carried byte for byte, and its orientation
/// is read in either TIFF byte order.
@Suite("Image codec: EXIF metadata")
struct ImageMetadataTests {
    @Test("a built EXIF block with orientation 6 survives re-encoding and is reported",
          arguments: [ContainerFormat.png, .jpeg], [true, false])
    func exifKept(format: ContainerFormat, littleEndian: Bool) throws {
        var image = ImageTestData.image(width: 40, height: 30, colorModel: .rgb)
        let exif = ImageTestData.exifBlock(orientation: 6, littleEndian: littleEndian)
        image.metadata.exif = exif
        let encoded = try ImageCodec.encode(image, as: format)
        let decoded = try ImageCodec.decode(encoded)
        #expect(decoded.metadata.exif == exif)
        #expect(decoded.metadata.exifOrientation == 6)
        #expect(try ImageCodec.probe(encoded).exifOrientation == 6)
        let again = try ImageCodec.decode(try ImageCodec.encode(decoded, as: format))
        #expect(again.metadata.exif == exif)
        let stripped = try ImageCodec.encode(decoded, as: format, options: ImageEncodeOptions(keepMetadata: false))
        #expect(try ImageCodec.decode(stripped).metadata.exif == nil)
    }

    /// Blocks whose orientation must read as absent: out of range, wrong type, cut short.
    static let unusableBlocks: [(String, [UInt8])] = {
        let valid = ImageTestData.exifBlock(orientation: 6, littleEndian: true)
        var wrongType = valid
        wrongType[24] = 4 // the orientation entry (offset 8 + 2 + 12) declared LONG, not SHORT
        return [
            ("orientation 0", ImageTestData.exifBlock(orientation: 0, littleEndian: true)),
            ("orientation 9", ImageTestData.exifBlock(orientation: 9, littleEndian: false)),
            ("wrong value type", wrongType),
            ("cut inside IFD0", Array(valid.prefix(26))),
            ("IFD0 offset past the end", Array(valid.prefix(4)) + [0xFF, 0xFF, 0, 0]),
            ("not TIFF", Array("JUNKJUNKJUNK".utf8)),
        ]
    }()

    @Test("unusable EXIF blocks are carried but report no orientation", arguments: 0..<unusableBlocks.count)
    func unusableOrientation(index: Int) throws {
        let (name, exif) = Self.unusableBlocks[index]
        var image = ImageTestData.image(width: 8, height: 8, colorModel: .gray)
        image.metadata.exif = exif
        let decoded = try ImageCodec.decode(try ImageCodec.encode(image, as: .jpeg))
        #expect(decoded.metadata.exif == exif, "\(name)")
        #expect(decoded.metadata.exifOrientation == nil, "\(name)")
    }
}
