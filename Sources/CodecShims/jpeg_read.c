// JPEG decoding from memory with libjpeg-turbo.
//
// Each function that calls libjpeg arms its own setjmp on reader->error.jump and returns a status,
// so a libjpeg error unwinds only C frames of this file. Everything a longjmp must not lose lives
// in the caller-owned jpeg_reader (not in locals of the function that called setjmp), and the
// cleanup in tm_jpeg_decode is safe whatever step failed.

#include <stdlib.h>
#include <string.h>

#include "jpeg_error.h"

/// Progressive JPEGs may legally have any number of scans, and each scan revisits the whole
/// coefficient buffer; a few KB of crafted scans can take minutes (libjpeg-turbo's libjpeg.txt
/// recommends a limit). Real encoders write about ten.
#define TM_JPEG_MAX_SCANS 1000

typedef struct jpeg_reader {
    struct jpeg_decompress_struct cinfo;
    tm_jpeg_error error;
    struct jpeg_progress_mgr progress;
    /// Row pointers into out->pixels, one per output row.
    JSAMPROW *rows;
    tm_decoded_image *out;
    /// A CMYK (or YCCK) file read for its luma only: decoded as CMYK, converted after.
    int cmyk;
} jpeg_reader;

static void on_progress(j_common_ptr cinfo) {
    j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
    if (decompress->progressive_mode && decompress->input_scan_number > TM_JPEG_MAX_SCANS) {
        tm_jpeg_fail(cinfo, TM_CORRUPT, "progressive JPEG has more than 1000 scans");
    }
}

/// The EXIF block from the first APP1 segment that starts with "Exif\0"; the 6-byte prefix is
/// dropped so the block starts at the TIFF header, as in PNG's eXIf.
static tm_status copy_exif(jpeg_reader *reader) {
    for (jpeg_saved_marker_ptr marker = reader->cinfo.marker_list; marker; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length <= 6) continue;
        if (memcmp(marker->data, "Exif\0", 5) != 0) continue; // XMP also lives in APP1
        size_t size = marker->data_length - 6;
        reader->out->exif.data = tm_copy_bytes(marker->data + 6, size);
        if (reader->out->exif.data == NULL) return TM_OUT_OF_MEMORY;
        reader->out->exif.size = size;
        return TM_OK;
    }
    return TM_OK;
}

static tm_status read_header(jpeg_reader *reader, const unsigned char *data, size_t size,
                              const tm_decode_options *options) {
    if (setjmp(reader->error.jump)) return reader->error.status;
    j_decompress_ptr cinfo = &reader->cinfo;
    jpeg_create_decompress(cinfo);
    // jpeg_create_decompress clears the struct except `err`, so the monitor is installed after it.
    reader->progress.progress_monitor = on_progress;
    cinfo->progress = &reader->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF); // EXIF (and XMP)
    jpeg_save_markers(cinfo, JPEG_APP0 + 2, 0xFFFF); // ICC profile chunks
    jpeg_read_header(cinfo, TRUE);
    if (cinfo->arith_code) reader->error.end_of_data_policy = TM_END_OF_DATA_FATAL;

    tm_decoded_image *out = reader->out;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        out->channels = 1;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        out->channels = 3;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        // Detection reads luma only, which a naive CMYK → RGB conversion gives well enough for a
        // mark that lives in luma (a print workflow's copy of a marked image). Marking one would
        // need its CMYK profile to write it back faithfully: refused.
        if (!options->luminance_only && !options->header_only) {
            tm_jpeg_fail((j_common_ptr)cinfo, TM_UNSUPPORTED,
                         "CMYK JPEG (print colour separation) is not supported; convert it to RGB");
        }
        reader->cmyk = 1;
        out->channels = 3;
        break;
    default:
        tm_set_message(reader->error.message, reader->error.message_capacity,
                       "JPEG with %d components in an unknown colour space", cinfo->num_components);
        return TM_UNSUPPORTED;
    }
    out->source_width = out->width = cinfo->image_width;
    out->source_height = out->height = cinfo->image_height;
    out->source_bit_depth = cinfo->data_precision;
    out->bytes_per_sample = 1;
    out->is_interlaced = cinfo->progressive_mode ? 1 : 0;

    // jpeg_read_icc_profile reassembles the APP2 chunks into one malloc'd block; ownership passes
    // to `out` as is (tm_free is free).
    JOCTET *icc = NULL;
    unsigned int icc_size = 0;
    if (jpeg_read_icc_profile(cinfo, &icc, &icc_size) && icc != NULL) {
        out->icc.data = icc;
        out->icc.size = icc_size;
    }
    return copy_exif(reader);
}

