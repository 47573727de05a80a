package squashfs3

import (
	"io/fs"
	"testing"
)

// FuzzWalk opens, walks and reads arbitrary images: no panic, no hang,
// bounded memory.
func FuzzWalk(f *testing.F) {
	small := []wfile{
		{Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/root:/bin/sh\n")},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "bin/busybox", Mode: 0o755, Data: make([]byte, 5000)},
		{Path: "dev/null", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, Rdev: 1<<8 | 3},
	}
	for _, o := range []wopts{
		{BlockLog: 12},
		{BE: true, BlockLog: 12, Codec: storeCodec},
		{BlockLog: 12, Codec: rawLZMACodec, Check: true},
		{BE: true, BlockLog: 12, Codec: lzmaAloneCodec},
	} {
		img := writeImage(small, o)
		sb, err := parseSuperblock(img)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(img[:sb.bytesUsed]) // without the padding
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		exercise(t, data)
	})
}
