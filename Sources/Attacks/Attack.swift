import Media

/// One signal attack on decoded media: what a file meets on its way through the world (a JPEG
/// re-save, a resize, an MP3 encode, a speed change …), made precise and repeatable.
///
/// Every attack has a spec, its ``description``: a name and `:`-separated parameters, as typed on
/// the command line (`jpeg:75`, `rotate:5:crop`, `mp3:128`). ``AttackChain/init(parsing:)`` reads a
/// comma-separated list of them; ``parameterHelp`` lists them all with units.
///
/// `noise:X` is one spec for both kinds of media. Parsing always gives ``noise(sigma:)``; on an
/// image X is the standard deviation in 8-bit levels, on audio it is read as a signal-to-noise
/// ratio in dB, exactly as ``audioNoise(snrDB:)`` (whose spec is therefore also `noise:X`).
public enum Attack: Sendable, Equatable, CustomStringConvertible {
    // MARK: Images

    /// Encode with libjpeg at this quality (1...100, 4:2:0 chroma) and decode. Alpha is lost, as
    /// in a real JPEG.
    case jpeg(quality: Int)
    /// Encode as an 8-bit PNG and decode: quantisation to 256 levels.
    case png
    /// Encode as lossy WebP (libwebp, VP8) at this quality (1...100, cwebp's scale) and decode.
    case webp(quality: Int)
    /// Scale both sides by `factor` with antialiased Lanczos-3; the result is
    /// `round(w·f) × round(h·f)`.
    case resize(factor: Double)
    /// Scale so that the shorter side is `pixels`, keeping the aspect ratio.
    case resizeShort(pixels: Int)
    /// Scale so that the longer side is `pixels` and pad to a `pixels × pixels` square with white,
    /// the picture centred: img2dataset's default ("border") resize for training sets.
    case border(pixels: Int)
    /// As ``border(pixels:)``, but the padding repeats the picture's edge rows or columns outwards
    /// (torchvision's and NumPy's `edge` padding mode) instead of white.
    case padEdge(pixels: Int)
    /// Keep a rectangle holding `area` (0...1) of the pixels, of the image's aspect ratio, at a
    /// seeded random position.
    case crop(area: Double)
    /// Keep the centred `width × height` rectangle (sides larger than the image keep the image's).
    case centerCrop(width: Int, height: Int)
    /// Scale to exactly `width × height` (Lanczos-3, antialiased), ignoring the aspect ratio: the
    /// fixed-size resize of many training pipelines (torchvision's `Resize((256, 256))`).
    case resizeTo(width: Int, height: Int)
    /// Fit the picture inside `width × height` (Lanczos-3), centred on a copy of itself scaled to
    /// cover the frame and blurred (Gaussian, σ = the frame's short side / 40): how social media
    /// pad a photo to a square or a 9:16 frame.
    case blurFill(width: Int, height: Int)
    /// Rotate counter-clockwise about the centre (bicubic), same canvas, uncovered corners black;
    /// with `cropToValid`, then crop to the largest centred rectangle of the original aspect ratio
    /// that holds no corner pixels.
    case rotate(degrees: Double, cropToValid: Bool)
    /// Shear horizontally about the centre by `degrees` (bicubic), same canvas, uncovered corners
    /// black: each row moves sideways by tan(degrees) times its distance below the centre.
    case shear(degrees: Double)
    /// Squeeze into a trapezoid whose top edge is narrower by `fraction` of the width on each
    /// side (bicubic), same canvas, uncovered corners black: a picture photographed at a tilt.
    case keystone(fraction: Double)
    /// Mirror left to right.
    case flip
    /// Scale the width by `factor` (Lanczos-3), keeping the height.
    case aspect(factor: Double)
    /// Images: add Gaussian noise of standard deviation `sigma` in 8-bit levels (of 255), seeded.
    /// Audio: white Gaussian noise at a signal-to-noise ratio of `sigma` dB (see ``audioNoise(snrDB:)``).
    case noise(sigma: Double)
    /// Gaussian blur of standard deviation `sigma` pixels.
    case blur(sigma: Double)
    /// Median of each `size × size` neighbourhood (`size` odd).
    case median(size: Int)
    /// Multiply colour samples by `factor` (1.2 = 20 % brighter) and clip to 0...1.
    case brightness(factor: Double)
    /// Stretch colour samples about each plane's mean: `(x − mean)·factor + mean`, clipped.
    case contrast(factor: Double)
    /// Raise colour samples to the power γ: `x^γ`.
    case gamma(Double)

