#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim_common.h"

void tm_free(void *pointer) { free(pointer); }

void tm_set_message(char *message, size_t capacity, const char *format, ...) {
    if (message == NULL || capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, capacity, format, arguments);
    va_end(arguments);
}

unsigned char *tm_copy_bytes(const unsigned char *bytes, size_t size) {
    if (bytes == NULL || size == 0) return NULL;
    unsigned char *copy = malloc(size);
    if (copy != NULL) memcpy(copy, bytes, size);
    return copy;
}

static void release_buffer(tm_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
}

void tm_decoded_image_release(tm_decoded_image *image) {
    release_buffer(&image->pixels);
    release_buffer(&image->icc);
    release_buffer(&image->exif);
}

int tm_exceeds_pixel_limit(uint64_t width, uint64_t height, uint64_t max_pixels) {
    // Both sides fit in 32 bits, so the product cannot overflow 64 bits.
    return width * height > max_pixels;
}
