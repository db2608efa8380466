// JPEG encoding into memory with libjpeg-turbo.
//
// We use our own destination manager rather than jpeg_mem_dest: libjpeg-turbo's memory
// destination only publishes the grown buffer in term_destination, so after an error mid-way the
// caller's pointer names a buffer the library already freed and the live one leaks. Ours keeps the
// single live buffer in jpeg_writer, where the cleanup can always find it.

#include <stdlib.h>
#include <string.h>

#include "jpeg_error.h"

/// An APP marker's payload is at most 65533 bytes (its 16-bit length counts itself).
#define TM_JPEG_MAX_MARKER_DATA 65533u
#define TM_EXIF_PREFIX_SIZE 6u
/// jpeg_write_icc_profile splits a profile over at most 255 APP2 markers of 65519 bytes each.
#define TM_JPEG_MAX_ICC_SIZE (255u * 65519u)
#define TM_JPEG_INITIAL_CAPACITY (64u * 1024u)

typedef struct jpeg_writer {
    struct jpeg_compress_struct cinfo;
    struct jpeg_destination_mgr destination;
    tm_jpeg_error error;
    /// The encoded bytes so far; `output.size` is set when compression finishes.
    tm_buffer output;
    size_t capacity;
} jpeg_writer;

/// Grows writer->output to at least `minimum` bytes, doubling; fails through libjpeg's handler.
static void grow_output(j_compress_ptr cinfo, size_t minimum) {
    jpeg_writer *writer = (jpeg_writer *)cinfo->client_data;
    size_t capacity = writer->capacity ? writer->capacity : TM_JPEG_INITIAL_CAPACITY;
    while (capacity < minimum) {
        if (capacity > SIZE_MAX / 2) tm_jpeg_fail((j_common_ptr)cinfo, TM_OUT_OF_MEMORY, "JPEG output too large");
        capacity *= 2;
    }
    unsigned char *grown = realloc(writer->output.data, capacity);
    if (grown == NULL) tm_jpeg_fail((j_common_ptr)cinfo, TM_OUT_OF_MEMORY, "out of memory for JPEG output");
    writer->output.data = grown;
    writer->capacity = capacity;
}

static void init_destination(j_compress_ptr cinfo) {
    jpeg_writer *writer = (jpeg_writer *)cinfo->client_data;
    grow_output(cinfo, TM_JPEG_INITIAL_CAPACITY);
    cinfo->dest->next_output_byte = writer->output.data;
    cinfo->dest->free_in_buffer = writer->capacity;
}

/// Called when the buffer is full: all of it holds output, so double it and carry on.
static boolean empty_output_buffer(j_compress_ptr cinfo) {
    jpeg_writer *writer = (jpeg_writer *)cinfo->client_data;
    size_t used = writer->capacity;
    grow_output(cinfo, used * 2);
    cinfo->dest->next_output_byte = writer->output.data + used;
    cinfo->dest->free_in_buffer = writer->capacity - used;
    return TRUE;
}

static void term_destination(j_compress_ptr cinfo) {
    jpeg_writer *writer = (jpeg_writer *)cinfo->client_data;
    writer->output.size = writer->capacity - cinfo->dest->free_in_buffer;
}

static void configure(jpeg_writer *writer, const tm_encode_input *input, const tm_jpeg_settings *settings) {
    j_compress_ptr cinfo = &writer->cinfo;
    cinfo->image_width = input->width;
    cinfo->image_height = input->height;
    cinfo->input_components = input->channels;
    cinfo->in_color_space = input->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(cinfo); // RGB in → YCbCr in the file
    jpeg_set_quality(cinfo, settings->quality, TRUE);
    if (input->channels == 3) {
        int luma_factor = settings->chroma_444 ? 1 : 2; // 2×2 luma blocks per chroma block = 4:2:0
        cinfo->comp_info[0].h_samp_factor = luma_factor;
        cinfo->comp_info[0].v_samp_factor = luma_factor;
        for (int i = 1; i < 3; i++) cinfo->comp_info[i].h_samp_factor = cinfo->comp_info[i].v_samp_factor = 1;
    }
    cinfo->optimize_coding = TRUE;
    if (settings->progressive) jpeg_simple_progression(cinfo);
    // Exif readers expect APP1 straight after SOI (Exif 2.3 §4.5.4), which is what cameras write,
    // so a file that carries EXIF gets no JFIF APP0.
    if (input->exif_size > 0) cinfo->write_JFIF_header = FALSE;
}

