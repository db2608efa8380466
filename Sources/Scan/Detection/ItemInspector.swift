import Codecs
import Foundation
import Marking
import Media

/// What a worker does with one item: read it (files), recognise it, decode it once, and check it
/// against every key.
struct ItemInspector: Sendable {
    let detectors: [KeyDetector]
    let options: ScanOptions

    enum Outcome {
        case record(ScanRecord)
        /// Not media (by content); the name is kept for the summary's count by extension.
        case skipped(String)
    }

    /// Seconds spent in each stage of one item, summed by the scanner for the summary.
    struct StageTimes {
        var read: Duration = .zero, decode: Duration = .zero, analyse: Duration = .zero, detect: Duration = .zero
    }

    func inspect(_ item: WorkItem, times: inout StageTimes) -> Outcome {
        let clock = ContinuousClock()
        var start = clock.now
        func lap() -> Duration {
            let now = clock.now
            defer { start = now }
            return now - start
        }
        let bytes: [UInt8]
        switch item {
        case let .file(path, kind):
            do { bytes = try FileReader.contents(of: path, limit: options.maxItemBytes) } catch {
                return .record(.failure(path, kind: kind.rawValue, error: error))
            }
            times.read += lap()
        case let .member(_, memberBytes):
            bytes = memberBytes
        }
        guard let format = FormatSniffer.format(of: bytes) else { return .skipped(item.name) }

        switch format.kind {
        case .image:
            let luma: PlanarImage
            do {
                luma = try ImageCodec.decodeLuminance(bytes, minimumShortSide: ImageDetector.workingShortSide,
                                                      maxPixels: options.maxPixels)
            } catch {
                return .record(.failure(item.name, kind: "image", error: error))
            }
            times.decode += lap()
            if options.decodeOnly { return .record(decodedOnly(item.name, kind: "image")) }
            let analysis = ImageAnalysis(luma)  // once, whatever the number of keys
            times.analyse += lap()
            let threshold = options.threshold / Double(detectors.count)
            let verdicts = detectors.map { $0.image.verdict(for: analysis, threshold: threshold) }
            times.detect += lap()
            return .record(record(item.name, kind: "image", verdicts: verdicts, keyIDs: detectors.map(\.keyID)))

        case .audio:
            if options.decodeOnly {
                // All of it, as detection does, a chunk at a time.
                do { try AudioCodec.decodeWindows(bytes, length: 1 << 22, hop: 1 << 22) { _, _ in true } } catch {
                    return .record(.failure(item.name, kind: "audio", error: error))
                }
                times.decode += lap()
                return .record(decodedOnly(item.name, kind: "audio"))
            }
            let audioDetectors = detectors.filter { $0.audio != nil }
            guard !audioDetectors.isEmpty else {
                return .record(.failure(item.name, kind: "audio", error: ScanError.audioUnavailable))
            }
            // Chunk by chunk (120 s every 90 s), one in memory at a time, until every key has its
            // mark; decoding and analysis are counted together as analysis here.
            let threshold = options.threshold / Double(audioDetectors.count)
            let verdicts: [MarkVerdict]
            do {
                verdicts = try AudioChunkedDetection.detect(bytes, speeds: options.audioSpeeds, read: { analysis in
                    times.analyse += lap()
                    let verdicts = audioDetectors.map { $0.audio!.verdict(for: analysis, threshold: threshold) }
                    times.detect += lap()
                    return verdicts
                }, falsePositive: \.falsePositiveProbability, found: \.detected)
            } catch {
                return .record(.failure(item.name, kind: "audio", error: error))
            }
            return .record(record(item.name, kind: "audio", verdicts: verdicts, keyIDs: audioDetectors.map(\.keyID)))
        }
    }

    /// The line of an item that decoded, with no detection (``ScanOptions/decodeOnly``).
    func decodedOnly(_ name: String, kind: String) -> ScanRecord {
        ScanRecord(item: name, kind: kind, detected: false, payload: nil, keyID: nil, falsePositiveProbability: nil)
    }

    /// One line from the keys' verdicts: the best key (smallest false-positive probability),
    /// its probability times the number of keys (Bonferroni), and every detecting key when more
    /// than one detected.
    func record(_ name: String, kind: String, verdicts: [MarkVerdict], keyIDs: [String]) -> ScanRecord {
        let keyCount = Double(verdicts.count)
        let ranked = zip(keyIDs, verdicts).sorted { $0.1.falsePositiveProbability < $1.1.falsePositiveProbability }
        let (bestKey, best) = ranked[0]
        let hits = ranked.filter { $0.1.detected }.map { key, verdict in
            ScanRecord.Hit(keyID: key, payload: verdict.payload?.hex,
                           falsePositiveProbability: min(1, keyCount * verdict.falsePositiveProbability))
        }
        return ScanRecord(item: name, kind: kind, detected: best.detected, payload: best.payload?.hex,
                          keyID: bestKey, falsePositiveProbability: min(1, keyCount * best.falsePositiveProbability),
                          hits: hits.count > 1 ? hits : nil)
    }
}
