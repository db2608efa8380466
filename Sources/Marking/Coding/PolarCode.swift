/// The (256, 80) polar code that carries both marks' information word (64 payload + 16 CRC bits),
/// decoded by CRC-aided successive-cancellation list decoding (Tal & Vardy 2015; the LLR form of
/// Balatsoukas-Stimming, Bastani Parizi & Burg 2015).
///
/// Why polar and not a convolutional code: at 80 information bits in 256 coded bits the marks
/// work near the code's threshold, and a list of 8 with the CRC choosing is about 1 dB closer to
/// the short-block limit than the K = 7 rate-1/3 code with Viterbi decoding this replaced
/// (`docs/image-mark.md`, "Error-correcting code"; AWGN simulation: at Eb/N0 = 0 dB 75 % of frames
/// decoded and below the detection threshold against 45 %).
///
/// Soft values follow tracemark's convention: a positive value says "this coded bit is 1", its
/// magnitude says how sure. Min-sum decoding makes the result independent of their scale.
///
/// ```
///  u (256 bits, natural order): frozen 0 except the 80 ``informationPositions``
///  x = u · F^{⊗8},  F = [1 0; 1 1]     (no bit reversal)
/// ```
public enum PolarCode {
    public static let length = 256
    static let depth = 8
    public static let informationBits = 80
    /// How many words the decoder keeps; the CRC picks the first that checks.
    public static let listSize = 8

    /// The 80 most reliable of the 256 bit channels, ascending, by the Gaussian approximation of
    /// density evolution (Trifonov 2012) at a design Es/N0 of −3 dB, near where the marks decode.
    /// Simulated over AWGN, designs at −4 … −2 dB decode equally well; 0 dB and above lose 0.3 dB
    /// or more. A table rather than a computation: the mark's format must not depend on rounding.
    static let informationPositions: [Int] = [
        63, 95, 111, 117, 118, 119, 121, 122, 123, 124, 125, 126, 127, 157, 158, 159, 171, 173, 174, 175,
        179, 181, 182, 183, 185, 186, 187, 188, 189, 190, 191, 199, 203, 205, 206, 207, 211, 212, 213, 214,
        215, 216, 217, 218, 219, 220, 221, 222, 223, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235,
        236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
    ]

    static let isFrozen: [Bool] = {
        var frozen = [Bool](repeating: true, count: length)
        for position in informationPositions { frozen[position] = false }
        return frozen
    }()

    /// Encodes 80 information bits (0/1) into 256 coded bits.
    public static func encode(_ bits: [UInt8]) -> [UInt8] {
        precondition(bits.count == informationBits, "the polar code carries \(informationBits) bits")
        var x = [UInt8](repeating: 0, count: length)
        for (bit, position) in zip(bits, informationPositions) { x[position] = bit & 1 }
        var half = 1
        while half < length {
            for start in stride(from: 0, to: length, by: 2 * half) {
                for i in start..<(start + half) { x[i] ^= x[i + half] }
            }
            half *= 2
        }
        return x
    }

    /// Successive-cancellation list decoding.
    /// - Parameters:
    ///   - soft: 256 soft values (positive means 1).
    ///   - listSize: paths kept; 1 is plain successive cancellation.
    /// - Returns: up to `listSize` distinct information words, the most likely (smallest path
    ///   metric) first.
    /// - Complexity: O(L · N log N) for N = 256 and list size L.
    public static func listDecode(_ soft: [Float], listSize: Int = listSize) -> [[UInt8]] {
        precondition(soft.count == length, "soft input length must be \(length)")
        precondition(listSize >= 1)
        var decoder = ListDecoder(listSize: listSize)
        // LLR convention inside: positive means 0.
        let channel = soft.map { -$0 }
        return decoder.decode(channel: channel)
    }
}

/// The working state of one SCL decode: every path's LLRs and partial sums, flat, per depth.
///
/// Depth d (1 … 8) holds the LLRs of the current block at that depth, N >> d values; partial sums
/// at depth d (0 … 7) hold the codeword bits of the block being assembled there, N >> d values
/// (its left child's bits in the first half until the right child completes it).
private struct ListDecoder {
    static let n = PolarCode.length
    static let depth = PolarCode.depth
    /// Offset of depth d's LLR block within a path's LLR storage (depths 1 … 8: 128 + 64 + … + 1).
    static let llrOffset: [Int] = (0...depth).map { d in d == 0 ? 0 : (1..<d).reduce(0) { $0 + (n >> $1) } }
    static let llrStride = n - 1
    /// Offset of depth d's partial sums (depths 0 … 7: 256 + 128 + … + 2).
    static let sumOffset: [Int] = (0..<depth).map { d in (0..<d).reduce(0) { $0 + (n >> $1) } }
    static let sumStride = 2 * n - 2

    let capacity: Int
    var active = 1
    var llr: [Float]
    var sums: [UInt8]
    var words: [UInt8]
    var metric: [Float]

    init(listSize: Int) {
        capacity = listSize
        llr = [Float](repeating: 0, count: listSize * Self.llrStride)
        sums = [UInt8](repeating: 0, count: listSize * Self.sumStride)
        words = [UInt8](repeating: 0, count: listSize * PolarCode.informationBits)
        metric = [Float](repeating: 0, count: listSize)
    }

