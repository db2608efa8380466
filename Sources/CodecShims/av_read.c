#include "av_read.h"

#include <dlfcn.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The libraries are opened with dlopen on first use, not linked: libavcodec alone brings ~110
// shared libraries (every codec FFmpeg was built with), and loading them at start took every
// tracemark process from 10 to 40 ms — a fifth of a 15-s clip's whole detection — though only
// MP4/WebM/ADTS audio and GIF/BMP/TIFF images need them. The sonames are the major versions of
// the headers compiled against, so the functions match their declarations.
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#define LIBAV_FUNCTIONS(X) \
    X(avformat, av_find_best_stream) \
    X(avutil, av_frame_alloc) \
    X(avutil, av_frame_free) \
    X(avutil, av_free) \
    X(avutil, av_freep) \
    X(avutil, av_get_packed_sample_fmt) \
    X(avutil, av_log_set_level) \
    X(avutil, av_malloc) \
    X(avutil, av_mallocz) \
    X(avcodec, av_packet_alloc) \
    X(avcodec, av_packet_free) \
    X(avcodec, av_packet_unref) \
    X(avutil, av_pix_fmt_desc_get) \
    X(avformat, av_read_frame) \
    X(avutil, av_rescale) \
    X(avutil, av_rescale_q) \
    X(avutil, av_sample_fmt_is_planar) \
    X(avutil, av_strerror) \
    X(avcodec, avcodec_alloc_context3) \
    X(avcodec, avcodec_free_context) \
    X(avcodec, avcodec_open2) \
    X(avcodec, avcodec_parameters_to_context) \
    X(avcodec, avcodec_receive_frame) \
    X(avcodec, avcodec_send_packet) \
    X(avformat, avformat_alloc_context) \
    X(avformat, avformat_close_input) \
    X(avformat, avformat_find_stream_info) \
    X(avformat, avformat_open_input) \
    X(avformat, avio_alloc_context) \
    X(avformat, avio_context_free) \
    X(swscale, sws_scale) \
    X(swscale, sws_getContext) \
    X(swscale, sws_freeContext)

static struct {
#define DECLARE(library, name) __typeof__(name) *name;
    LIBAV_FUNCTIONS(DECLARE)
#undef DECLARE
} av;
static pthread_once_t av_once = PTHREAD_ONCE_INIT;
static char av_failure[200];

