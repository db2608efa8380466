// swift-tools-version:6.0
//
// tracemark: invisible, keyed creator marks in images and audio.
//
// Dependency direction (one way only):
//   C system libraries → CodecShims → Codecs ─┐
//                           Media ────────────┼→ Spectral → Marking → Attacks / Scan → Tracemark → CLI
// `Marking` never imports `Codecs`: it works on decoded buffers.
import PackageDescription

let package = Package(
    name: "tracemark",
    products: [
        .library(name: "Tracemark", targets: ["Tracemark"]),
        .executable(name: "tracemark", targets: ["TracemarkCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // MARK: System libraries (module map + one header each, found with pkg-config)
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        // AAC/ALAC in MP4, Opus/Vorbis in WebM, GIF/BMP/TIFF: what the other libraries cannot
        // read (decode only). Headers only (Debian's multiarch include path has them; no
        // pkg-config, whose --libs would link them): the shim opens the libraries with dlopen on
        // first use.
        .systemLibrary(name: "CAVFormat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]),

        // MARK: C shims: every setjmp/longjmp lives here, never across a Swift frame
        // (and the libavformat decode loop, whose error codes are macros Swift cannot import)
        .target(name: "CodecShims", dependencies: ["CPNG", "CJPEG", "CAVFormat"]),

        // MARK: Swift modules
        .target(name: "Media"),
        .target(name: "Codecs", dependencies: ["Media", "CodecShims", "CSndFile", "CWebP"]),
        .target(name: "Spectral", dependencies: ["Media", "CFFTW", "CSoxr"]),
        .target(name: "Marking", dependencies: ["Media", "Spectral", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Attacks", dependencies: ["Media", "Codecs", "Spectral"]),
        .target(name: "Scan", dependencies: ["Media", "Codecs", "Marking", "CArchive"]),
        .target(name: "Harness", dependencies: ["Media", "Codecs", "Marking", "Attacks"]),
        .target(name: "Tracemark", dependencies: ["Media", "Codecs", "Spectral", "Marking", "Scan"]),
        .executableTarget(
            name: "TracemarkCLI",
            dependencies: ["Tracemark", "Attacks", "Harness", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Tools (benchmarks and measurements that print figures)
        .executableTarget(name: "ImageLab", dependencies: ["Marking", "Codecs", "Media", "Attacks"], path: "Tools/ImageLab"),
        .executableTarget(name: "CollusionLab", dependencies: ["Marking", "Codecs", "Media", "Attacks"], path: "Tools/CollusionLab"),
        .executableTarget(name: "AudioBench", dependencies: ["Marking", "Codecs", "Attacks"], path: "Tools/AudioBench"),
        .executableTarget(name: "ImageBench", dependencies: ["Marking", "Codecs", "Media"], path: "Tools/ImageBench"),
        .executableTarget(name: "ScanBench", dependencies: ["Tracemark", "Scan"], path: "Tools/ScanBench"),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Media"], path: "Tests/TestSupport"),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "Media", "TestSupport"]),
        .testTarget(name: "SpectralTests", dependencies: ["Spectral", "TestSupport"]),
        .testTarget(name: "MarkingTests", dependencies: ["Marking", "Media", "Spectral", "Codecs", "Attacks", "TestSupport"]),
        .testTarget(name: "AttacksTests", dependencies: ["Attacks", "Media", "Codecs", "Spectral", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Marking", "Attacks", "Codecs", "Media", "TestSupport"]),
        .testTarget(name: "ScanTests", dependencies: ["Scan", "Marking", "Codecs", "Media", "Spectral", "TestSupport"]),
    ]
)
