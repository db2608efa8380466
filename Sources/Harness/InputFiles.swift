import Codecs
import Foundation
import Media

/// An input of a robustness run: a file named on the command line, or found under a folder.
public struct InputFile: Sendable, Equatable {
    public var path: String
    /// Named by the user: a file that is not media is then a failure, not silently skipped.
    public var explicit: Bool

    public init(path: String, explicit: Bool) {
        self.path = path
        self.explicit = explicit
    }

    /// The file name, which seeds the payload and the attacks (not the folder, so moving the
    /// corpus does not change the results).
    public var name: String { (path as NSString).lastPathComponent }
}

public enum InputFiles {
    /// `paths` with every folder replaced by the files under it (recursively, sorted, hidden
    /// files and folders left out). Each file appears once.
    /// - Throws: ``HarnessError/input(path:reason:)`` for a path that does not exist or a folder
    ///   that cannot be listed.
    public static func collect(_ paths: [String]) throws(HarnessError) -> [InputFile] {
        var files: [InputFile] = []
        var seen = Set<String>()
        func add(_ file: InputFile) {
            let key = URL(fileURLWithPath: file.path).standardizedFileURL.path
            if seen.insert(key).inserted { files.append(file) }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .input(path: path, reason: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                add(InputFile(path: path, explicit: true))
                continue
            }
            for file in try walk(path) { add(InputFile(path: file, explicit: false)) }
        }
        return files
    }

    private static func walk(_ folder: String) throws(HarnessError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw .input(path: folder, reason: "cannot list the folder")
        }
        var files: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files += try walk(path)
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// The media kind of a file from its first bytes; `nil` when it is not media or unreadable.
    static func sniff(_ path: String) -> ContainerFormat? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 64) else { return nil }
        return FormatSniffer.format(of: [UInt8](head))
    }
}
