int tm_codec_shims_version(void) { return 1; }
