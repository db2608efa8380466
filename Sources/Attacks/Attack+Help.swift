import Media

/// One row of the attack table shown by `tracemark attack --help` and in the README.
public struct AttackHelp: Sendable, Equatable {
    /// The spec name (`jpeg`, `rotate` …).
    public var name: String
    /// The spec as a template: `jpeg:Q`, `rotate:DEG[:crop]`; just the name when it takes none.
    public var usage: String
    /// What the parameter is, or empty.
    public var parameter: String
    /// Its unit and range, or empty.
    public var unit: String
    /// The media the attack applies to; `nil` for both.
    public var kind: MediaKind?
    /// What the attack does, in one sentence.
    public var meaning: String
}

extension Attack {
    /// Every attack spec with its parameter, unit and meaning, images first.
    public static let parameterHelp: [AttackHelp] = [
        row("jpeg", "jpeg:Q", "quality", "1...100", .image,
            "JPEG re-save with libjpeg, 4:2:0 chroma (alpha is lost)"),
        row("png", "png", "", "", .image, "PNG re-save at 8 bits per sample"),
        row("webp", "webp:Q", "quality", "1...100", .image, "lossy WebP re-save (libwebp, VP8)"),
        row("resize", "resize:F", "factor", "× (0.01...16)", .image,
            "scale both sides by F, Lanczos-3, antialiased"),
        row("resize-short", "resize-short:PX", "short side", "pixels", .image,
            "scale so the short side is PX, keeping the aspect ratio"),
        row("border", "border:PX", "square side", "pixels", .image,
            "long side to PX, padded to a white PX×PX square (img2dataset default)"),
        row("pad-edge", "pad-edge:PX", "square side", "pixels", .image,
            "long side to PX, padded to a square by repeating the edge pixels"),
        row("crop", "crop:A", "area", "fraction 0...1", .image,
            "keep a random rectangle (same aspect) of A of the pixels"),
        row("center-crop", "center-crop:WxH", "size", "pixels", .image, "keep the centred W×H rectangle"),
        row("resize-to", "resize-to:WxH", "size", "pixels", .image,
            "scale to exactly W×H, ignoring the aspect ratio (a training squash)"),
        row("blur-fill", "blur-fill:WxH", "frame", "pixels", .image,
            "fit inside W×H, centred on a blurred enlarged copy (social-media padding)"),
        row("rotate", "rotate:DEG[:crop]", "angle", "degrees, counter-clockwise", .image,
            "rotate about the centre (bicubic), black corners; :crop cuts them off"),
        row("shear", "shear:DEG", "angle", "degrees", .image,
            "shear rows sideways about the centre (bicubic), black corners"),
        row("keystone", "keystone:F", "top inset", "fraction of the width, each side", .image,
            "squeeze into a trapezoid, top edge narrower (a photo taken at a tilt)"),
        row("flip", "flip", "", "", .image, "mirror left to right"),
        row("aspect", "aspect:F", "width factor", "×", .image, "stretch the width by F (Lanczos-3)"),
        row("noise", "noise:X", "σ / SNR", "8-bit levels (image), dB (audio)", nil,
            "Gaussian noise, σ = X/255 (image); white noise at X dB SNR (audio)"),
        row("blur", "blur:S", "σ", "pixels", .image, "Gaussian blur"),
        row("median", "median:K", "size", "pixels, odd", .image, "K×K median filter"),
        row("brightness", "brightness:F", "factor", "×", .image, "multiply by F (1.2 = +20 %), clip"),
        row("contrast", "contrast:F", "factor", "×", .image, "(x − mean)·F + mean per plane, clip"),
        row("gamma", "gamma:G", "exponent", "", .image, "x^G"),
        row("mp3", "mp3:KBPS", "bitrate", "kbit/s (MPEG layer III rates)", .audio,
            "MP3 encode (LAME, CBR) and decode, time-aligned"),
        row("ogg", "ogg:Q", "quality", "0...1 (0 lowest)", .audio, "Ogg Vorbis encode and decode"),
        row("opus", "opus:KBPS", "bitrate", "kbit/s, all channels", .audio,
            "Ogg Opus encode and decode (48 kHz unless an Opus rate), time-aligned"),
        row("aac", "aac:KBPS", "bitrate", "kbit/s, all channels", .audio,
            "AAC-LC encode and decode (ffmpeg's encoder; needs ffmpeg), time-aligned"),
        row("resample", "resample:HZ", "rate", "Hz", .audio, "resample to HZ and back (libsoxr)"),
        row("lowpass", "lowpass:HZ", "cut-off", "Hz", .audio, "remove content above HZ (steep FFT filter)"),
        row("highpass", "highpass:HZ", "cut-off", "Hz", .audio, "remove content below HZ (steep FFT filter)"),
        row("reverb", "reverb:RT60", "decay time", "seconds", .audio,
            "room reverberation: direct sound + equal-energy tail decaying 60 dB in RT60"),
        row("volume", "volume:G", "gain", "× (linear)", .audio, "multiply by G, clip to −1...1"),
        row("excerpt", "excerpt:S", "length", "seconds", .audio, "keep a random excerpt of S seconds"),
        row("surround", "surround:S", "length", "seconds", .audio,
            "S seconds of noise at the audio's level before and after it"),
        row("shift", "shift:N", "offset", "samples", .audio,
            "drop the first N samples (negative: prepend N of silence)"),
        row("speed", "speed:F", "factor", "×", .audio, "play F times faster (pitch rises): n/F samples"),
        row("tempo", "tempo:F", "factor", "×", .audio, "play F times faster keeping the pitch (WSOLA time-stretch)"),
        row("pitch", "pitch:CENTS", "shift", "cents (100 = a semitone)", .audio,
            "shift the pitch keeping the tempo (time-stretch, then resample)"),
        row("mono", "mono", "", "", .audio, "average the channels into one"),
        row("invert", "invert", "", "", .audio, "invert the last channel's polarity (stereo: L, −R; mono unchanged)"),
    ]

    /// ``parameterHelp`` as text for `--help`: per attack, the spec, the media and the parameter
    /// with its unit on one line, the effect indented on the next. Every line fits in 79 columns,
    /// so that a terminal's wrapping never breaks the alignment.
    public static var parameterHelpText: String {
        let usageWidth = parameterHelp.map(\.usage.count).max() ?? 0
        return parameterHelp.map { help in
            let kind = help.kind?.rawValue ?? "both"
            let parameter = [help.parameter, help.unit].filter { !$0.isEmpty }.joined(separator: ", ")
            let head = pad(help.usage, usageWidth) + "  " + pad(kind, 5) + "  " + parameter
            return head.trimmingTrailingSpaces + "\n    " + help.meaning
        }.joined(separator: "\n")
    }

    /// ``parameterHelp`` as a Markdown table, for the README.
    public static var parameterHelpMarkdown: String {
        let header = "| Spec | Parameter | Unit | Media | Effect |\n|---|---|---|---|---|"
        let rows = parameterHelp.map { help in
            "| `\(help.usage)` | \(help.parameter) | \(help.unit) | \(help.kind?.rawValue ?? "both") | \(help.meaning) |"
        }
        return ([header] + rows).joined(separator: "\n")
    }

    private static func row(_ name: String, _ usage: String, _ parameter: String, _ unit: String,
                            _ kind: MediaKind?, _ meaning: String) -> AttackHelp {
        AttackHelp(name: name, usage: usage, parameter: parameter, unit: unit, kind: kind, meaning: meaning)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
