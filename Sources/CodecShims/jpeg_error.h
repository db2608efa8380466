#pragma once
// The libjpeg error manager shared by the JPEG reader and writer; private to this target.

#include <setjmp.h>
#include <stdio.h> // jpeglib.h needs FILE and size_t first
#include <jpeglib.h>

#include "shim_common.h"

/// libjpeg only *warns* when the data ends early ("Premature end of JPEG file") and then feeds the
/// decoder a fake EOI, so a truncated file decodes with its lower part gray. The Huffman decoder
/// also reads ahead, though, so the warning fires for a file that lacks only its EOI marker.
/// What tells the two apart is a second warning: once the fake EOI is reached, a decoder that
/// still needs bits warns "premature end of data segment" (or must resync at a restart marker).
typedef enum tm_end_of_data_policy {
    /// Any warning after the end of data is fatal: image data is missing (Huffman coding).
    TM_END_OF_DATA_FATAL_IF_DATA_MISSING = 0,
    /// The end-of-data warning itself is fatal (arithmetic coding, which never warns again).
    TM_END_OF_DATA_FATAL,
    /// Every pixel has been decoded; only trailing markers can be missing.
    TM_END_OF_DATA_IGNORED,
} tm_end_of_data_policy;

/// libjpeg's error manager extended with our jump target. `manager` comes first because libjpeg
/// hands callbacks `cinfo->err`, which we cast back to this struct.
typedef struct tm_jpeg_error {
    struct jpeg_error_mgr manager;
    /// Armed by setjmp in every shim function that calls libjpeg.
    jmp_buf jump;
    /// The status a library error maps to by default (TM_CORRUPT reading, TM_ENCODE_FAILED writing).
    tm_status default_status;
    /// The status of the last failure, read after the longjmp.
    tm_status status;
    /// What running out of data means; see tm_end_of_data_policy.
    tm_end_of_data_policy end_of_data_policy;
    /// Set once libjpeg has warned "Premature end of JPEG file".
    int reached_end_of_data;
    char *message;
    size_t message_capacity;
} tm_jpeg_error;

/// Installs libjpeg's standard handlers, then replaces those that would exit, print or ignore EOF.
void tm_jpeg_error_init(tm_jpeg_error *error, tm_status default_status, char *message,
                        size_t message_capacity);

/// Records `reason` and jumps to the armed setjmp; for failures the shim detects itself.
__attribute__((noreturn)) void tm_jpeg_fail(j_common_ptr cinfo, tm_status status, const char *reason);
