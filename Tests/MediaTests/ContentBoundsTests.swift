import Foundation
import Media
import Testing

/// The picture inside a uniform border (letterbox, padding to a square) is found exactly, and
/// nothing that is picture — a gradient, a flat sky — is taken for border.
@Suite("Content bounds of padded images")
struct ContentBoundsTests {
    /// A `width × height` RGB canvas of `fill`, with seeded noise texture in `picture`.
    static func canvas(width: Int, height: Int, fill: Float, picture: PixelRect) -> PlanarImage {
        var state: UInt64 = 99
        var planes = [[Float]](repeating: [Float](repeating: fill, count: width * height), count: 3)
        for y in picture.y..<(picture.y + picture.height) {
            for x in picture.x..<(picture.x + picture.width) {
                for p in 0..<3 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    planes[p][y * width + x] = 0.2 + 0.6 * Float(state >> 40) / Float(1 << 24)
                }
            }
        }
        return PlanarImage(width: width, height: height, colorModel: .rgb, planes: planes)
    }

    @Test(arguments: [(Float(1), PixelRect(x: 0, y: 72, width: 256, height: 112)),
                      (Float(0), PixelRect(x: 40, y: 0, width: 176, height: 256)),
                      (Float(0.5), PixelRect(x: 10, y: 20, width: 200, height: 150))])
    func findsThePictureInsideAUniformBorder(fill: Float, picture: PixelRect) {
        let image = Self.canvas(width: 256, height: 256, fill: fill, picture: picture)
        #expect(image.contentBounds() == picture)
        #expect(image.cropped(to: picture).width == picture.width)
    }

    @Test func gradientsAndUniformImagesAreKeptWhole() {
        let whole = PixelRect(x: 0, y: 0, width: 300, height: 200)
        // Every row is flat, but the rows differ (0.64 of a level each): a sky, not padding. Only
        // the few edge rows within the tolerance of one another may go.
        let rows = (0..<(300 * 200)).map { Float($0 / 300) / 400 }
        let vertical = PlanarImage(width: 300, height: 200, colorModel: .gray, planes: [rows])
        let bounds = vertical.contentBounds()
        #expect(bounds.width == 300 && bounds.height >= 190, "\(bounds)")
        let flat = PlanarImage(width: 300, height: 200, colorModel: .gray, planes: [[Float](repeating: 0.3, count: 300 * 200)])
        #expect(flat.contentBounds() == whole)
    }

    /// A textured picture centred on a smooth (blurred) fill on two sides: the fill is found on
    /// both sides, within the few lines where the blur meets the picture.
    @Test(arguments: [(false, 320, 480), (true, 480, 320)])
    func findsThePictureInsideABlurredFill(sideways: Bool, width: Int, height: Int) {
        // Fill: a slow gradient with gentle waves (no curvature to speak of); picture: noise.
        let band = (sideways ? width : height) / 4
        var values = [Float](repeating: 0, count: width * height)
        var state: UInt64 = 11
        for y in 0..<height {
            for x in 0..<width {
                let along = Float(sideways ? x : y), across = Float(sideways ? y : x)
                let inFill = Int(along) < band || Int(along) >= (sideways ? width : height) - band
                if inFill {
                    let ramp: Float = 0.2 * along / Float(sideways ? width : height)
                    let wave: Float = 0.05 * sin(across / 40)
                    values[y * width + x] = 0.3 + ramp + wave
                } else {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    values[y * width + x] = 0.2 + 0.6 * Float(state >> 40) / Float(1 << 24)
                }
            }
        }
        let image = PlanarImage(width: width, height: height, colorModel: .gray, planes: [values])
        guard let bounds = image.fillBounds() else {
            Issue.record("no fill found")
            return
        }
        let start = sideways ? bounds.x : bounds.y, length = sideways ? bounds.width : bounds.height
        let side = sideways ? width : height
        #expect(abs(start - band) <= 2 && abs(length - (side - 2 * band)) <= 4, "\(bounds)")
        #expect(image.pictureBounds() == bounds)
    }

    /// A picture padded to a square by replicating its edge rows outwards (`edge` padding):
    /// the padding keeps the edge row's detail along it but is constant across.
    @Test func findsThePictureInsideReplicatedEdges() {
        let width = 300, height = 300, top = 75, pictureHeight = 150
        var state: UInt64 = 21
        var picture = [Float](repeating: 0, count: width * pictureHeight)
        for i in picture.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            picture[i] = 0.2 + 0.6 * Float(state >> 40) / Float(1 << 24)
        }
        let values = (0..<(width * height)).map { i -> Float in
            let row = min(max(i / width - top, 0), pictureHeight - 1)
            return picture[row * width + i % width]
        }
        let image = PlanarImage(width: width, height: height, colorModel: .gray, planes: [values])
        #expect(image.contentBounds() == PixelRect(x: 0, y: 0, width: width, height: height))
        guard let bounds = image.fillBounds() else {
            Issue.record("no fill found")
            return
        }
        #expect(abs(bounds.y - top) <= 2 && abs(bounds.height - pictureHeight) <= 4 && bounds.width == width, "\(bounds)")
    }

    /// One smooth band (a sky above a landscape), or an image smooth everywhere, is not fill.
    @Test func aSkyOrASmoothImageIsNotFill() {
        let width = 400, height = 300
        var state: UInt64 = 5
        let sky = (0..<(width * height)).map { i -> Float in
            let y = i / width
            guard y >= 90 else { return 0.6 + 0.001 * Float(y) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return 0.2 + 0.5 * Float(state >> 40) / Float(1 << 24)
        }
        #expect(PlanarImage(width: width, height: height, colorModel: .gray, planes: [sky]).fillBounds() == nil)
        let gradient = (0..<(width * height)).map { Float($0 % width) / Float(width) }
        #expect(PlanarImage(width: width, height: height, colorModel: .gray, planes: [gradient]).fillBounds() == nil)
    }

    @Test func lossyNoiseInTheBorderIsTolerated() {
        var image = Self.canvas(width: 200, height: 200, fill: 1, picture: PixelRect(x: 0, y: 50, width: 200, height: 100))
        // ±1 level of codec noise in the padding.
        for i in 0..<(200 * 50) where i % 7 == 0 { image.planes[1][i] = 1 - 1.0 / 255 }
        #expect(image.contentBounds() == PixelRect(x: 0, y: 50, width: 200, height: 100))
    }
}