    mutating func decode(channel: [Float]) -> [[UInt8]] {
        var informationIndex = 0
        for i in 0..<Self.n {
            for path in 0..<active { computeLeaf(i, path: path, channel: channel) }
            let leaf = Self.llrOffset[Self.depth]
            if PolarCode.isFrozen[i] {
                for path in 0..<active {
                    let l = llr[path * Self.llrStride + leaf]
                    if l < 0 { metric[path] -= l }
                    propagate(bit: 0, index: i, path: path)
                }
            } else {
                branch(index: i, informationIndex: informationIndex)
                informationIndex += 1
            }
        }
        let order = (0..<active).sorted { metric[$0] < metric[$1] }
        return order.map { path in
            Array(words[(path * PolarCode.informationBits)..<((path + 1) * PolarCode.informationBits)])
        }
    }

    /// Computes the LLR of bit i on one path, from the deepest block that bit i's decoding changed.
    private mutating func computeLeaf(_ i: Int, path: Int, channel: [Float]) {
        let n = Self.n, depth = Self.depth
        let start = i == 0 ? 0 : depth - 1 - i.trailingZeroBitCount
        llr.withUnsafeMutableBufferPointer { llr in
            sums.withUnsafeBufferPointer { sums in
                channel.withUnsafeBufferPointer { channel in
                    let base = path * Self.llrStride, sumBase = path * Self.sumStride
                    for d in start..<depth {
                        let size = n >> (d + 1)
                        let parent = d == 0 ? channel.baseAddress! : UnsafePointer(llr.baseAddress! + base + Self.llrOffset[d])
                        let child = llr.baseAddress! + base + Self.llrOffset[d + 1]
                        if (i >> (depth - d - 1)) & 1 == 0 {
                            for k in 0..<size {  // f: the left child sees a ⊕ b
                                let a = parent[k], b = parent[k + size]
                                let magnitude = min(abs(a), abs(b))
                                child[k] = (a < 0) != (b < 0) ? -magnitude : magnitude
                            }
                        } else {
                            let left = sums.baseAddress! + sumBase + Self.sumOffset[d]
                            for k in 0..<size {  // g: the right child, given the left's bits
                                let a = parent[k], b = parent[k + size]
                                child[k] = left[k] == 0 ? b + a : b - a
                            }
                        }
                    }
                }
            }
        }
    }

    /// Records bit i's decision on one path and folds completed blocks into their parents.
    private mutating func propagate(bit: UInt8, index i: Int, path: Int) {
        let n = Self.n
        sums.withUnsafeMutableBufferPointer { sums in
            let base = sums.baseAddress! + path * Self.sumStride
            var d = Self.depth, block = i
            var values: UnsafeMutablePointer<UInt8>? = nil
            var leafValue = bit
            while d > 0 {
                let size = n >> d
                let parent = base + Self.sumOffset[d - 1]
                if block & 1 == 0 {
                    if let values { parent.update(from: values, count: size) } else { parent[0] = leafValue }
                    return
                }
                for k in 0..<size {
                    let right = values?[k] ?? leafValue
                    parent[k] ^= right
                    parent[k + size] = right
                }
                values = parent
                leafValue = 0
                block >>= 1
                d -= 1
            }
        }
    }

    /// Splits every path on an information bit and keeps the `capacity` smallest metrics.
    private mutating func branch(index i: Int, informationIndex: Int) {
        let leaf = Self.llrOffset[Self.depth]
        var candidates = [(metric: Float, path: Int, bit: UInt8)]()
        candidates.reserveCapacity(2 * active)
        for path in 0..<active {
            let l = llr[path * Self.llrStride + leaf]
            candidates.append((metric[path] + (l < 0 ? -l : 0), path, 0))
            candidates.append((metric[path] + (l >= 0 ? l : 0), path, 1))
        }
        candidates.sort { $0.metric < $1.metric }
        let kept = candidates.prefix(capacity)
        // Copy the survivors' state into fresh storage (small: about 1.3 KB per path).
        let llrStride = Self.llrStride, sumStride = Self.sumStride, wordStride = PolarCode.informationBits
        var newLLR = llr, newSums = sums, newWords = words, newMetric = metric
        for (slot, candidate) in kept.enumerated() {
            let from = candidate.path
            if slot != from {
                newLLR.replaceSubrange((slot * llrStride)..<((slot + 1) * llrStride),
                                       with: llr[(from * llrStride)..<((from + 1) * llrStride)])
                newSums.replaceSubrange((slot * sumStride)..<((slot + 1) * sumStride),
                                        with: sums[(from * sumStride)..<((from + 1) * sumStride)])
                newWords.replaceSubrange((slot * wordStride)..<((slot + 1) * wordStride),
                                         with: words[(from * wordStride)..<((from + 1) * wordStride)])
            }
            newMetric[slot] = candidate.metric
            newWords[slot * wordStride + informationIndex] = candidate.bit
        }
        llr = newLLR; sums = newSums; words = newWords; metric = newMetric
        active = kept.count
        for slot in 0..<active { propagate(bit: kept[kept.startIndex + slot].bit, index: i, path: slot) }
    }
}
