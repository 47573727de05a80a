package squashfs3

import "github.com/doorman-sec/doorman/format/squashfs3/sq3write"

// Short names for the test writer.
type (
	wfile = sq3write.Entry
	wopts = sq3write.Options
)

var (
	writeImage     = sq3write.Write
	zlibCodec      = sq3write.Zlib
	lzmaAloneCodec = sq3write.LZMAAlone
	rawLZMACodec   = sq3write.RawLZMA
	storeCodec     = sq3write.Store
)