static void av_load(void) {
    static const char *names[4] = {
        "libavutil.so." STRINGIFY(LIBAVUTIL_VERSION_MAJOR), "libavcodec.so." STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
        "libavformat.so." STRINGIFY(LIBAVFORMAT_VERSION_MAJOR), "libswscale.so." STRINGIFY(LIBSWSCALE_VERSION_MAJOR),
    };
    void *handles[4];
    for (int i = 0; i < 4; i++) {
        if (!(handles[i] = dlopen(names[i], RTLD_NOW | RTLD_LOCAL))) {
            snprintf(av_failure, sizeof av_failure, "cannot load %s (Debian: apt-get install %s)", names[i],
                     i == 3 ? "libswscale-dev" : "libavformat-dev");
            return;
        }
    }
    void *avutil = handles[0], *avcodec = handles[1], *avformat = handles[2], *swscale = handles[3];
#define RESOLVE(library, name) \
    if (!(av.name = (__typeof__(name) *)dlsym(library, #name))) { \
        snprintf(av_failure, sizeof av_failure, "%s has no %s", #library, #name); \
        return; \
    }
    LIBAV_FUNCTIONS(RESOLVE)
#undef RESOLVE
}

/// Loads the libraries once; 0 when they are there, -1 with `message` set when not.
static int av_ready(char *message, size_t message_size) {
    pthread_once(&av_once, av_load);
    if (av_failure[0] == 0) return 0;
    snprintf(message, message_size, "%s", av_failure);
    return -1;
}

/// The bytes libavformat reads through the AVIOContext's callbacks.
typedef struct memory_source {
    const unsigned char *data;
    size_t size;
    size_t position;
} memory_source;

struct tm_av_reader {
    memory_source source;
    AVIOContext *io;
    AVFormatContext *format;
    AVCodecContext *codec;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    int channels;
    int sample_rate;
    /// Samples of `frame` already handed out; the frame is empty when it equals nb_samples.
    int consumed;
    /// The demuxer is exhausted and the decoder has been sent its flush packet.
    int flushing;
    int finished;
};

static int read_callback(void *opaque, uint8_t *buffer, int size) {
    memory_source *source = opaque;
    size_t left = source->size - source->position;
    if (left == 0) return AVERROR_EOF;
    size_t count = (size_t)size < left ? (size_t)size : left;
    memcpy(buffer, source->data + source->position, count);
    source->position += count;
    return (int)count;
}

static int64_t seek_callback(void *opaque, int64_t offset, int whence) {
    memory_source *source = opaque;
    if (whence & AVSEEK_SIZE) return (int64_t)source->size;
    int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)source->position; break;
    case SEEK_END: base = (int64_t)source->size; break;
    default: return -1;
    }
    int64_t target = base + offset;
    if (target < 0 || target > (int64_t)source->size) return -1;
    source->position = (size_t)target;
    return target;
}

static void describe(int code, const char *what, char *message, size_t message_size) {
    char reason[128];
    av.av_strerror(code, reason, sizeof reason);
    snprintf(message, message_size, "%s: %s", what, reason);
}

void tm_av_close(tm_av_reader *reader) {
    if (!reader) return;
    av.av_frame_free(&reader->frame);
    av.av_packet_free(&reader->packet);
    av.avcodec_free_context(&reader->codec);
    if (reader->format) av.avformat_close_input(&reader->format);
    if (reader->io) {
        av.av_freep(&reader->io->buffer);
        av.avio_context_free(&reader->io);
    }
    av.av_free(reader);
}

/// The libraries loaded, and a reader over `data` with its container opened (`what` names the
/// kind of file in a message); NULL with `message` set when either fails.
static tm_av_reader *open_container(const unsigned char *data, size_t size, const char *what,
                                    char *message, size_t message_size) {
    if (av_ready(message, message_size) != 0) return NULL;
    // The libraries' own warnings would go to stderr: a damaged packet is ours to report (or skip).
    av.av_log_set_level(AV_LOG_QUIET);
    tm_av_reader *reader = av.av_mallocz(sizeof *reader);
    if (!reader) { snprintf(message, message_size, "out of memory"); return NULL; }
    reader->source = (memory_source){ data, size, 0 };
    enum { io_buffer_size = 1 << 16 };
    unsigned char *buffer = av.av_malloc(io_buffer_size);
    reader->io = buffer ? av.avio_alloc_context(buffer, io_buffer_size, 0, &reader->source, read_callback, NULL, seek_callback) : NULL;
    reader->format = av.avformat_alloc_context();
    reader->packet = av.av_packet_alloc();
    reader->frame = av.av_frame_alloc();
    if (!reader->io || !reader->format || !reader->packet || !reader->frame) {
        if (!reader->io) av.av_free(buffer);
        tm_av_close(reader);
        snprintf(message, message_size, "out of memory");
        return NULL;
    }
    reader->format->pb = reader->io;
    reader->format->flags |= AVFMT_FLAG_CUSTOM_IO;
    int status = av.avformat_open_input(&reader->format, NULL, NULL, NULL);
    if (status < 0) {
        // avformat_open_input frees the context on failure.
        reader->format = NULL;
        describe(status, what, message, message_size);
        tm_av_close(reader);
        return NULL;
    }
    return reader;
}

int tm_av_open(const unsigned char *data, size_t size, tm_av_reader **out, tm_av_info *info,
               char *message, size_t message_size) {
    *out = NULL;
    tm_av_reader *reader = open_container(data, size, "unreadable container", message, message_size);
    if (!reader) return -1;
    int status;
    if ((status = av.avformat_find_stream_info(reader->format, NULL)) < 0) {
        describe(status, "unreadable stream headers", message, message_size);
        tm_av_close(reader);
        return -1;
    }
    const AVCodec *decoder = NULL;
    reader->stream = av.av_find_best_stream(reader->format, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
    if (reader->stream < 0 || !decoder) {
        snprintf(message, message_size, reader->stream == AVERROR_DECODER_NOT_FOUND
                 ? "no decoder for its audio stream" : "no audio stream");
        tm_av_close(reader);
        return -2;
    }
    AVStream *stream = reader->format->streams[reader->stream];
    reader->codec = av.avcodec_alloc_context3(decoder);
    if (!reader->codec) { snprintf(message, message_size, "out of memory"); tm_av_close(reader); return -1; }
    if ((status = av.avcodec_parameters_to_context(reader->codec, stream->codecpar)) < 0
        || (status = av.avcodec_open2(reader->codec, decoder, NULL)) < 0) {
        describe(status, "cannot open its decoder", message, message_size);
        tm_av_close(reader);
        return -1;
    }
    reader->channels = reader->codec->ch_layout.nb_channels;
    reader->sample_rate = reader->codec->sample_rate;
    if (reader->channels <= 0 || reader->sample_rate <= 0) {
        snprintf(message, message_size, "stream states %d channels at %d Hz", reader->channels, reader->sample_rate);
        tm_av_close(reader);
        return -1;
    }
    info->sample_rate = reader->sample_rate;
    info->channels = reader->channels;
    info->stated_frames = -1;
    if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE) {
        info->stated_frames = av.av_rescale_q(stream->duration, stream->time_base, (AVRational){ 1, reader->sample_rate });
    } else if (reader->format->duration > 0 && reader->format->duration != AV_NOPTS_VALUE) {
        info->stated_frames = av.av_rescale(reader->format->duration, reader->sample_rate, AV_TIME_BASE);
    }
    snprintf(info->codec, sizeof info->codec, "%s", decoder->name);
    info->lossless_bits = (decoder->capabilities & AV_CODEC_CAP_LOSSLESS) || decoder->id == AV_CODEC_ID_ALAC
        ? (stream->codecpar->bits_per_raw_sample > 0 ? stream->codecpar->bits_per_raw_sample : 16) : 0;
    reader->consumed = 0;
    *out = reader;
    return 0;
}

/// Sample `index` of channel `channel` of `frame` as a float at full scale ±1.
static float sample_at(const AVFrame *frame, int channel, int index, int channels) {
    int planar = av.av_sample_fmt_is_planar(frame->format);
    const uint8_t *base = frame->extended_data[planar ? channel : 0];
    int position = planar ? index : index * channels + channel;
    switch (av.av_get_packed_sample_fmt(frame->format)) {
    case AV_SAMPLE_FMT_U8: return ((float)((const uint8_t *)base)[position] - 128.0f) * (1.0f / 128);
    case AV_SAMPLE_FMT_S16: return (float)((const int16_t *)base)[position] * (1.0f / 32768);
    case AV_SAMPLE_FMT_S32: return (float)((double)((const int32_t *)base)[position] * (1.0 / 2147483648.0));
    case AV_SAMPLE_FMT_S64: return (float)((double)((const int64_t *)base)[position] * (1.0 / 9223372036854775808.0));
    case AV_SAMPLE_FMT_FLT: return ((const float *)base)[position];
    case AV_SAMPLE_FMT_DBL: return (float)((const double *)base)[position];
    default: return 0;
    }
}

/// Copies up to `frames` of the pending frame's samples into `out`; returns how many.
static int64_t drain(tm_av_reader *reader, float *out, int64_t frames) {
    const AVFrame *frame = reader->frame;
    int64_t available = frame->nb_samples - reader->consumed;
    int64_t count = available < frames ? available : frames;
    int channels = reader->channels;
    if (av.av_get_packed_sample_fmt(frame->format) == AV_SAMPLE_FMT_FLT && av.av_sample_fmt_is_planar(frame->format)) {
        // AAC, Opus and Vorbis decode to planar float: the common case, one plane at a time.
        for (int c = 0; c < channels; c++) {
            const float *plane = (const float *)frame->extended_data[c] + reader->consumed;
            for (int64_t i = 0; i < count; i++) out[i * channels + c] = plane[i];
        }
    } else {
        for (int64_t i = 0; i < count; i++)
            for (int c = 0; c < channels; c++)
                out[i * channels + c] = sample_at(frame, c, reader->consumed + (int)i, channels);
    }
    reader->consumed += (int)count;
    return count;
}

int64_t tm_av_read(tm_av_reader *reader, float *out, int64_t frames, char *message, size_t message_size) {
    int64_t written = 0;
    while (written < frames) {
        if (reader->consumed < reader->frame->nb_samples) {
            written += drain(reader, out + written * reader->channels, frames - written);
            continue;
        }
        if (reader->finished) break;
        int status = av.avcodec_receive_frame(reader->codec, reader->frame);
        if (status == 0) {
            reader->consumed = 0;
            if (reader->frame->ch_layout.nb_channels != reader->channels || reader->frame->sample_rate != reader->sample_rate) {
                snprintf(message, message_size, "the stream changes from %d channels at %d Hz to %d at %d Hz",
                         reader->channels, reader->sample_rate, reader->frame->ch_layout.nb_channels, reader->frame->sample_rate);
                return -1;
            }
            continue;
        }
        if (status == AVERROR_EOF) { reader->finished = 1; break; }
        if (status != AVERROR(EAGAIN)) {
            describe(status, "undecodable audio", message, message_size);
            return -1;
        }
        // The decoder wants input: the next packet of our stream, or the flush at the end.
        if (reader->flushing) { reader->finished = 1; break; }
        status = av.av_read_frame(reader->format, reader->packet);
        if (status < 0) {
            // The end, or a container cut short: flush what the decoder holds.
            reader->flushing = 1;
            av.avcodec_send_packet(reader->codec, NULL);
            continue;
        }
        if (reader->packet->stream_index == reader->stream) {
            // A damaged packet is dropped and decoding goes on with the next, as players do.
            (void)av.avcodec_send_packet(reader->codec, reader->packet);
        }
        av.av_packet_unref(reader->packet);
    }
    return written;
}


int tm_av_decode_image(const unsigned char *data, size_t size, int64_t max_pixels, int *width, int *height,
                       int *has_alpha, unsigned char **pixels, char *message, size_t message_size) {
    *pixels = NULL;
    // The demuxer, decoder and buffers of the audio reader serve a one-frame image as well.
    tm_av_reader *reader = open_container(data, size, "unreadable image", message, message_size);
    if (!reader) return -1;
    int result = -1, status;
    struct SwsContext *scale = NULL;
    const AVCodec *decoder = NULL;
    reader->stream = av.av_find_best_stream(reader->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (reader->stream < 0 || !decoder) {
        snprintf(message, message_size, "no image in it");
        result = -2;
        goto done;
    }
    const AVCodecParameters *parameters = reader->format->streams[reader->stream]->codecpar;
    if ((int64_t)parameters->width * parameters->height > max_pixels) {
        // Refused from the header, before a frame that size is allocated.
        *width = parameters->width;
        *height = parameters->height;
        snprintf(message, message_size, "%dx%d pixels", parameters->width, parameters->height);
        result = -3;
        goto done;
    }
    reader->codec = av.avcodec_alloc_context3(decoder);
    if (!reader->codec) { snprintf(message, message_size, "out of memory"); goto done; }
    // And from the decoder's own check, for a header that understated the size.
    reader->codec->max_pixels = max_pixels;
    if ((status = av.avcodec_parameters_to_context(reader->codec, parameters)) < 0
        || (status = av.avcodec_open2(reader->codec, decoder, NULL)) < 0) {
        describe(status, "cannot open its decoder", message, message_size);
        goto done;
    }
    // The first frame: packets until the decoder gives one, then a flush for single-frame codecs.
    int have = 0, ended = 0;
    for (;;) {
        int received = av.avcodec_receive_frame(reader->codec, reader->frame);
        if (received == 0) { have = 1; break; }
        if (received != AVERROR(EAGAIN) || ended) break;
        if (av.av_read_frame(reader->format, reader->packet) < 0) {
            ended = 1;
            av.avcodec_send_packet(reader->codec, NULL);
            continue;
        }
        if (reader->packet->stream_index == reader->stream) av.avcodec_send_packet(reader->codec, reader->packet);
        av.av_packet_unref(reader->packet);
    }
    if (!have) {
        snprintf(message, message_size, "no decodable frame (truncated or damaged)");
        goto done;
    }
    AVFrame *frame = reader->frame;
    if (frame->width <= 0 || frame->height <= 0) {
        snprintf(message, message_size, "decoder gave a %dx%d frame", frame->width, frame->height);
        goto done;
    }
    if ((int64_t)frame->width * frame->height > max_pixels) {
        *width = frame->width;
        *height = frame->height;
        snprintf(message, message_size, "%dx%d pixels", frame->width, frame->height);
        result = -3;
        goto done;
    }
    const AVPixFmtDescriptor *descriptor = av.av_pix_fmt_desc_get(frame->format);
    int alpha = descriptor && ((descriptor->flags & AV_PIX_FMT_FLAG_ALPHA) || frame->format == AV_PIX_FMT_PAL8);
    enum AVPixelFormat target = alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24;
    int channels = alpha ? 4 : 3;
    scale = av.sws_getContext(frame->width, frame->height, frame->format, frame->width, frame->height, target,
                           SWS_POINT | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL, NULL);
    if (!scale) {
        snprintf(message, message_size, "no conversion from %s", descriptor ? descriptor->name : "its pixel format");
        goto done;
    }
    unsigned char *out = malloc((size_t)frame->width * frame->height * channels);
    if (!out) { snprintf(message, message_size, "out of memory"); goto done; }
    uint8_t *planes[4] = { out, NULL, NULL, NULL };
    int strides[4] = { frame->width * channels, 0, 0, 0 };
    av.sws_scale(scale, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes, strides);
    *width = frame->width;
    *height = frame->height;
    *has_alpha = alpha;
    *pixels = out;
    result = 0;
done:
    av.sws_freeContext(scale);
    tm_av_close(reader);
    return result;
}
