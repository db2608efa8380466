@_exported import Media
