import Foundation
import Media

/// What a header-only look at a media file tells.
public enum MediaInfo: Sendable, Equatable {
    case image(ImageInfo)
    case audio(AudioInfo)
}

/// Reading, recognising, decoding and atomically writing media files. The kind of a file is always
/// decided by its content, never by its name.
public enum MediaFile {
    /// The whole file's bytes. Throws ``CodecError/io(reason:)`` naming the cause.
    public static func readBytes(atPath path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        // Linux opens a directory for reading and fails only at the first read, with an opaque
        // Foundation error: say what it is before trying.
        if exists, isDirectory.boolValue { throw CodecError.io(reason: "is a directory") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CodecError.io(reason: exists ? "permission denied" : "no such file")
        }
        defer { close(descriptor) }
        // Straight into the array, sized from the file's status: read into `Data` and copied, a
        // 30-MB WAV cost two buffers' page faults and a copy (a tenth of an unmarked 3-min
        // detection went to faults and copies). One byte more than the size shows a file that
        // grew while it was read; the rest is then read in pieces.
        var status = stat()
        let expected = fstat(descriptor, &status) == 0 ? max(0, Int(status.st_size)) : 0
        var bytes = try [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            count = try readFully(descriptor, into: buffer)
        }
        var filled = bytes.count == expected + 1
        while filled {
            let more = try [UInt8](unsafeUninitializedCapacity: 1 << 20) { buffer, count in
                count = try readFully(descriptor, into: buffer)
            }
            bytes += more
            filled = more.count == 1 << 20
        }
        return bytes
    }

    /// Reads until `buffer` is full or the file ends; the bytes read.
    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        var count = 0
        while count < buffer.count {
            let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            if got < 0 {
                if errno == EINTR { continue }
                throw CodecError.io(reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            count += got
        }
        return count
    }

    /// Header-only properties of an image or audio file.
    public static func probe(_ bytes: [UInt8]) throws -> MediaInfo {
        guard let format = FormatSniffer.format(of: bytes) else { throw CodecError.unrecognizedFormat }
        switch format.kind {
        case .image: return .image(try ImageCodec.probe(bytes))
        case .audio: return .audio(try AudioCodec.probe(bytes))
        }
    }

    /// Decodes an image or audio file, whichever its content is.
    public static func decode(_ bytes: [UInt8], imageOptions: ImageDecodeOptions = .init()) throws -> DecodedMedia {
        guard let format = FormatSniffer.format(of: bytes) else { throw CodecError.unrecognizedFormat }
        switch format.kind {
        case .image: return .image(try ImageCodec.decode(bytes, options: imageOptions))
        case .audio: return .audio(try AudioCodec.decode(bytes))
        }
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the whole new one: a
    /// temporary file in the same directory, flushed to disk, then renamed over the target.
    /// - Parameter permissions: the new file's mode before the umask (`0o600` for key files).
    public static func writeAtomically(_ bytes: [UInt8], toPath path: String, permissions: mode_t = 0o644) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw CodecError.io(reason: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let written = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        let errorText = String(cString: strerror(errno))
        guard written, fsync(fd) == 0 else {
            close(fd)
            throw CodecError.io(reason: "cannot write \(path): \(errorText)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw CodecError.io(reason: "cannot rename into \(path): \(String(cString: strerror(errno)))")
        }
        ok = true
    }
}