    // MARK: Audio

    /// Encode as MP3 at `kbps` constant bitrate (LAME) and decode; time-aligned to the input.
    case mp3(kbps: Int)
    /// Encode as Ogg Vorbis at VBR `quality` (0 lowest ... 1 highest) and decode.
    case ogg(quality: Double)
    /// Encode as Ogg Opus at about `kbps` (all channels) and decode; time-aligned to the input.
    case opus(kbps: Int)
    /// Encode as AAC-LC in M4A at about `kbps` (all channels) with `ffmpeg`'s native encoder and
    /// decode; time-aligned to the input. Needs the `ffmpeg` program.
    case aac(kbps: Int)
    /// Resample to `hz` and back to the original rate (libsoxr): removes content above `hz / 2`.
    case resample(hz: Int)
    /// Remove content above `hz` (FFT brick-wall with a short raised-cosine taper).
    case lowpass(hz: Double)
    /// Remove content below `hz` (FFT brick-wall with a short raised-cosine taper).
    case highpass(hz: Double)
    /// Convolve with a synthetic room response: the direct sound and a diffuse tail of equal
    /// energy decaying by 60 dB over `rt60` seconds (see `AudioReverb`), seeded.
    case reverb(rt60: Double)
    /// Add white Gaussian noise at this signal-to-noise ratio, per channel, seeded. Spec `noise:X`.
    case audioNoise(snrDB: Double)
    /// Multiply by `gain` and clip to −1...1.
    case volume(gain: Double)
    /// Keep a seeded random excerpt of this many seconds (all of it when shorter).
    case excerpt(seconds: Double)
    /// The audio between `seconds` of other sound before and after — seeded white noise at each
    /// channel's RMS level: a track inside a longer recording (a mix, a compilation, a podcast).
    case surround(seconds: Double)
    /// Drop the first `samples` frames; a negative count prepends that many frames of silence.
    case shift(samples: Int)
    /// Play faster by `factor` (resampled, so the pitch rises too): `n / factor` frames remain.
    case speed(factor: Double)
    /// Play faster by `factor` keeping the pitch (a tempo change, time-stretch by WSOLA, as sox's
    /// `tempo`): about `n / factor` frames remain.
    case tempo(factor: Double)
    /// Shift the pitch by `cents` keeping the tempo (sox's `pitch`): a tempo change by 1/f, then
    /// resampled to speed f, f = 2^(cents/1200); the length is kept.
    case pitch(cents: Double)
    /// Average the channels into one.
    case mono
    /// Invert the polarity of the last channel (of a stereo file: L, −R). Inaudible on speakers
    /// and headphones alike; it moves whatever was centred into the side.
    case invert

    /// The kind of media the attack works on; `nil` for `noise`, which works on both.
    public var mediaKind: MediaKind? {
        switch self {
        case .jpeg, .png, .webp, .resize, .resizeShort, .border, .padEdge, .crop, .centerCrop, .resizeTo, .blurFill, .rotate, .shear, .keystone, .flip,
             .aspect, .blur, .median, .brightness, .contrast, .gamma:
            .image
        case .mp3, .ogg, .opus, .aac, .resample, .lowpass, .highpass, .reverb, .audioNoise, .volume, .excerpt,
             .surround, .shift, .speed, .tempo, .pitch, .mono, .invert:
            .audio
        case .noise:
            nil
        }
    }

    /// Whether the attack can be applied to media of `kind`.
    public func applies(to kind: MediaKind) -> Bool {
        mediaKind.map { $0 == kind } ?? true
    }

