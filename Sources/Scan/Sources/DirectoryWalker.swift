import Foundation

/// Walks a folder tree depth-first, streaming: it holds one open directory handle per level and
/// never a list of entries, so a folder of ten million files costs no more memory than one of ten.
///
/// Entries come in the order the file system returns them (not sorted: sorting needs the whole
/// listing). Symbolic links to files are followed; links to folders are not (no cycles, no
/// visited set).
enum DirectoryWalker {
    /// Calls `file` with the path of every regular file under `root` (`root/sub/name`), and
    /// `failure` for every folder that cannot be listed. Stops early when `shouldStop` says so.
    static func walk(_ root: String, shouldStop: () -> Bool,
                     file: (String) throws -> Void, failure: (ScanError) throws -> Void) rethrows {
        var stack: [(handle: OpaquePointer, path: String)] = []
        defer { for level in stack { closedir(level.handle) } }
        let base = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        guard let top = opendir(base) else { return try failure(.io(path: base, reason: errnoText())) }
        stack.append((top, base))

        while let level = stack.last, !shouldStop() {
            errno = 0
            guard let entry = readdir(level.handle) else {
                if errno != 0 { try failure(.io(path: level.path, reason: "cannot list: \(errnoText())")) }
                closedir(level.handle)
                stack.removeLast()
                continue
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = level.path == "/" ? "/\(name)" : "\(level.path)/\(name)"
            switch kind(of: entry.pointee.d_type, path: path) {
            case .directory:
                if let handle = opendir(path) {
                    stack.append((handle, path))
                } else {
                    try failure(.io(path: path, reason: "cannot list: \(errnoText())"))
                }
            case .file:
                try file(path)
            case .other:
                continue
            }
        }
    }

    private enum EntryKind { case directory, file, other }

    // dirent.d_type values (<dirent.h>).
    private static let typeUnknown: UInt8 = 0, typeDirectory: UInt8 = 4, typeRegular: UInt8 = 8, typeLink: UInt8 = 10

    private static func kind(of type: UInt8, path: String) -> EntryKind {
        switch type {
        case typeDirectory: return .directory
        case typeRegular: return .file
        case typeLink, typeUnknown:
            var info = stat()
            if type == typeUnknown {
                guard lstat(path, &info) == 0 else { return .other }
                if (info.st_mode & S_IFMT) == S_IFDIR { return .directory }
                if (info.st_mode & S_IFMT) == S_IFREG { return .file }
                if (info.st_mode & S_IFMT) != S_IFLNK { return .other }
            }
            // A link: followed to a file, never to a folder.
            guard stat(path, &info) == 0 else { return .other }
            return (info.st_mode & S_IFMT) == S_IFREG ? .file : .other
        default:
            return .other
        }
    }
}
