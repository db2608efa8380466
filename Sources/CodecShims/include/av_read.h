#pragma once
// The C side of reading what libsndfile, libpng, libjpeg and libwebp cannot: audio (AAC and ALAC
// in MP4/M4A, Opus and Vorbis in Matroska/WebM, raw ADTS AAC) and still images (GIF, BMP, TIFF) —
// through libavformat, libavcodec and libswscale, from memory, decode only.
//
// Why C: the decode loop rests on macros Swift cannot import (AVERROR(EAGAIN), AVERROR_EOF) and
// on an AVIOContext whose read and seek callbacks are C function pointers over our buffer. The
// libraries report errors as return codes (no longjmp), so each entry point returns frames or a
// status plus a message in a caller-provided buffer, as the image shims do.
//
// The libraries are opened with dlopen on the first call (linked, they would load ~110 shared
// libraries into every process); when they are missing, each entry point returns -1 naming the
// package to install.
//
// Ownership: tm_av_open hands back a reader the caller releases with tm_av_close, exactly once.
// The reader reads `data` in place: the caller keeps it alive until tm_av_close.

#include <stddef.h>
#include <stdint.h>

typedef struct tm_av_reader tm_av_reader;

/// What the stream's headers say.
typedef struct tm_av_info {
    int sample_rate;
    int channels;
    /// Frames the container states (its duration at the sample rate), or -1 when it does not say.
    int64_t stated_frames;
    /// The codec's short name ("aac", "alac", "opus", "vorbis", …).
    char codec[32];
    /// Bits per sample of a lossless codec's stored samples (ALAC, FLAC), 0 for a lossy one.
    int lossless_bits;
} tm_av_info;

/// Opens the best audio stream of the file in `data`. 0 on success; with `message` set, -1 when the
/// container or its headers cannot be read, -2 when it holds no audio stream this build decodes.
int tm_av_open(const unsigned char *data, size_t size, tm_av_reader **reader, tm_av_info *info,
               char *message, size_t message_size);

/// Decodes up to `frames` frames as interleaved floats (full scale ±1) into `out`. Returns the
/// frames written — fewer than asked only at the end of the stream (0 after it) — or -1 with
/// `message` set when the stream is damaged beyond a decodable packet or changes its channel
/// count or rate mid-stream. A damaged packet is skipped, as players do.
int64_t tm_av_read(tm_av_reader *reader, float *out, int64_t frames, char *message, size_t message_size);

/// Releases the reader and everything it holds.
void tm_av_close(tm_av_reader *reader);

/// Decodes the first frame of the image in `data` (GIF, BMP, TIFF: whatever libavformat probes it
/// as) to interleaved 8-bit RGB, or RGBA when the image has alpha (`*has_alpha`). The pixels are
/// malloc'd and the caller's to release with tm_free. 0 on success; -1 with `message` set when the
/// file cannot be read, -2 when it holds no image, -3 when it has more than `max_pixels` pixels.
int tm_av_decode_image(const unsigned char *data, size_t size, int64_t max_pixels, int *width, int *height,
                       int *has_alpha, unsigned char **pixels, char *message, size_t message_size);
