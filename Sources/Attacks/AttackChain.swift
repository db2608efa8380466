import Media

/// Attacks applied one after another, as in `resize:0.75,crop:0.8,jpeg:75`.
///
/// Deterministic: the same chain, media and seed always give the same result. Step `i` draws its
/// randomness (crop position, noise, excerpt start) from its own seed derived from `seed` and `i`,
/// so two steps never share a random stream.
public struct AttackChain: Sendable, Equatable, CustomStringConvertible {
    public var steps: [Attack]

    public init(steps: [Attack]) {
        self.steps = steps
    }

    /// Parses a comma-separated list of specs. `""` and `"none"` give the empty chain (no attack).
    ///
    /// Names do not depend on the media: `noise:X` is stored as ``Attack/noise(sigma:)`` and read
    /// as σ in 8-bit levels on an image, as an SNR in dB on audio.
    /// - Throws: ``AttackError/invalidSpec(_:)`` or ``AttackError/invalidParameter(_:)`` for the
    ///   first step that does not parse.
    public init(parsing spec: String) throws(AttackError) {
        let trimmed = spec.trimmingSpaces
        if trimmed.isEmpty || trimmed.lowercased() == "none" {
            steps = []
            return
        }
        var steps: [Attack] = []
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let step = String(item).trimmingSpaces
            guard !step.isEmpty else { throw .invalidSpec("empty step in \"\(spec)\"") }
            steps.append(try Attack(parsing: step))
        }
        self.steps = steps
    }

    /// The specs joined by commas; `none` for the empty chain.
    public var description: String {
        steps.isEmpty ? "none" : steps.map(\.description).joined(separator: ",")
    }

    /// The chain applied to an image or to audio.
    /// - Throws: ``AttackError/notApplicable(attack:kind:)`` when a step is for the other kind,
    ///   ``AttackError/invalidParameter(_:)`` when a step cannot apply to this media (a crop
    ///   larger than the image), or the codec's error from `jpeg`, `mp3` ….
    public func apply(to media: DecodedMedia, seed: UInt64) throws -> DecodedMedia {
        switch media {
        case let .image(image): .image(try apply(to: image, seed: seed))
        case let .audio(audio): .audio(try apply(to: audio, seed: seed))
        }
    }

    /// The chain applied to an image. Every step is checked before any runs, so a chain that
    /// mixes in an audio attack fails at once rather than after a slow step.
    public func apply(to image: PlanarImage, seed: UInt64) throws -> PlanarImage {
        try check(kind: .image)
        var result = image
        for (index, step) in steps.enumerated() {
            result = try step.apply(to: result, seed: AttackRandom.derivedSeed(seed, stream: UInt64(index)))
        }
        return result
    }

    /// The chain applied to audio. Every step is checked before any runs.
    public func apply(to audio: AudioBuffer, seed: UInt64) throws -> AudioBuffer {
        try check(kind: .audio)
        var result = audio
        for (index, step) in steps.enumerated() {
            result = try step.apply(to: result, seed: AttackRandom.derivedSeed(seed, stream: UInt64(index)))
        }
        return result
    }

    private func check(kind: MediaKind) throws(AttackError) {
        if let step = steps.first(where: { !$0.applies(to: kind) }) {
            throw .notApplicable(attack: step.description, kind: kind)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation needed).
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
