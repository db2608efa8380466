import Crypto

/// Where one file's mark starts within the pattern's period: a keyed draw from the payload and a
/// fingerprint of the file's content, so that every file marked under a key carries the pattern
/// at its own cyclic shift (the image tile shifted by whole chips, the audio block rotated by
/// whole cells).
///
/// Why: the pattern is periodic and, but for the payload's chips, the same in every file marked
/// under a key. Marked at one origin, a few dozen marked files of one size, high-passed, averaged
/// and folded over the period, gave an estimate of the pilot good enough to subtract: 23 marked
/// 512² corpus images took the mark out of the 24th (0 of 24 still read, at 48 dB PSNR of
/// change), 11 marked corpus recordings out of the 12th (1 of 12 read, at 25 dB SNR). With the
/// origin drawn per file the average smears the pattern over its shifts: 24 of 24 and 12 of 12
/// (`docs/image-mark.md` and `docs/audio-mark.md`, Layout). It stops the plain average, not an
/// attacker who registers the files to one another first (for audio that works: Known limits).
/// The detector needs nothing new: it searches every cyclic offset of the pattern anyway (a crop
/// or an excerpt starts anywhere), so the false-positive model is unchanged.
///
/// The draw is deterministic — the same file, key and payload give the same marked file — and
/// unpredictable without the key (HMAC-SHA256 under a sub-key of the marking key).
struct PatternOrigin: Sendable {
    /// The sub-key's bytes (`SymmetricKey` is not `Sendable`).
    private let key: [UInt8]

    /// - Parameter mark: the mark's stream prefix, e.g. `image/v1`.
    init(key: MarkKey, mark: String) {
        let derived = HMAC<SHA256>.authenticationCode(for: Array("tracemark/\(mark)/origin".utf8),
                                                      using: SymmetricKey(data: key.bytes))
        self.key = Array(derived)
    }

    /// Samples of the content that enter the fingerprint (evenly strided; all of a short signal).
    static let fingerprintSamples = 4096

    /// A value in `0..<bound` for `payload` and the content `samples` (the image's luma, the
    /// audio's internal mix).
    func draw(payload: Payload, content samples: [Float], bound: Int) -> Int {
        precondition(bound > 0)
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: payload.bytes)
        let stride = max(1, samples.count / Self.fingerprintSamples)
        var picked = [UInt32]()
        picked.reserveCapacity(samples.count / stride + 1)
        for i in Swift.stride(from: 0, to: samples.count, by: stride) { picked.append(samples[i].bitPattern.littleEndian) }
        picked.withUnsafeBytes { mac.update(data: $0) }
        let digest = Array(mac.finalize())
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // The high half of value · bound: uniform to within 2⁻⁵⁰ for any bound used here.
        return Int(value.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `values`, a row-major `rows` × `columns` grid, shifted cyclically so that cell (r, c) takes
    /// the value of cell ((r + `rowShift`) mod rows, (c + `columnShift`) mod columns): the image
    /// tile's chips (32 × 32, shifted both ways) and the audio block's cells (64 × 32 bands,
    /// rotated along the cells) alike.
    static func shifted(_ values: [Float], rows: Int, columns: Int, rowShift: Int, columnShift: Int) -> [Float] {
        precondition(values.count == rows * columns)
        var out = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            let source = ((r + rowShift) % rows) * columns
            for c in 0..<columns { out[r * columns + c] = values[source + (c + columnShift) % columns] }
        }
        return out
    }
}
