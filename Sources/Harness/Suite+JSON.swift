import Foundation
import Media

/// Suite files: JSON, for suites of one's own.
///
/// ```json
/// {
///   "name": "nightly",
///   "attacks": [
///     "none", "jpeg:75",
///     {"spec": "resize-short:256,center-crop:256x256,jpeg:75", "label": "training chain"},
///     {"spec": "excerpt:15", "trials": 3},
///     {"spec": "noise:5", "media": "image"},
///     {"spec": "rotate:15", "stretch": true}
///   ],
///   "sweeps": [
///     {"name": "JPEG quality", "axis": "quality", "points": ["jpeg:95", "jpeg:75", "jpeg:50"]},
///     {"name": "Noise", "media": "audio", "axis": "SNR, dB", "points": [{"spec": "noise:30", "value": 30}]}
///   ]
/// }
/// ```
/// An attack is a spec string or an object (`spec`, optional `label`, `media`, `trials`,
/// `stretch`). An attack without `media` runs on every media it applies to: `none` and `noise:X`
/// on both. A sweep point's value defaults to the spec's main parameter.
extension Suite {
    /// Reads a suite file's content.
    /// - Parameter name: used when the file has no `"name"`.
    /// - Throws: ``HarnessError/invalidSuite(_:)``.
    public init(json: [UInt8], name: String) throws(HarnessError) {
        let file: SuiteFile
        do {
            file = try JSONDecoder().decode(SuiteFile.self, from: Data(json))
        } catch {
            throw .invalidSuite("\(name): \(Self.describe(error))")
        }
        guard !file.attacks.isEmpty || !(file.sweeps ?? []).isEmpty else {
            throw .invalidSuite("\(name): no attacks and no sweeps")
        }
        try self.init(name: file.name ?? name, attacks: file.attacks, sweeps: file.sweeps ?? [])
    }

    /// A built-in suite by name, or a suite file's path.
    /// - Throws: ``HarnessError/invalidSuite(_:)``.
    public static func named(_ nameOrPath: String) throws(HarnessError) -> Suite {
        switch nameOrPath {
        case "quick": return quick
        case "standard": return standard
        default:
            guard let data = FileManager.default.contents(atPath: nameOrPath) else {
                throw .invalidSuite("\(nameOrPath): not quick, standard or a readable suite file")
            }
            let base = ((nameOrPath as NSString).lastPathComponent as NSString).deletingPathExtension
            return try Suite(json: [UInt8](data), name: base)
        }
    }

    /// A decoding error in one line, with the path of the field at fault.
    static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error as? DecodingError {
        case let .dataCorrupted(context)?: return "not valid JSON\(path(context)): \(context.debugDescription)"
        case let .keyNotFound(key, context)?: return "missing \"\(key.stringValue)\"\(path(context))"
        case let .typeMismatch(_, context)?: return "wrong type\(path(context)): \(context.debugDescription)"
        case let .valueNotFound(_, context)?: return "missing value\(path(context))"
        default: return "\(error)"
        }
    }
}

struct SuiteFile: Decodable {
    var name: String?
    var attacks: [SuiteAttack]
    var sweeps: [SweepDefinition]?

    enum CodingKeys: String, CodingKey { case name, attacks, sweeps }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        attacks = try container.decodeIfPresent([SuiteAttack].self, forKey: .attacks) ?? []
        sweeps = try container.decodeIfPresent([SweepDefinition].self, forKey: .sweeps)
    }
}

extension SuiteAttack {
    enum CodingKeys: String, CodingKey { case spec, label, media, trials, stretch }

    /// A spec string, or an object with `spec` and optional `label`, `media`, `trials`, `stretch`.
    public init(from decoder: any Decoder) throws {
        if let spec = try? decoder.singleValueContainer().decode(String.self) {
            self.init(spec)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(String.self, forKey: .spec),
                  label: try container.decodeIfPresent(String.self, forKey: .label),
                  media: try container.decodeIfPresent(MediaKind.self, forKey: .media),
                  trials: try container.decodeIfPresent(Int.self, forKey: .trials),
                  stretch: try container.decodeIfPresent(Bool.self, forKey: .stretch))
    }
}