static tm_status write_jpeg(jpeg_writer *writer, const tm_encode_input *input,
                            const tm_jpeg_settings *settings) {
    if (setjmp(writer->error.jump)) return writer->error.status;
    j_compress_ptr cinfo = &writer->cinfo;
    jpeg_create_compress(cinfo);
    cinfo->client_data = writer;
    writer->destination.init_destination = init_destination;
    writer->destination.empty_output_buffer = empty_output_buffer;
    writer->destination.term_destination = term_destination;
    cinfo->dest = &writer->destination;
    configure(writer, input, settings);
    jpeg_start_compress(cinfo, TRUE);

    if (input->exif_size > 0) {
        jpeg_write_m_header(cinfo, JPEG_APP0 + 1, (unsigned int)(TM_EXIF_PREFIX_SIZE + input->exif_size));
        static const unsigned char prefix[TM_EXIF_PREFIX_SIZE] = {'E', 'x', 'i', 'f', 0, 0};
        for (size_t i = 0; i < TM_EXIF_PREFIX_SIZE; i++) jpeg_write_m_byte(cinfo, prefix[i]);
        for (size_t i = 0; i < input->exif_size; i++) jpeg_write_m_byte(cinfo, input->exif[i]);
    }
    if (input->icc_size > 0) jpeg_write_icc_profile(cinfo, input->icc, (unsigned int)input->icc_size);

    size_t stride = (size_t)input->width * (size_t)input->channels;
    while (cinfo->next_scanline < cinfo->image_height) {
        // libjpeg reads input rows without writing them; the cast only satisfies its signature.
        JSAMPROW row = (JSAMPROW)(input->pixels + (size_t)cinfo->next_scanline * stride);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    return TM_OK;
}

static tm_status validate(const tm_encode_input *input, const tm_jpeg_settings *settings, char *message,
                          size_t capacity) {
    const char *reason = NULL;
    if (input->pixels == NULL || input->width == 0 || input->height == 0) reason = "empty image";
    else if (input->width > JPEG_MAX_DIMENSION || input->height > JPEG_MAX_DIMENSION) reason = "JPEG sides are at most 65500 pixels";
    else if (input->channels != 1 && input->channels != 3) reason = "JPEG holds gray or RGB only";
    else if (input->bit_depth != 8) reason = "JPEG holds 8-bit samples only";
    else if (settings->quality < 1 || settings->quality > 100) reason = "JPEG quality must be 1...100";
    else if (input->exif_size > TM_JPEG_MAX_MARKER_DATA - TM_EXIF_PREFIX_SIZE) reason = "EXIF block larger than one APP1 segment (65527 bytes)";
    else if (input->icc_size > TM_JPEG_MAX_ICC_SIZE) reason = "ICC profile larger than 255 APP2 segments";
    if (reason == NULL) return TM_OK;
    tm_set_message(message, capacity, "%s", reason);
    return TM_ENCODE_FAILED;
}

tm_status tm_jpeg_encode(const tm_encode_input *input, const tm_jpeg_settings *settings,
                         tm_buffer *out, char *message, size_t message_capacity) {
    out->data = NULL;
    out->size = 0;
    tm_set_message(message, message_capacity, "%s", "");
    tm_status status = validate(input, settings, message, message_capacity);
    if (status != TM_OK) return status;

    jpeg_writer writer;
    memset(&writer, 0, sizeof writer);
    tm_jpeg_error_init(&writer.error, TM_ENCODE_FAILED, message, message_capacity);
    writer.cinfo.err = &writer.error.manager;
    status = write_jpeg(&writer, input, settings);

    // Safe whatever step failed: destroy is a no-op before creation, and the one live output
    // buffer is always writer.output.data.
    jpeg_destroy_compress(&writer.cinfo);
    if (status == TM_OK) {
        *out = writer.output;
    } else {
        free(writer.output.data);
    }
    writer.output.data = NULL;
    return status;
}
