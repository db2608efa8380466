/// The message buffer every C shim entry point (libpng, libjpeg, libavformat) writes its reason
/// for failing into.
enum ShimMessage {
    /// Room for the longest library message (libjpeg's JMSG_LENGTH_MAX is 200).
    static let capacity = 256

    /// Runs a shim call with a zeroed message buffer of ``capacity``; its result and the message
    /// (empty if it wrote none).
    static func calling<Result>(_ body: (UnsafeMutablePointer<CChar>, Int) -> Result) -> (Result, String) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            buffer.initialize(repeating: 0)
            let result = body(buffer.baseAddress!, capacity)
            return (result, String(cString: buffer.baseAddress!))
        }
    }
}
