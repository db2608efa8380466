import Media

/// Where a scan's items come from.
public enum ScanSource: Sendable, Hashable {
    /// A media file, an archive (tar, tar.gz/bz2/xz/zst, zip) or a folder walked recursively.
    case path(String)
    /// A text file of paths, one per line, each treated as ``path(_:)``; `-` reads standard input.
    case pathList(String)
}

/// An item to decode, as the enumerator hands it to a worker.
enum WorkItem: Sendable {
    /// A media file on disk (its kind sniffed from its first bytes): the worker reads it.
    case file(path: String, kind: MediaKind)
    /// An archive member, already read (an archive is a stream: only its reader can get the bytes).
    case member(name: String, bytes: [UInt8])

    var name: String {
        switch self {
        case let .file(path, _): path
        case let .member(name, _): name
        }
    }
}
