// PNG encoding into a growing memory buffer with libpng (png_set_write_fn).
//
// write_png arms setjmp(png_jmpbuf) before its first libpng call; the output buffer and row
// pointers live in the caller-owned png_writer so the cleanup finds them after a longjmp.

#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "shim_common.h"

#define TM_PNG_INITIAL_CAPACITY (64u * 1024u)

typedef struct png_writer {
    png_structp png;
    png_infop info;
    tm_buffer output;
    size_t capacity;
    png_bytep *rows;
    char *message;
    size_t message_capacity;
    int out_of_memory;
} png_writer;

static void on_png_error(png_structp png, png_const_charp text) {
    png_writer *writer = png_get_error_ptr(png);
    tm_set_message(writer->message, writer->message_capacity, "%s", text);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text; // a library must not print; libpng warns e.g. when it declines an invalid ICC profile
}

static void write_to_memory(png_structp png, png_bytep bytes, size_t length) {
    png_writer *writer = png_get_io_ptr(png);
    if (length > writer->capacity - writer->output.size) {
        if (length > SIZE_MAX / 2 - writer->output.size) png_error(png, "PNG output too large");
        size_t needed = writer->output.size + length;
        size_t capacity = writer->capacity ? writer->capacity : TM_PNG_INITIAL_CAPACITY;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = realloc(writer->output.data, capacity);
        if (grown == NULL) {
            writer->out_of_memory = 1;
            png_error(png, "out of memory for PNG output");
        }
        writer->output.data = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->output.data + writer->output.size, bytes, length);
    writer->output.size += length;
}

static void flush_memory(png_structp png) { (void)png; }

static int color_type_for(int channels) {
    switch (channels) {
    case 1: return PNG_COLOR_TYPE_GRAY;
    case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3: return PNG_COLOR_TYPE_RGB;
    default: return PNG_COLOR_TYPE_RGB_ALPHA;
    }
}

static tm_status write_png(png_writer *writer, const tm_encode_input *input) {
    if (setjmp(png_jmpbuf(writer->png))) return writer->out_of_memory ? TM_OUT_OF_MEMORY : TM_ENCODE_FAILED;
    png_structp png = writer->png;
    png_set_write_fn(png, writer, write_to_memory, flush_memory);
    png_set_option(png, PNG_SKIP_sRGB_CHECK_PROFILE, PNG_OPTION_ON);
    png_set_IHDR(png, writer->info, input->width, input->height, input->bit_depth, color_type_for(input->channels),
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (input->icc_size > 0) {
        png_set_iCCP(png, writer->info, "ICC profile", PNG_COMPRESSION_TYPE_BASE, input->icc,
                     (png_uint_32)input->icc_size);
    }
    // png_set_eXIf_1 copies the block; the cast only satisfies its non-const signature.
    if (input->exif_size > 0) png_set_eXIf_1(png, writer->info, (png_uint_32)input->exif_size, (png_bytep)input->exif);
    png_write_info(png, writer->info);

    size_t stride = (size_t)input->width * (size_t)input->channels * (size_t)(input->bit_depth / 8);
    writer->rows = malloc(sizeof(png_bytep) * input->height);
    if (writer->rows == NULL) {
        writer->out_of_memory = 1;
        png_error(png, "out of memory for PNG rows");
    }
    // libpng copies each row before filtering, so the input rows are only read.
    for (uint32_t y = 0; y < input->height; y++) writer->rows[y] = (png_bytep)(input->pixels + y * stride);
    png_write_image(png, writer->rows);
    png_write_end(png, writer->info);
    return TM_OK;
}

static const char *invalid_reason(const tm_encode_input *input) {
    if (input->pixels == NULL || input->width == 0 || input->height == 0) return "empty image";
    if (input->width > 0x7fffffffu || input->height > 0x7fffffffu) return "PNG sides are at most 2^31-1 pixels";
    if (input->channels < 1 || input->channels > 4) return "PNG holds 1 to 4 channels";
    if (input->bit_depth != 8 && input->bit_depth != 16) return "PNG bit depth must be 8 or 16";
    if (input->icc_size > 0x7fffffffu || input->exif_size > 0x7fffffffu) return "metadata block too large for PNG";
    return NULL;
}

tm_status tm_png_encode(const tm_encode_input *input, tm_buffer *out, char *message, size_t message_capacity) {
    out->data = NULL;
    out->size = 0;
    tm_set_message(message, message_capacity, "%s", "");
    const char *reason = invalid_reason(input);
    if (reason != NULL) {
        tm_set_message(message, message_capacity, "%s", reason);
        return TM_ENCODE_FAILED;
    }

    png_writer writer;
    memset(&writer, 0, sizeof writer);
    writer.message = message;
    writer.message_capacity = message_capacity;
    writer.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer, on_png_error, on_png_warning);
    if (writer.png != NULL) writer.info = png_create_info_struct(writer.png);
    tm_status status;
    if (writer.png == NULL || writer.info == NULL) {
        tm_set_message(message, message_capacity, "out of memory creating the PNG writer");
        status = TM_OUT_OF_MEMORY;
    } else {
        status = write_png(&writer, input);
    }

    // Safe after any failure: png_destroy_write_struct ignores NULL and clears both pointers.
    png_destroy_write_struct(&writer.png, &writer.info);
    free(writer.rows);
    writer.rows = NULL;
    if (status == TM_OK) {
        *out = writer.output;
    } else {
        free(writer.output.data);
    }
    writer.output.data = NULL;
    return status;
}
