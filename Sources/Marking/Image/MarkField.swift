/// Renders the periodic chip grid at image resolution: chip (i, j) centred at pixel
/// (i·c, j·c), bilinear in between, repeating every 32 chips.
enum MarkField {
    /// - Complexity: O(width · height), a handful of operations per pixel.
    static func render(chips: [Float], width: Int, height: Int, chipSize: Double) -> Plane {
        let n = TileLayout.chipsPerSide
        // Per column: the two chip columns and the weight of the right one.
        var column0 = [Int](repeating: 0, count: width), column1 = column0
        var columnWeight = [Float](repeating: 0, count: width)
        for x in 0..<width {
            let u = Double(x) / chipSize
            let i = Int(u.rounded(.down))
            column0[x] = i % n
            column1[x] = (i + 1) % n
            columnWeight[x] = Float(u - Double(i))
        }
        var values = [Float](repeating: 0, count: width * height)
        values.withUnsafeMutableBufferPointer { out in
            chips.withUnsafeBufferPointer { a in
                for y in 0..<height {
                    let v = Double(y) / chipSize
                    let j = Int(v.rounded(.down))
                    let row0 = (j % n) * n, row1 = ((j + 1) % n) * n
                    let fy = Float(v - Double(j))
                    for x in 0..<width {
                        let fx = columnWeight[x]
                        let top = a[row0 + column0[x]] + fx * (a[row0 + column1[x]] - a[row0 + column0[x]])
                        let bottom = a[row1 + column0[x]] + fx * (a[row1 + column1[x]] - a[row1 + column0[x]])
                        out[y * width + x] = top + fy * (bottom - top)
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: values)
    }
}
