/// glibc returns large freed blocks to the kernel (mmap/brk trimming), so a process that decodes
/// and analyses one image after another takes a fresh page fault on every page of every buffer,
/// every time: about 3 000 faults and a quarter of the detector's time per image, measured with
/// `perf stat -e page-faults`. Keeping freed memory for reuse (bounded by the peak working set)
/// cuts that 26-fold. Process-wide policy: executables opt in (the CLI and the benchmarks call
/// it first thing), the library never changes it behind a caller's back.
public enum AllocatorTuning {
    public static func keepFreedMemory() {
        #if os(Linux)
        _ = glibcMallopt(mmapThreshold, 32 << 20)
        _ = glibcMallopt(trimThreshold, 256 << 20)
        #endif
    }

    // <malloc.h> is not part of Swift's Glibc module: the function and its parameter numbers
    // (M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3) are declared here, as glibc defines them.
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
