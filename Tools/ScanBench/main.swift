// Corpus-scan benchmark: builds ≥ 10 000 JPEGs of 512×512 (10 % marked, 2 % broken, half in tar
// shards) in a temporary folder, scans them in-process, and prints items/s, peak memory, marks
// found, false detections, errors by cause, and the decode-only rate of the same items (the floor).
//
// Usage: ScanBench [--count N] [--jobs J] [--corpus DIR] [--keep]
// The corpus is built by a child process (so its memory does not count in the scan's peak) and
// removed at the end unless --keep (or --corpus names an existing one, which is reused).
import Foundation
import Synchronization
import Tracemark

AllocatorTuning.keepFreedMemory()  // the CLI's allocator policy, so the scan runs as the tool runs it

struct Arguments {
    var count = 10_000
    var jobs = 2
    var corpus: String?
    var keep = false
    var generateOnly = false

    init() {
        var rest = Array(CommandLine.arguments.dropFirst())
        while !rest.isEmpty {
            let flag = rest.removeFirst()
            switch flag {
            case "--count": count = Int(rest.removeFirst())!
            case "--jobs": jobs = Int(rest.removeFirst())!
            case "--corpus": corpus = rest.removeFirst()
            case "--keep": keep = true
            case "--generate-only": generateOnly = true
            default: fatalError("unknown argument \(flag); usage: ScanBench [--count N] [--jobs J] [--corpus DIR] [--keep]")
            }
        }
    }
}

let arguments = Arguments()
let benchKey = try! MarkKey(bytes: Array("tracemark scan benchmark key 32b".utf8))
let corpusDirectory = arguments.corpus ?? "\(NSTemporaryDirectory())tracemark-scanbench-\(arguments.count)"

