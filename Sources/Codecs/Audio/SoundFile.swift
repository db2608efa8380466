internal import CSndFile
import Media

/// The one owner of a libsndfile `SNDFILE*`, opened over a memory stream.
///
/// `sf_close` runs exactly once: from ``close()`` when the caller needs its result (a writer
/// flushes the encoder and patches the header there), otherwise from `deinit` on every other path
/// (early returns, thrown errors). The stream whose pointer libsndfile holds as `user_data` is
/// kept alive by `stream`, which Swift releases only after `deinit` has closed the handle.
final class SoundFile {
    private var handle: OpaquePointer?
    private let stream: AnyObject
    /// What libsndfile reported at open (reading) or was asked for (writing).
    let info: SF_INFO
    /// The container, for error messages.
    let container: ContainerFormat

    private init(handle: OpaquePointer, info: SF_INFO, stream: AnyObject, container: ContainerFormat) {
        self.handle = handle
        self.info = info
        self.stream = stream
        self.container = container
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    /// Opens `stream` for reading; libsndfile detects the format from the content.
    static func open(reading stream: MemoryReadStream, container: ContainerFormat) throws(CodecError) -> SoundFile {
        var info = SF_INFO()
        var (io, userData) = stream.virtualIO()
        guard let handle = sf_open_virtual(&io, Int32(SFM_READ), &info, userData) else {
            throw .corrupt(format: container, reason: openFailureMessage())
        }
        return SoundFile(handle: handle, info: info, stream: stream, container: container)
    }

    /// Opens `stream` for writing in the format `info` describes, after `sf_format_check`.
    static func open(writing stream: MemoryWriteStream, info: SF_INFO, container: ContainerFormat) throws(CodecError) -> SoundFile {
        var info = info
        guard sf_format_check(&info) == SF_TRUE else {
            throw .encodeFailed(format: container, reason: "libsndfile cannot write \(info.channels) channel(s) at \(info.samplerate) Hz in this format")
        }
        var (io, userData) = stream.virtualIO()
        guard let handle = sf_open_virtual(&io, Int32(SFM_WRITE), &info, userData) else {
            throw .encodeFailed(format: container, reason: openFailureMessage())
        }
        return SoundFile(handle: handle, info: info, stream: stream, container: container)
    }

    /// A failed open has no handle to ask, so libsndfile keeps that error in a process-wide
    /// variable. Under concurrent opens the message may belong to another thread's failure; the
    /// *fact* of failure (a nil handle) is always ours, only the wording can be off.
    private static func openFailureMessage() -> String {
        String(cString: sf_strerror(nil))
    }

    /// libsndfile's message for the last error on this handle.
    var errorMessage: String {
        String(cString: sf_strerror(handle))
    }

    /// Whether the last operation on this handle left an error.
    var hasError: Bool {
        sf_error(handle) != SF_ERR_NO_ERROR
    }

    /// Sends a command whose argument is a value (`SFC_SET_COMPRESSION_LEVEL` takes a double,
    /// `SFC_SET_BITRATE_MODE` an int). Returns libsndfile's boolean answer.
    @discardableResult
    func command<Argument>(_ command: Int, _ argument: Argument) -> Bool {
        var argument = argument
        return withUnsafeMutableBytes(of: &argument) { raw in
            sf_command(handle, Int32(command), raw.baseAddress, Int32(raw.count)) == SF_TRUE
        }
    }

    /// Sends a command whose argument is passed in the size field (`SFC_SET_CLIPPING`).
    @discardableResult
    func command(_ command: Int, flag: Bool) -> Bool {
        sf_command(handle, Int32(command), nil, flag ? Int32(SF_TRUE) : Int32(SF_FALSE)) == SF_TRUE
    }

    /// Reads up to `frames` interleaved frames; returns how many were read (0 at the end).
    func readFrames(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
    }

    /// Reads up to `frames` interleaved 16-bit frames (full scale ±32768); returns how many were
    /// read (0 at the end).
    func readFrames(into buffer: UnsafeMutablePointer<Int16>, frames: Int) -> Int {
        Int(sf_readf_short(handle, buffer, sf_count_t(frames)))
    }

    /// Writes `frames` interleaved frames; returns how many libsndfile accepted.
    func writeFrames(from buffer: UnsafePointer<Float>, frames: Int) -> Int {
        Int(sf_writef_float(handle, buffer, sf_count_t(frames)))
    }

    /// Writes `frames` interleaved 16-bit frames (full scale ±32768), which 16-bit PCM and FLAC
    /// store as they are; returns how many libsndfile accepted.
    func writeFrames(from buffer: UnsafePointer<Int16>, frames: Int) -> Int {
        Int(sf_writef_short(handle, buffer, sf_count_t(frames)))
    }

    /// Closes the handle and reports failure. Writers must call this: encoders flush their last
    /// packets and headers get their final sizes here, and only `sf_close` says whether that worked.
    func close() throws(CodecError) {
        guard let handle else { return }
        self.handle = nil
        try Self.check(sf_close(handle), container: container)
    }

    /// The one place a libsndfile status code becomes a Swift error.
    static func check(_ status: Int32, container: ContainerFormat) throws(CodecError) {
        guard status != SF_ERR_NO_ERROR else { return }
        throw .encodeFailed(format: container, reason: String(cString: sf_error_number(status)))
    }
}
