import Foundation
import Testing

/// Locates the shared corpus of real media (`../shared/corpus` beside the repository) and the
/// bundled `Samples/`. Tests that need the corpus are skipped, with a message, when it is absent:
/// `@Test(.enabled(if: Corpus.isAvailable, Corpus.skipMessage))`.
public enum Corpus {
    /// The repository's root, found from this file's location (Tests/TestSupport/Corpus.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `TRACEMARK_CORPUS` if set, else `../shared/corpus` beside the repository.
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["TRACEMARK_CORPUS"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("images").path)
    }

    public static let skipMessage: Comment = "shared corpus not found at ../shared/corpus (set TRACEMARK_CORPUS)"

    public static func image(_ name: String) -> URL { root.appendingPathComponent("images/\(name)") }
    public static func audio(_ name: String) -> URL { root.appendingPathComponent("audio/\(name)") }

    /// Every file in the corpus's images or audio folder, sorted by name.
    public static func files(in folder: String) -> [URL] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    public static func sample(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Samples/\(name)")
    }

    /// A file the tests cannot build themselves, in `Tests/Fixtures/` (see its README).
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/\(name)")
    }

    /// The bytes of a file, or a test failure that names it.
    public static func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }
}
