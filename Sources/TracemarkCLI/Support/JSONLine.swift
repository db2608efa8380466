import Foundation

/// One JSON object per line on standard output, keys sorted so that output is stable for scripts.
enum JSONLine {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSON has no infinities: write them as the strings the robustness report also reads back.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            preconditionFailure("JSON encoding of a plain report cannot fail")
        }
        return text
    }

    static func print(_ value: some Encodable) {
        Swift.print(encode(value))
    }
}

/// One line per failure on standard error: `tracemark: PATH: cause`.
enum Diagnostics {
    static func report(_ failure: any Error) {
        FileHandle.standardError.write(Data("tracemark: \(failure)\n".utf8))
    }
}
