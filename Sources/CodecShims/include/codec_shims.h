#pragma once
// Placeholder; the PNG/JPEG shim API is declared here.
int tm_codec_shims_version(void);
