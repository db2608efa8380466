import Codecs
import Foundation

/// Turns the scan's sources into work items, on one thread, ahead of the workers by at most the
/// queue's capacity.
///
/// ```
/// source ─┬─ folder ──walk──┐
///         ├─ list ──lines───┼─→ file ─ shard? ─ done? ─ sniff 512 B ─┬─ media ───→ queue (path)
///         └─ path ──────────┘                                        ├─ archive ─→ members ─ done? ─ sniff ─┬─ media → queue (bytes)
///                                                                    └─ other ───→ skipped                  └─ other → skipped
/// ```
///
/// A file or an archive is the unit of sharding and of progress; an archive's members are read
/// in order (a stream has no other order) and handed over as bytes.
struct ItemEnumerator {
    let options: ScanOptions
    let done: ItemNameSet
    let queue: BoundedQueue<WorkItem>
    let reporter: ScanReporter

    func run(_ sources: [ScanSource]) throws(ScanError) {
        for source in sources {
            guard !reporter.isStopped else { return }
            switch source {
            case let .path(path):
                visit(path)
            case let .pathList(list):
                do {
                    try PathListReader.forEachPath(in: list, shouldStop: { reporter.isStopped }) { visit($0) }
                } catch {
                    throw error as? ScanError ?? .io(path: list, reason: "\(error)")
                }
            }
        }
    }

    /// A path as given: a folder to walk, or a file.
    private func visit(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            DirectoryWalker.walk(path, shouldStop: { reporter.isStopped }, file: visitFile,
                                 failure: { fail($0.pathName ?? path, kind: nil, $0) })
        } else {
            visitFile(path)  // a missing path fails there, as an item, with its cause
        }
    }

    private func visitFile(_ path: String) {
        guard options.shard?.contains(path) ?? true else { return }
        var handedOver = false  // a media file is done when its worker has reported it
        defer { if !handedOver { reporter.inputDone() } }
        guard !done.contains(path) else { return }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            return reporter.report(.failure(path, kind: nil, error: ScanError.io(path: path, reason: "not a regular file or folder")))
        }
        let head: [UInt8]
        do { head = try FileReader.head(of: path, count: ContentSniffer.headerLength) } catch {
            return reporter.report(.failure(path, kind: nil, error: error))
        }
        switch ContentSniffer.sniff(head) {
        case let .media(format): handedOver = queue.push(.file(path: path, kind: format.kind))
        case .archive: visitArchive(path)
        case .other: reporter.reportSkipped(path)
        }
    }

    /// Reads `path`'s members in order. A damaged member ends the archive (a stream cannot be
    /// resynchronised): the member is reported with the cause, or the archive itself when the
    /// damage is in a header.
    private func visitArchive(_ path: String) {
        let archive: ArchiveReader
        do { archive = try ArchiveReader(path: path) } catch {
            return reporter.report(.failure(path, kind: "archive", error: error))
        }
        while !reporter.isStopped {
            let member: ArchiveReader.Member
            do {
                guard let next = try archive.nextMember() else { return }
                member = next
            } catch {
                return reporter.report(.failure(path, kind: "archive", error: error))
            }
            let name = "\(path)#\(member.path)"
            var kind: String?
            do {
                if done.contains(name) {
                    try archive.skipRest()
                    continue
                }
                if let size = member.size, size > options.maxItemBytes {
                    throw ScanError.itemTooLarge(bytes: size, limit: options.maxItemBytes)
                }
                let head = try archive.read(upTo: FormatSniffer.headerLength)
                guard let format = FormatSniffer.format(of: head) else {
                    reporter.reportSkipped(name)
                    try archive.skipRest()
                    continue
                }
                kind = format.kind.rawValue
                let bytes = try archive.readRest(after: head, expectedSize: member.size, limit: options.maxItemBytes)
                queue.push(.member(name: name, bytes: bytes))
            } catch ScanError.itemTooLarge(let bytes, let limit) {
                reporter.report(.failure(name, kind: kind, error: ScanError.itemTooLarge(bytes: bytes, limit: limit)))
                do { try archive.skipRest() } catch {
                    return reporter.report(.failure(path, kind: "archive", error: error))
                }
            } catch {
                return reporter.report(.failure(name, kind: kind, error: error))
            }
        }
    }

    private func fail(_ name: String, kind: String?, _ error: ScanError) {
        guard options.shard?.contains(name) ?? true, !done.contains(name) else { return }
        reporter.report(.failure(name, kind: kind, error: error))
    }
}

extension ScanError {
    /// The path an I/O or archive error names.
    var pathName: String? {
        switch self {
        case let .io(path, _), let .archive(path, _): path
        default: nil
        }
    }
}
