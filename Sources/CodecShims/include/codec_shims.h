#pragma once
// The C side of tracemark's image codecs: PNG (libpng) and JPEG (libjpeg-turbo) to and from memory.
//
// Why this layer exists: both libraries report errors with longjmp, and Swift cannot call setjmp,
// nor may a longjmp ever cross a Swift frame. So every library call happens here, under a setjmp
// that is re-armed in each C function that calls the library (the libvips pattern), and each entry
// point returns a status plus a message in a caller-provided buffer.
//
// Only plain C types appear in this header, so Swift never sees png.h or jpeglib.h.
//
// Ownership: every buffer a shim hands back (tm_buffer.data) was allocated with malloc by the shim
// and is the caller's to release with tm_free. On failure the shim frees what it allocated and
// leaves every output buffer NULL.

#include <stddef.h>
#include <stdint.h>

/// What an entry point reports. On anything but TM_OK the message buffer holds the reason.
typedef enum tm_status {
    TM_OK = 0,
    /// The data is damaged or truncated (the library's own message explains).
    TM_CORRUPT = 1,
    /// Valid data the codec does not handle (CMYK JPEG, 12-bit JPEG, bad option).
    TM_UNSUPPORTED = 2,
    /// The header states more pixels than tm_decode_options.max_pixels; nothing was allocated for
    /// pixels. tm_decoded_image.source_width/source_height hold the stated size.
    TM_TOO_LARGE = 3,
    /// The encoder refused the input or failed.
    TM_ENCODE_FAILED = 4,
    /// malloc failed.
    TM_OUT_OF_MEMORY = 5,
} tm_status;

/// A malloc'd byte buffer handed to the caller; release data with tm_free.
typedef struct tm_buffer {
    unsigned char *data;
    size_t size;
} tm_buffer;

typedef struct tm_decode_options {
    /// Refuse (TM_TOO_LARGE) when source width × height exceeds this, before allocating pixels.
    uint64_t max_pixels;
    /// JPEG only: decode at 1/N in the DCT domain, N in {1, 2, 4, 8}. PNG ignores it.
    int scale_denominator;
    /// JPEG only: ask libjpeg for the luma plane alone (JCS_GRAYSCALE), skipping chroma decoding.
    /// PNG ignores it (the caller computes luma from the decoded samples).
    int luminance_only;
    /// Stop after the header and metadata: fill everything but `pixels`.
    int header_only;
} tm_decode_options;

/// What a decoder returns: interleaved rows without padding, plus the metadata blocks.
typedef struct tm_decoded_image {
    /// Size of the pixel buffer (for JPEG, after DCT scaling).
    uint32_t width, height;
    /// Size stated by the file's header.
    uint32_t source_width, source_height;
    /// Samples per pixel in `pixels`: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    int channels;
    /// 1, or 2 for 16-bit PNG samples, which are stored big-endian (PNG's own order).
    int bytes_per_sample;
    /// Bits per sample in the file (PNG 1, 2, 4, 8, 16; JPEG 8).
    int source_bit_depth;
    /// PNG Adam7 or progressive JPEG.
    int is_interlaced;
    /// width × height × channels × bytes_per_sample bytes; NULL for header_only.
    tm_buffer pixels;
    /// The raw ICC profile, or NULL.
    tm_buffer icc;
    /// The EXIF block from the TIFF header on (no "Exif\0\0" prefix), or NULL.
    tm_buffer exif;
} tm_decoded_image;

/// Pixels and metadata to encode.
typedef struct tm_encode_input {
    /// Interleaved rows without padding; 16-bit samples big-endian.
    const unsigned char *pixels;
    uint32_t width, height;
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (JPEG: 1 or 3 only).
    int channels;
    /// 8 or 16 (JPEG: 8 only).
    int bit_depth;
    /// Optional ICC profile and EXIF block (TIFF header onwards); NULL/0 for none.
    const unsigned char *icc;
    size_t icc_size;
    const unsigned char *exif;
    size_t exif_size;
} tm_encode_input;

typedef struct tm_jpeg_settings {
    /// 1...100, libjpeg's quality scale.
    int quality;
    /// Nonzero: 4:4:4 (no chroma subsampling); zero: 4:2:0.
    int chroma_444;
    int progressive;
} tm_jpeg_settings;

/// Decodes a PNG held in memory. `message` receives a NUL-terminated reason on failure.
tm_status tm_png_decode(const unsigned char *data, size_t size, const tm_decode_options *options,
                        tm_decoded_image *out, char *message, size_t message_capacity);

/// Decodes a JPEG held in memory. Truncated data is an error (TM_CORRUPT), not a gray fill.
tm_status tm_jpeg_decode(const unsigned char *data, size_t size, const tm_decode_options *options,
                         tm_decoded_image *out, char *message, size_t message_capacity);

/// Encodes a PNG into a growing memory buffer.
tm_status tm_png_encode(const tm_encode_input *input, tm_buffer *out, char *message,
                        size_t message_capacity);

/// Encodes a baseline or progressive JPEG (Huffman tables optimised) into memory.
tm_status tm_jpeg_encode(const tm_encode_input *input, const tm_jpeg_settings *settings,
                         tm_buffer *out, char *message, size_t message_capacity);

/// Releases a buffer returned by any tm_ function. NULL is ignored.
void tm_free(void *pointer);
