#include <string.h>

#include <jerror.h>

#include "jpeg_error.h"

void tm_jpeg_fail(j_common_ptr cinfo, tm_status status, const char *reason) {
    tm_jpeg_error *error = (tm_jpeg_error *)cinfo->err;
    tm_set_message(error->message, error->message_capacity, "%s", reason);
    error->status = status;
    longjmp(error->jump, 1);
}

/// Replaces libjpeg's default, which prints and calls exit().
static void on_error_exit(j_common_ptr cinfo) {
    tm_jpeg_error *error = (tm_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    tm_status status = error->default_status;
    switch (cinfo->err->msg_code) {
    case JERR_OUT_OF_MEMORY:
        status = TM_OUT_OF_MEMORY;
        break;
    case JERR_BAD_PRECISION: // 12-bit JPEG: valid, but this libjpeg build reads 8-bit only
    case JERR_CONVERSION_NOTIMPL:
        status = TM_UNSUPPORTED;
        break;
    default:
        break;
    }
    tm_jpeg_fail(cinfo, status, text);
}

/// Warnings (level -1) are counted and otherwise ignored, as libjpeg does (corrupt entropy data
/// decodes to garbage, legitimately), except where they show that data ran out while pixels still
/// needed it: libjpeg would pad the rest of the image with gray and report success.
static void on_emit_message(j_common_ptr cinfo, int level) {
    tm_jpeg_error *error = (tm_jpeg_error *)cinfo->err;
    if (level >= 0) return; // trace messages
    cinfo->err->num_warnings++;
    if (error->end_of_data_policy == TM_END_OF_DATA_IGNORED) return;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        error->reached_end_of_data = 1;
        if (error->end_of_data_policy == TM_END_OF_DATA_FATAL) on_error_exit(cinfo);
    } else if (error->reached_end_of_data) {
        tm_jpeg_fail(cinfo, TM_CORRUPT, "Premature end of JPEG file (image data missing)");
    }
}

/// A library must not write to stderr.
static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

void tm_jpeg_error_init(tm_jpeg_error *error, tm_status default_status, char *message,
                        size_t message_capacity) {
    jpeg_std_error(&error->manager);
    error->manager.error_exit = on_error_exit;
    error->manager.emit_message = on_emit_message;
    error->manager.output_message = on_output_message;
    error->default_status = default_status;
    error->status = default_status;
    error->end_of_data_policy = TM_END_OF_DATA_FATAL_IF_DATA_MISSING;
    error->reached_end_of_data = 0;
    error->message = message;
    error->message_capacity = message_capacity;
}
