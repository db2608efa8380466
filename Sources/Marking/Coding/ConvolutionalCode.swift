/// The rate-1/3, constraint-length-7 convolutional code with generators 133, 171, 165 (octal) —
/// the code of 3GPP LTE's control channels, free distance 15 — with a zero tail, decoded by a
/// soft-decision Viterbi decoder.
///
/// Soft values follow one convention throughout tracemark: a positive value says "this coded bit
/// is 1", its magnitude says how sure. The decoder returns the information word whose codeword
/// maximises Σ (2c − 1)·soft, i.e. the maximum-likelihood word under Gaussian noise.
///
/// - Complexity: O(n · 2⁶) for n information bits.
public enum ConvolutionalCode {
    public static let constraintLength = 7
    public static let rate = 3
    static let generators: [UInt32] = [0o133, 0o171, 0o165]
    static let stateCount = 1 << (constraintLength - 1)
    static let tailLength = constraintLength - 1

    /// Coded length for `informationBits` bits, tail included.
    public static func codedLength(informationBits: Int) -> Int {
        (informationBits + tailLength) * rate
    }

    /// Branch outputs as ±1 for each (new state s, dropped bit), `rate` per branch, shared by both
    /// decoders: new state s = (input << 5) | (old >> 1), old = ((s << 1) & 63) | dropped.
    static let branchSigns: [Float] = {
        var signs = [Float](repeating: 0, count: stateCount * 2 * rate)
        for s in 0..<stateCount {
            for dropped in 0..<2 {
                let old = UInt32((s << 1) & (stateCount - 1) | dropped)
                let (a, b, c) = outputs(register: UInt32(s >> 5) << 6 | old)
                let base = (s * 2 + dropped) * rate
                signs[base] = a == 1 ? 1 : -1
                signs[base + 1] = b == 1 ? 1 : -1
                signs[base + 2] = c == 1 ? 1 : -1
            }
        }
        return signs
    }()

    /// The three output bits for a shift register holding `register` (newest bit in bit 6).
    @inline(__always)
    static func outputs(register: UInt32) -> (UInt8, UInt8, UInt8) {
        (parity(register & generators[0]), parity(register & generators[1]), parity(register & generators[2]))
    }

    @inline(__always)
    static func parity(_ x: UInt32) -> UInt8 { UInt8(x.nonzeroBitCount & 1) }

    /// Encodes 0/1 bits, appending the zero tail that returns the encoder to state 0.
    public static func encode(_ bits: [UInt8]) -> [UInt8] {
        var coded = [UInt8]()
        coded.reserveCapacity(codedLength(informationBits: bits.count))
        var state: UInt32 = 0  // the last 6 input bits, newest in bit 5
        for bit in bits + [UInt8](repeating: 0, count: tailLength) {
            let register = UInt32(bit & 1) << 6 | state
            let (a, b, c) = outputs(register: register)
            coded.append(a); coded.append(b); coded.append(c)
            state = register >> 1
        }
        return coded
    }

    /// Soft-decision Viterbi decoding of a zero-tailed codeword.
    /// - Parameter soft: `codedLength(informationBits:)` soft values (positive means 1).
    /// - Returns: the most likely information bits (tail removed).
    public static func decode(_ soft: [Float], informationBits: Int) -> [UInt8] {
        let steps = informationBits + tailLength
        precondition(soft.count == steps * rate, "soft input length must match the coded length")
        let states = stateCount
        var metric = [Float](repeating: -.infinity, count: states)
        var next = [Float](repeating: -.infinity, count: states)
        metric[0] = 0
        // decisions[step * states + s] = the bit shifted out (oldest) on the best path into s.
        var decisions = [UInt8](repeating: 0, count: steps * states)
        let branchSigns = Self.branchSigns
        for step in 0..<steps {
            let s0 = soft[step * rate], s1 = soft[step * rate + 1], s2 = soft[step * rate + 2]
            let tail = step >= informationBits
            for s in 0..<states {
                if tail && s >> 5 == 1 {  // the tail only feeds zeros
                    next[s] = -.infinity
                    continue
                }
                var best = -Float.infinity
                var bestDropped: UInt8 = 0
                for dropped in 0..<2 {
                    let old = (s << 1) & (states - 1) | dropped
                    let base = (s * 2 + dropped) * rate
                    let candidate = metric[old] + branchSigns[base] * s0 + branchSigns[base + 1] * s1 + branchSigns[base + 2] * s2
                    if candidate > best {
                        best = candidate
                        bestDropped = UInt8(dropped)
                    }
                }
                next[s] = best
                decisions[step * states + s] = bestDropped
            }
            swap(&metric, &next)
        }
        // Trace back from state 0 (the tail forces it).
        var bits = [UInt8](repeating: 0, count: steps)
        var state = 0
        for step in stride(from: steps - 1, through: 0, by: -1) {
            bits[step] = UInt8(state >> 5)
            state = (state << 1) & (states - 1) | Int(decisions[step * states + state])
        }
        return Array(bits[0..<informationBits])
    }

