import Attacks
import Media

/// The attacks a robustness run applies, and how some of them group into curves.
///
/// A suite is built from ``SuiteAttack`` items (a spec, optionally a label, the media it is for,
/// the number of seeded trials) and ``SweepDefinition``s (a family of specs with a strength each,
/// drawn as recovery-vs-strength curves). Building it checks every spec, fixes the media of each
/// attack and merges sweep points into the attack list: a point that is also a listed attack is
/// run once, a point that is not becomes an extra entry outside the table (``SuiteEntry/inTable``).
///
/// Built-in suites: ``quick`` and ``standard`` (see `Suite+BuiltIn.swift`); a JSON file is read
/// with ``init(json:name:)``.
public struct Suite: Sendable, Equatable {
    public var name: String
    /// Every attack to run, per media: first the listed attacks in order, then sweep-only points.
    public var entries: [SuiteEntry]
    public var sweeps: [Sweep]

    /// - Throws: ``HarnessError/invalidSuite(_:)`` for a spec that does not parse, an attack that
    ///   does not apply to the media named, or an attack listed twice.
    public init(name: String, attacks: [SuiteAttack], sweeps: [SweepDefinition] = []) throws(HarnessError) {
        self.name = name
        var entries: [SuiteEntry] = []
        for attack in attacks {
            for entry in try attack.resolved() {
                guard !entries.contains(where: { $0.id == entry.id }) else {
                    throw .invalidSuite("\(entry.id) is listed twice")
                }
                entries.append(entry)
            }
        }
        var resolvedSweeps: [Sweep] = []
        for definition in sweeps {
            let sweep = try definition.resolved()
            for (point, trials) in zip(sweep.points, definition.points.map { $0.trials ?? definition.trials }) {
                let id = SuiteEntry.id(media: sweep.media, spec: point.spec)
                if !entries.contains(where: { $0.id == id }) {
                    entries.append(SuiteEntry(media: sweep.media, chain: try Self.chain(point.spec),
                                              label: nil, trials: trials, stretch: false, inTable: false))
                }
            }
            resolvedSweeps.append(sweep)
        }
        self.entries = entries
        self.sweeps = resolvedSweeps
    }

    /// The entries for one kind of media, in suite order.
    public func entries(for kind: MediaKind) -> [SuiteEntry] {
        entries.filter { $0.media == kind }
    }

    static func chain(_ spec: String) throws(HarnessError) -> AttackChain {
        do {
            return try AttackChain(parsing: spec)
        } catch {
            throw .invalidSuite("\"\(spec)\": \(error)")
        }
    }
}

/// One attack of a resolved suite, for one kind of media.
public struct SuiteEntry: Sendable, Equatable {
    public var media: MediaKind
    public var chain: AttackChain
    /// A name for people (`training chain`); `nil` shows the spec.
    public var label: String?
    /// Seeded repetitions per file (an excerpt at several random offsets); each counts once in
    /// the recovery rate.
    public var trials: Int
    /// Beyond the targets: shown, but a miss is expected.
    public var stretch: Bool
    /// Listed as an attack of its own (bar chart, summary); `false` for a point that only a sweep
    /// asked for.
    public var inTable: Bool

    /// The canonical spec (`none` for no attack).
    public var spec: String { chain.description }
    /// `image jpeg:75`: unique within a suite.
    public var id: String { Self.id(media: media, spec: spec) }

    static func id(media: MediaKind, spec: String) -> String { "\(media.rawValue) \(spec)" }
}

/// An attack as written in a suite: before the media is fixed and the spec checked.
public struct SuiteAttack: Sendable, Equatable, Codable {
    public var spec: String
    public var label: String?
    /// `nil`: every media the chain applies to (`none` and `noise:X` apply to both).
    public var media: MediaKind?
    public var trials: Int?
    public var stretch: Bool?

    public init(_ spec: String, label: String? = nil, media: MediaKind? = nil, trials: Int? = nil, stretch: Bool? = nil) {
        self.spec = spec
        self.label = label
        self.media = media
        self.trials = trials
        self.stretch = stretch
    }

    func resolved() throws(HarnessError) -> [SuiteEntry] {
        let chain = try Suite.chain(spec)
        let trials = self.trials ?? 1
        guard (1...100).contains(trials) else { throw .invalidSuite("\"\(spec)\": trials must be 1...100, not \(trials)") }
        let kinds = try Self.kinds(of: chain, named: media, spec: spec)
        return kinds.map {
            SuiteEntry(media: $0, chain: chain, label: label, trials: trials, stretch: stretch ?? false, inTable: true)
        }
    }

    /// The media `chain` applies to, restricted to `named` when given.
    static func kinds(of chain: AttackChain, named: MediaKind?, spec: String) throws(HarnessError) -> [MediaKind] {
        let kinds = [MediaKind.image, .audio].filter { kind in chain.steps.allSatisfy { $0.applies(to: kind) } }
        if kinds.isEmpty { throw .invalidSuite("\"\(spec)\" mixes image and audio attacks") }
        if let named {
            guard kinds.contains(named) else { throw .invalidSuite("\"\(spec)\" does not apply to \(named.rawValue)") }
            return [named]
        }
        return kinds
    }
}
