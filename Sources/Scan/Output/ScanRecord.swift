/// One scanned item: one JSON line of the scan's output.
///
/// ```json
/// {"detected":true,"false_positive_probability":2.1e-31,"item":"00017.tar#a1b2.jpg",
///  "key_id":"9f86d081","kind":"image","payload":"00000000cafef00d"}
/// {"detected":false,"error":"corrupt JPEG: Premature end of JPEG file","error_kind":"corrupt",
///  "false_positive_probability":null,"item":"img/broken.jpg","key_id":null,"kind":"image","payload":null}
/// ```
///
/// With several keys the line describes the best key — the one with the smallest false-positive
/// probability — and `hits` lists every key that detected a mark, best first, when more than one
/// did. `false_positive_probability` is for the whole key set (Bonferroni: the best key's value
/// times the number of keys), so `detected` keeps its meaning however many keys are checked.
public struct ScanRecord: Sendable, Codable, Equatable {
    /// The path, or `archive#member` for an archive member.
    public var item: String
    /// `image`, `audio`, or `archive` for a failure of the archive itself.
    public var kind: String?
    public var detected: Bool
    /// The payload as 16 hex digits, when detected and readable.
    public var payload: String?
    /// The best key's ``MarkKey/id``; `nil` when the item failed.
    public var keyID: String?
    /// `nil` when the item failed.
    public var falsePositiveProbability: Double?
    /// Every key that detected a mark, when more than one did.
    public var hits: [Hit]?
    /// Why the item could not be scanned.
    public var error: String?
    public var errorKind: ErrorKind?

    public struct Hit: Sendable, Codable, Equatable {
        public var keyID: String
        public var payload: String?
        public var falsePositiveProbability: Double

        enum CodingKeys: String, CodingKey {
            case keyID = "key_id", payload, falsePositiveProbability = "false_positive_probability"
        }
    }

    public init(item: String, kind: String?, detected: Bool, payload: String?, keyID: String?,
                falsePositiveProbability: Double?, hits: [Hit]? = nil, error: String? = nil,
                errorKind: ErrorKind? = nil) {
        self.item = item
        self.kind = kind
        self.detected = detected
        self.payload = payload
        self.keyID = keyID
        self.falsePositiveProbability = falsePositiveProbability
        self.hits = hits
        self.error = error
        self.errorKind = errorKind
    }

    /// A failed item.
    public static func failure(_ item: String, kind: String?, error: any Error) -> ScanRecord {
        let (errorKind, message) = ErrorKind.classify(error)
        return ScanRecord(item: item, kind: kind, detected: false, payload: nil, keyID: nil,
                          falsePositiveProbability: nil, error: message, errorKind: errorKind)
    }

    public var failed: Bool { error != nil }

    enum CodingKeys: String, CodingKey {
        case item, kind, detected, payload, hits, error
        case keyID = "key_id", falsePositiveProbability = "false_positive_probability", errorKind = "error_kind"
    }

    /// `payload`, `key_id` and `false_positive_probability` are always present (null when
    /// absent), `hits` and `error` only when there is something to say.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item, forKey: .item)
        try container.encode(kind, forKey: .kind)
        try container.encode(detected, forKey: .detected)
        try container.encode(payload, forKey: .payload)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(falsePositiveProbability, forKey: .falsePositiveProbability)
        try container.encodeIfPresent(hits, forKey: .hits)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encodeIfPresent(errorKind, forKey: .errorKind)
    }
}
