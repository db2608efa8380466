// PNG decoding from memory with libpng.
//
// Each function that calls libpng arms its own setjmp(png_jmpbuf) and returns a status, so a
// libpng error unwinds only C frames of this file. State that must survive a longjmp lives in the
// caller-owned png_reader, never in locals of the function that called setjmp.

#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "shim_common.h"

/// Largest ancillary chunk libpng may allocate while reading (default 8 MB). ICC profiles and EXIF
/// blocks are far smaller; this bounds what a crafted zTXt/iCCP can make us inflate.
#define TM_PNG_CHUNK_MALLOC_MAX (16u * 1024u * 1024u)
#define TM_PNG_UINT31_MAX 0x7fffffffu

typedef struct png_reader {
    png_structp png;
    png_infop info;
    const unsigned char *data;
    size_t size;
    size_t offset;
    /// Row pointers into out->pixels, one per row.
    png_bytep *rows;
    tm_decoded_image *out;
    char *message;
    size_t message_capacity;
    /// Set by the warning handler when IHDR breaks png_set_user_limits.
    int exceeded_user_limit;
} png_reader;

static void on_png_error(png_structp png, png_const_charp text) {
    png_reader *reader = png_get_error_ptr(png);
    tm_set_message(reader->message, reader->message_capacity, "%s", text);
    png_longjmp(png, 1);
}

/// Warnings (bad CRC on an ancillary chunk, which is then skipped, etc.) are not failures. The one
/// we watch for is IHDR beyond png_set_user_limits, which libpng then reports as "Invalid IHDR".
static void on_png_warning(png_structp png, png_const_charp text) {
    png_reader *reader = png_get_error_ptr(png);
    if (strstr(text, "exceeds user limit") != NULL) reader->exceeded_user_limit = 1;
}

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    png_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset) png_error(png, "unexpected end of data (truncated file)");
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

static uint32_t big_endian_u32(const unsigned char *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

/// Copies iCCP and eXIf from libpng's info struct unless already copied (eXIf may follow IDAT).
static tm_status copy_metadata(png_reader *reader) {
    tm_decoded_image *out = reader->out;
    png_charp name;
    int compression;
    png_bytep profile;
    png_uint_32 profile_size;
    if (out->icc.data == NULL &&
        png_get_iCCP(reader->png, reader->info, &name, &compression, &profile, &profile_size) && profile_size > 0) {
        out->icc.data = tm_copy_bytes(profile, profile_size);
        if (out->icc.data == NULL) return TM_OUT_OF_MEMORY;
        out->icc.size = profile_size;
    }
    png_bytep exif;
    png_uint_32 exif_size;
    if (out->exif.data == NULL && png_get_eXIf_1(reader->png, reader->info, &exif_size, &exif) && exif_size > 0) {
        out->exif.data = tm_copy_bytes(exif, exif_size);
        if (out->exif.data == NULL) return TM_OUT_OF_MEMORY;
        out->exif.size = exif_size;
    }
    return TM_OK;
}

/// Samples per pixel after our transforms: palette → RGB, tRNS → an alpha channel.
static int output_channels(int color_type, int has_transparency) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return has_transparency ? 2 : 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_PALETTE:
    case PNG_COLOR_TYPE_RGB: return has_transparency ? 4 : 3;
    default: return 4; // PNG_COLOR_TYPE_RGB_ALPHA
    }
}

