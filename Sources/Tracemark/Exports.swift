// The umbrella library: one import gives the whole public API.
@_exported import Media
@_exported import Codecs
@_exported import Spectral
@_exported import Marking
@_exported import Scan