static tm_status start_decompress(jpeg_reader *reader, const tm_decode_options *options) {
    if (setjmp(reader->error.jump)) return reader->error.status;
    j_decompress_ptr cinfo = &reader->cinfo;
    // DCT-domain scaling: libjpeg runs a smaller inverse DCT, giving ceil(width / N) columns.
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)options->scale_denominator;
    // For YCbCr, JCS_GRAYSCALE output makes libjpeg skip the chroma IDCT and upsampling; the Y it
    // returns is BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B (JFIF).
    int gray = options->luminance_only || cinfo->jpeg_color_space == JCS_GRAYSCALE;
    cinfo->out_color_space = reader->cmyk ? JCS_CMYK : (gray ? JCS_GRAYSCALE : JCS_RGB);
    jpeg_start_decompress(cinfo);
    reader->out->width = cinfo->output_width;
    reader->out->height = cinfo->output_height;
    reader->out->channels = cinfo->output_components;
    return TM_OK;
}

/// CMYK rows (4 bytes a pixel) to BT.601 luma in place (1 byte a pixel). Adobe's writers store
/// the inks inverted (Photoshop, PIL), so with its marker a byte already is 255 − ink. No ICC
/// profile is applied: the mark is a small change of luma, and any monotonic tone curve keeps it.
static void cmyk_to_luma(tm_decoded_image *out, int adobe_inverted) {
    size_t count = (size_t)out->width * (size_t)out->height;
    unsigned char *p = out->pixels.data;
    for (size_t i = 0; i < count; i++) {
        int c = p[4 * i], m = p[4 * i + 1], y = p[4 * i + 2], k = p[4 * i + 3];
        if (!adobe_inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        double r = c * k / 255.0, g = m * k / 255.0, b = y * k / 255.0;
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        p[i] = (unsigned char)(luma + 0.5);
    }
    out->channels = 1;
    out->pixels.size = count;
}

static tm_status read_pixels(jpeg_reader *reader) {
    if (setjmp(reader->error.jump)) return reader->error.status;
    j_decompress_ptr cinfo = &reader->cinfo;
    tm_decoded_image *out = reader->out;
    size_t stride = (size_t)out->width * (size_t)out->channels;
    out->pixels.data = malloc(stride * out->height);
    reader->rows = malloc(sizeof(JSAMPROW) * out->height);
    if (out->pixels.data == NULL || reader->rows == NULL) return TM_OUT_OF_MEMORY;
    out->pixels.size = stride * out->height;
    for (uint32_t y = 0; y < out->height; y++) reader->rows[y] = out->pixels.data + y * stride;
    while (cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION done = cinfo->output_scanline;
        JDIMENSION read = jpeg_read_scanlines(cinfo, reader->rows + done, cinfo->output_height - done);
        // Only a suspending data source returns 0 rows; ours never suspends, but never loop forever.
        if (read == 0) tm_jpeg_fail((j_common_ptr)cinfo, TM_CORRUPT, "JPEG decoder made no progress");
    }
    if (reader->cmyk) cmyk_to_luma(out, cinfo->saw_Adobe_marker);
    return TM_OK;
}

/// Reads up to EOI. Every pixel is decoded by now, so a missing EOI or damage after the last scan
/// costs nothing and is ignored (libvips does the same by default).
static void finish(jpeg_reader *reader) {
    if (setjmp(reader->error.jump)) return;
    reader->error.end_of_data_policy = TM_END_OF_DATA_IGNORED;
    jpeg_finish_decompress(&reader->cinfo);
}

tm_status tm_jpeg_decode(const unsigned char *data, size_t size, const tm_decode_options *options,
                         tm_decoded_image *out, char *message, size_t message_capacity) {
    memset(out, 0, sizeof *out);
    tm_set_message(message, message_capacity, "%s", "");
    int scale = options->scale_denominator;
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
        tm_set_message(message, message_capacity, "JPEG scale denominator %d is not 1, 2, 4 or 8", scale);
        return TM_UNSUPPORTED;
    }

    jpeg_reader reader;
    memset(&reader, 0, sizeof reader);
    reader.out = out;
    tm_jpeg_error_init(&reader.error, TM_CORRUPT, message, message_capacity);
    reader.cinfo.err = &reader.error.manager;

    tm_status status = read_header(&reader, data, size, options);
    if (status == TM_OK && !options->header_only) {
        // Checked on the stated size before jpeg_start_decompress allocates anything image-sized
        // (a progressive JPEG keeps every coefficient of the full-size image, whatever the scale).
        if (tm_exceeds_pixel_limit(out->source_width, out->source_height, options->max_pixels)) {
            tm_set_message(message, message_capacity, "JPEG of %u×%u pixels exceeds the limit",
                           out->source_width, out->source_height);
            status = TM_TOO_LARGE;
        }
        if (status == TM_OK) status = start_decompress(&reader, options);
        if (status == TM_OK) status = read_pixels(&reader);
        if (status == TM_OK) finish(&reader);
    }

    // Safe after any failure: jpeg_destroy_decompress does nothing when creation never happened
    // (cinfo.mem is NULL), and every buffer pointer is either NULL or owned.
    jpeg_destroy_decompress(&reader.cinfo);
    free(reader.rows);
    reader.rows = NULL;
    if (status != TM_OK) tm_decoded_image_release(out);
    return status;
}
