package squashfs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
)

// testdataCompressors are the committed mksquashfs images, one per
// compressor, each holding sqfstest.Fixture().
var testdataCompressors = []string{"gzip", "lzma", "lzo", "xz", "lz4", "zstd"}

// TestTestdataImages reads the committed mksquashfs images, so every
// compressor is covered even where squashfs-tools is missing.
func TestTestdataImages(t *testing.T) {
	for _, comp := range testdataCompressors {
		t.Run(comp, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", comp+".sqfs"))
			if err != nil {
				t.Fatal(err)
			}
			im := openBytes(t, data, Options{})
			if im.Compression() != comp {
				t.Errorf("Compression = %q", im.Compression())
			}
			if im.BytesUsed() != int64(len(data)) {
				t.Errorf("BytesUsed = %d, image is %d bytes (made with -nopad)", im.BytesUsed(), len(data))
			}
			checkEntries(t, im, sqfstest.Fixture(), sqfstest.ImplicitDirs, false)
		})
	}
}