static tm_status read_header(png_reader *reader, const tm_decode_options *options) {
    if (setjmp(png_jmpbuf(reader->png))) {
        if (!reader->exceeded_user_limit) return TM_CORRUPT;
        // libpng rejected IHDR before storing it; IHDR is always the first chunk (bytes 16–23).
        if (reader->size >= 24) {
            reader->out->source_width = big_endian_u32(reader->data + 16);
            reader->out->source_height = big_endian_u32(reader->data + 20);
        }
        return TM_TOO_LARGE;
    }
    png_structp png = reader->png;
    png_set_read_fn(png, reader, read_from_memory);
    // No side can exceed the pixel limit (the other side is at least 1); libpng's default of one
    // million per side would refuse legitimate 1×2,000,000 strips as "corrupt".
    uint64_t side = options->max_pixels < TM_PNG_UINT31_MAX ? options->max_pixels : TM_PNG_UINT31_MAX;
    png_set_user_limits(png, (png_uint_32)side, (png_uint_32)side);
    png_set_chunk_malloc_max(png, TM_PNG_CHUNK_MALLOC_MAX);
    // Keep ICC profiles byte for byte, even those libpng knows as "incorrect sRGB" variants.
    png_set_option(png, PNG_SKIP_sRGB_CHECK_PROFILE, PNG_OPTION_ON);
    png_read_info(png, reader->info);

    png_uint_32 width, height;
    int bit_depth, color_type, interlace;
    png_get_IHDR(png, reader->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    tm_decoded_image *out = reader->out;
    out->source_width = out->width = width;
    out->source_height = out->height = height;
    out->source_bit_depth = bit_depth;
    out->is_interlaced = interlace != PNG_INTERLACE_NONE;
    out->channels = output_channels(color_type, png_get_valid(png, reader->info, PNG_INFO_tRNS) != 0);
    out->bytes_per_sample = bit_depth == 16 ? 2 : 1;
    return copy_metadata(reader);
}

/// Sets the transforms to 8/16-bit gray, gray+alpha, RGB or RGBA and checks the row layout.
static tm_status prepare_rows(png_reader *reader) {
    if (setjmp(png_jmpbuf(reader->png))) return TM_CORRUPT;
    png_structp png = reader->png;
    int color_type = png_get_color_type(png, reader->info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, reader->info) < 8) {
        png_set_expand_gray_1_2_4_to_8(png); // scales 0...2^n-1 onto 0...255
    }
    if (png_get_valid(png, reader->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_set_interlace_handling(png); // png_read_image then merges the seven Adam7 passes
    png_read_update_info(png, reader->info);

    tm_decoded_image *out = reader->out;
    size_t expected = (size_t)out->width * (size_t)out->channels * (size_t)out->bytes_per_sample;
    if (png_get_channels(png, reader->info) != out->channels || png_get_rowbytes(png, reader->info) != expected) {
        tm_set_message(reader->message, reader->message_capacity, "unexpected PNG row layout after transforms");
        return TM_UNSUPPORTED;
    }
    return TM_OK;
}

static tm_status read_pixels(png_reader *reader) {
    if (setjmp(png_jmpbuf(reader->png))) return TM_CORRUPT;
    tm_decoded_image *out = reader->out;
    size_t stride = (size_t)out->width * (size_t)out->channels * (size_t)out->bytes_per_sample;
    out->pixels.data = malloc(stride * out->height);
    reader->rows = malloc(sizeof(png_bytep) * out->height);
    if (out->pixels.data == NULL || reader->rows == NULL) return TM_OUT_OF_MEMORY;
    out->pixels.size = stride * out->height;
    for (uint32_t y = 0; y < out->height; y++) reader->rows[y] = out->pixels.data + y * stride;
    png_read_image(reader->png, reader->rows);
    return TM_OK;
}

/// Reads the chunks after the image data (an eXIf may sit there). Every pixel is decoded by now,
/// so a missing IEND or a damaged trailing chunk costs nothing and is ignored.
static void read_trailer(png_reader *reader) {
    if (setjmp(png_jmpbuf(reader->png))) return;
    png_read_end(reader->png, reader->info);
    (void)copy_metadata(reader); // out of memory here only loses a late eXIf
}

tm_status tm_png_decode(const unsigned char *data, size_t size, const tm_decode_options *options,
                        tm_decoded_image *out, char *message, size_t message_capacity) {
    memset(out, 0, sizeof *out);
    tm_set_message(message, message_capacity, "%s", "");
    png_reader reader;
    memset(&reader, 0, sizeof reader);
    reader.data = data;
    reader.size = size;
    reader.out = out;
    reader.message = message;
    reader.message_capacity = message_capacity;

    reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, on_png_error, on_png_warning);
    if (reader.png != NULL) reader.info = png_create_info_struct(reader.png);
    tm_status status = TM_OK;
    if (reader.png == NULL || reader.info == NULL) {
        tm_set_message(message, message_capacity, "out of memory creating the PNG reader");
        status = TM_OUT_OF_MEMORY;
    }
    if (status == TM_OK) status = read_header(&reader, options);
    if (status == TM_OK && !options->header_only) {
        // Before any row is allocated: png_read_info has read only the chunks before IDAT.
        if (tm_exceeds_pixel_limit(out->source_width, out->source_height, options->max_pixels)) status = TM_TOO_LARGE;
        if (status == TM_OK) status = prepare_rows(&reader);
        if (status == TM_OK) status = read_pixels(&reader);
        if (status == TM_OK) read_trailer(&reader);
    }
    if (status == TM_TOO_LARGE) {
        tm_set_message(message, message_capacity, "PNG of %u×%u pixels exceeds the limit",
                       out->source_width, out->source_height);
    } else if (status == TM_OUT_OF_MEMORY && message != NULL && message_capacity > 0 && message[0] == 0) {
        tm_set_message(message, message_capacity, "out of memory decoding PNG");
    }

    // Safe after any failure: png_destroy_read_struct ignores NULL and clears both pointers.
    png_destroy_read_struct(&reader.png, &reader.info, NULL);
    free(reader.rows);
    reader.rows = NULL;
    if (status != TM_OK) tm_decoded_image_release(out);
    return status;
}