if arguments.generateOnly {
    let root = ProcessInfo.processInfo.environment["TRACEMARK_CORPUS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    let folder = root.appendingPathComponent("images")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    try CorpusBuilder(directory: corpusDirectory, count: arguments.count, key: benchKey)
        .build(sources: names.map { folder.appendingPathComponent($0) })
    exit(0)
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

// 1. The corpus, built by a child process unless it exists.
let manifestPath = "\(corpusDirectory)/manifest.tsv"
let reused = FileManager.default.fileExists(atPath: manifestPath)
if !reused {
    print("building \(arguments.count) JPEGs in \(corpusDirectory) …")
    let start = ContinuousClock.now
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--generate-only", "--count", "\(arguments.count)", "--corpus", corpusDirectory]
    try child.run()
    child.waitUntilExit()
    guard child.terminationStatus == 0 else { fatalError("corpus generation failed") }
    print("  built in \(ContinuousClock.now - start)")
}
let expected: [String: Expectation] = try {
    var table = [String: Expectation]()
    for line in try String(contentsOfFile: manifestPath, encoding: .utf8).split(separator: "\n") {
        let fields = line.split(separator: "\t")
        let status = fields[1]
        table[String(fields[0])] = status.hasPrefix("marked ") ? .marked(String(status.dropFirst(7)))
            : status == "broken" ? .broken : .clean
    }
    return table
}()
let sources: [ScanSource] = [.path("\(corpusDirectory)/files"), .path("\(corpusDirectory)/shards")]

// 2. The scan, in-process, output written as JSON lines like the CLI does.
struct Tally {
    var found = 0, missed = 0, wrongPayload = 0, falseDetections = 0, brokenReported = 0, brokenMissed = 0
    var cleanFailed: [String] = []
    var missedItems: [String] = []
    var unknown = 0
}
let tally = Mutex(Tally())
let outputPath = "\(corpusDirectory)/scan.jsonl"
unlink(outputPath)
let writer = try JSONLinesWriter(appendingTo: outputPath)
let rssBefore = peakRSSMegabytes()
let cpuBefore = cpuSeconds()
let scanner = CorpusScanner(detectors: [KeyDetector(key: benchKey)], options: ScanOptions(jobs: arguments.jobs))
let summary = try scanner.run(sources) { record in
    try writer.write(record)
    tally.withLock { t in
        switch expected[record.item] {
        case let .marked(payload)?:
            if record.detected { if record.payload == payload { t.found += 1 } else { t.wrongPayload += 1 } } else { t.missed += 1; t.missedItems.append(record.item) }
        case .clean?:
            if record.detected { t.falseDetections += 1 }
            if record.failed { t.cleanFailed.append("\(record.item): \(record.error!)") }
        case .broken?:
            if record.failed { t.brokenReported += 1 } else { t.brokenMissed += 1 }
        case nil:
            t.unknown += 1
        }
    }
}
let rssAfterScan = peakRSSMegabytes()
let cpuPerItem = (cpuSeconds() - cpuBefore) / Double(summary.items)

// 3. The floor: the same pipeline, decoding only (read, unpack, sniff, decodeLuminance).
let floor = try CorpusScanner(detectors: [KeyDetector(key: benchKey)],
                              options: ScanOptions(jobs: arguments.jobs, decodeOnly: true)).run(sources) { _ in }

// 4. Report.
func perItem(_ seconds: Double) -> String { String(format: "%.2f", 1000 * seconds / Double(summary.items)) }
let t = tally.withLock { $0 }
let expectedMarked = expected.values.filter { if case .marked = $0 { true } else { false } }.count
let expectedBroken = expected.values.filter { $0 == .broken }.count
print("""
    corpus: \(expected.count) JPEGs 512×512 (\(expectedMarked) marked, \(expectedBroken) broken), \
    half in \(arguments.count / CorpusBuilder.shardSize + (arguments.count % CorpusBuilder.shardSize > 0 ? 1 : 0)) tar shards
    scan (--jobs \(arguments.jobs)): \(summary.items) items in \(String(format: "%.1f", summary.elapsedSeconds)) s \
    = \(String(format: "%.1f", summary.itemsPerSecond)) items/s; \(summary.skipped) non-media members skipped
    CPU time per item: \(String(format: "%.2f", cpuPerItem * 1000)) ms → \(arguments.jobs) otherwise idle cores \
    would scan \(String(format: "%.0f", Double(arguments.jobs) / cpuPerItem)) items/s (load average now \(loadAverage()))
    peak RSS: \(String(format: "%.1f", rssAfterScan)) MB (\(String(format: "%.1f", rssBefore)) MB before the scan)
    marked found: \(t.found) / \(expectedMarked)  (missed \(t.missed), wrong payload \(t.wrongPayload))
    false detections: \(t.falseDetections)
    broken reported with a cause: \(t.brokenReported) / \(expectedBroken)  (decoded anyway: \(t.brokenMissed)); \
    errors by cause: \(summary.errorsByCause.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    clean items that failed: \(t.cleanFailed.count)\(t.cleanFailed.prefix(3).map { "\n  \($0)" }.joined()); unknown items: \(t.unknown)
    worker time by stage (s, summed over workers): read \(String(format: "%.1f", summary.stageSeconds.read)), \
    decode \(String(format: "%.1f", summary.stageSeconds.decode)), \
    analyse \(String(format: "%.1f", summary.stageSeconds.analyse)), detect \(String(format: "%.1f", summary.stageSeconds.detect))
      per item: decode \(perItem(summary.stageSeconds.decode)) ms, analyse (key-independent) \(perItem(summary.stageSeconds.analyse)) ms, \
    detect (per key) \(perItem(summary.stageSeconds.detect)) ms
    decode-only floor (same pipeline, no detector, --jobs \(arguments.jobs)): \
    \(String(format: "%.1f", floor.itemsPerSecond)) items/s
    """)

// 5. Misses, looked at again: is the half-size (DCT-scaled) decode the cause?
if !t.missedItems.isEmpty {
    let detector = ImageDetector(key: benchKey)
    var foundScaled = 0, foundFull = 0
    var fullFPR: [Double] = []
    for item in t.missedItems {
        let bytes = try itemBytes(item)
        let scaled = try ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide)
        if detector.detect(scaled).detected { foundScaled += 1 }
        let full = detector.detect(try ImageCodec.decode(bytes, options: ImageDecodeOptions(luminanceOnly: true)))
        if full.detected { foundFull += 1 }
        fullFPR.append(full.falsePositiveProbability)
        print("  missed: \(item)  (full-size decode FPR \(full.falsePositiveProbability))")
    }
    fullFPR.sort()
    print("""
        missed items re-detected directly: \(foundScaled) / \(t.missedItems.count) from the DCT-scaled decode, \
        \(foundFull) / \(t.missedItems.count) from a full-size decode (median FPR \(fullFPR[fullFPR.count / 2]))
        """)
}

func loadAverage() -> String {
    var loads = [Double](repeating: 0, count: 1)
    getloadavg(&loads, 1)
    return String(format: "%.2f", loads[0])
}

/// An item's bytes: a file, or a tar member extracted to memory with tar(1).
func itemBytes(_ item: String) throws -> [UInt8] {
    guard let hash = item.firstIndex(of: "#") else { return [UInt8](try Data(contentsOf: URL(fileURLWithPath: item))) }
    let tar = Process()
    tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
    tar.arguments = ["-xOf", String(item[..<hash]), String(item[item.index(after: hash)...])]
    let pipe = Pipe()
    tar.standardOutput = pipe
    try tar.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    tar.waitUntilExit()
    return [UInt8](data)
}

if !arguments.keep && arguments.corpus == nil {
    try? FileManager.default.removeItem(atPath: corpusDirectory)
} else {
    print("corpus kept in \(corpusDirectory)")
}