    /// List Viterbi decoding (parallel list Viterbi: the `listSize` best paths into every state):
    /// the `listSize` most likely information words of a zero-tailed codeword, best first, all
    /// distinct. With `listSize` 1 it is ``decode(_:informationBits:)``.
    ///
    /// A CRC then picks the first word of the list that checks (Seshadri & Sundberg 1994): near
    /// the decoding threshold the right word is often second or third.
    /// - Complexity: O(n · 2⁶ · L log L) for n information bits and list size L.
    public static func listDecode(_ soft: [Float], informationBits: Int, listSize: Int) -> [[UInt8]] {
        precondition(listSize >= 1 && listSize <= 255)
        let steps = informationBits + tailLength
        precondition(soft.count == steps * rate, "soft input length must match the coded length")
        let states = stateCount, L = listSize
        // metric[s * L + r]: the r-th best path metric into state s (descending; −∞ when absent).
        var metric = [Float](repeating: -.infinity, count: states * L)
        var next = metric
        metric[0] = 0
        // For each (step, state, rank): the dropped bit and the predecessor's rank.
        var dropped = [UInt8](repeating: 0, count: steps * states * L)
        var fromRank = [UInt8](repeating: 0, count: steps * states * L)
        let branchSigns = Self.branchSigns
        var candidates = [(metric: Float, dropped: UInt8, rank: UInt8)]()
        candidates.reserveCapacity(2 * L)
        for step in 0..<steps {
            let s0 = soft[step * rate], s1 = soft[step * rate + 1], s2 = soft[step * rate + 2]
            let tail = step >= informationBits
            for s in 0..<states {
                let base = (step * states + s) * L
                for r in 0..<L { next[s * L + r] = -.infinity }
                if tail && s >> 5 == 1 { continue }  // the tail only feeds zeros
                candidates.removeAll(keepingCapacity: true)
                for bit in 0..<2 {
                    let old = (s << 1) & (states - 1) | bit
                    let signs = (s * 2 + bit) * rate
                    let branch = branchSigns[signs] * s0 + branchSigns[signs + 1] * s1 + branchSigns[signs + 2] * s2
                    for r in 0..<L where metric[old * L + r] > -.infinity {
                        candidates.append((metric[old * L + r] + branch, UInt8(bit), UInt8(r)))
                    }
                }
                candidates.sort { $0.metric > $1.metric }
                for (r, candidate) in candidates.prefix(L).enumerated() {
                    next[s * L + r] = candidate.metric
                    dropped[base + r] = candidate.dropped
                    fromRank[base + r] = candidate.rank
                }
            }
            swap(&metric, &next)
        }
        var words = [[UInt8]]()
        for rank in 0..<L where metric[rank] > -.infinity {
            var bits = [UInt8](repeating: 0, count: steps)
            var state = 0, r = rank
            for step in stride(from: steps - 1, through: 0, by: -1) {
                bits[step] = UInt8(state >> 5)
                let index = (step * states + state) * L + r
                state = (state << 1) & (states - 1) | Int(dropped[index])
                r = Int(fromRank[index])
            }
            words.append(Array(bits[0..<informationBits]))
        }
        return words
    }
}
