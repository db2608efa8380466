#pragma once
// Helpers shared by the PNG and JPEG shims; private to this target.

#include <stddef.h>
#include "codec_shims.h"

/// Copies a formatted reason into the caller's message buffer (truncating, always NUL-terminated).
void tm_set_message(char *message, size_t capacity, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/// A malloc'd copy of `size` bytes, or NULL (size 0 or out of memory).
unsigned char *tm_copy_bytes(const unsigned char *bytes, size_t size);

/// Frees every buffer of a decoded image and sets them to NULL; safe to call twice.
void tm_decoded_image_release(tm_decoded_image *image);

/// Whether width × height exceeds `max_pixels`.
int tm_exceeds_pixel_limit(uint64_t width, uint64_t height, uint64_t max_pixels);