    /// The spec name, the part before the first `:`.
    public var name: String {
        switch self {
        case .jpeg: "jpeg"
        case .png: "png"
        case .webp: "webp"
        case .resize: "resize"
        case .resizeShort: "resize-short"
        case .border: "border"
        case .padEdge: "pad-edge"
        case .crop: "crop"
        case .centerCrop: "center-crop"
        case .resizeTo: "resize-to"
        case .blurFill: "blur-fill"
        case .rotate: "rotate"
        case .shear: "shear"
        case .keystone: "keystone"
        case .flip: "flip"
        case .aspect: "aspect"
        case .noise, .audioNoise: "noise"
        case .blur: "blur"
        case .median: "median"
        case .brightness: "brightness"
        case .contrast: "contrast"
        case .gamma: "gamma"
        case .mp3: "mp3"
        case .ogg: "ogg"
        case .opus: "opus"
        case .aac: "aac"
        case .resample: "resample"
        case .lowpass: "lowpass"
        case .highpass: "highpass"
        case .reverb: "reverb"
        case .volume: "volume"
        case .excerpt: "excerpt"
        case .surround: "surround"
        case .shift: "shift"
        case .speed: "speed"
        case .tempo: "tempo"
        case .pitch: "pitch"
        case .mono: "mono"
        case .invert: "invert"
        }
    }

    /// The spec, e.g. `jpeg:75`, `rotate:5:crop`, `center-crop:512x384`. Parsing it gives the
    /// attack back (``audioNoise(snrDB:)`` comes back as ``noise(sigma:)``).
    public var description: String {
        let f = SpecNumber.format
        return switch self {
        case let .jpeg(quality): "jpeg:\(quality)"
        case .png: "png"
        case let .webp(quality): "webp:\(quality)"
        case let .resize(factor): "resize:\(f(factor))"
        case let .resizeShort(pixels): "resize-short:\(pixels)"
        case let .border(pixels): "border:\(pixels)"
        case let .padEdge(pixels): "pad-edge:\(pixels)"
        case let .crop(area): "crop:\(f(area))"
        case let .centerCrop(width, height): "center-crop:\(width)x\(height)"
        case let .resizeTo(width, height): "resize-to:\(width)x\(height)"
        case let .blurFill(width, height): "blur-fill:\(width)x\(height)"
        case let .rotate(degrees, crop): "rotate:\(f(degrees))" + (crop ? ":crop" : "")
        case let .shear(degrees): "shear:\(f(degrees))"
        case let .keystone(fraction): "keystone:\(f(fraction))"
        case .flip: "flip"
        case let .aspect(factor): "aspect:\(f(factor))"
        case let .noise(sigma): "noise:\(f(sigma))"
        case let .blur(sigma): "blur:\(f(sigma))"
        case let .median(size): "median:\(size)"
        case let .brightness(factor): "brightness:\(f(factor))"
        case let .contrast(factor): "contrast:\(f(factor))"
        case let .gamma(gamma): "gamma:\(f(gamma))"
        case let .mp3(kbps): "mp3:\(kbps)"
        case let .ogg(quality): "ogg:\(f(quality))"
        case let .opus(kbps): "opus:\(kbps)"
        case let .aac(kbps): "aac:\(kbps)"
        case let .resample(hz): "resample:\(hz)"
        case let .lowpass(hz): "lowpass:\(f(hz))"
        case let .highpass(hz): "highpass:\(f(hz))"
        case let .reverb(rt60): "reverb:\(f(rt60))"
        case let .audioNoise(snr): "noise:\(f(snr))"
        case let .volume(gain): "volume:\(f(gain))"
        case let .excerpt(seconds): "excerpt:\(f(seconds))"
        case let .surround(seconds): "surround:\(f(seconds))"
        case let .shift(samples): "shift:\(samples)"
        case let .speed(factor): "speed:\(f(factor))"
        case let .tempo(factor): "tempo:\(f(factor))"
        case let .pitch(cents): "pitch:\(f(cents))"
        case .mono: "mono"
        case .invert: "invert"
        }
    }
}
