package ubifs

import (
	"io/fs"
	"testing"
)

// TestMkfsUBIFS reads images made by mtd-utils' mkfs.ubifs with every
// compressor and two NAND geometries.
func TestMkfsUBIFS(t *testing.T) {
	for name, args := range map[string][]string{
		"lzo":       {"-m", "2048", "-e", "129024", "-c", "100", "-x", "lzo"},
		"zlib":      {"-m", "2048", "-e", "129024", "-c", "100", "-x", "zlib"},
		"zstd":      {"-m", "2048", "-e", "129024", "-c", "100", "-x", "zstd"},
		"none":      {"-m", "2048", "-e", "129024", "-c", "100", "-x", "none"},
		"favor-lzo": {"-m", "4096", "-e", "253952", "-c", "50", "-x", "favor_lzo", "-F"},
		"nor-small": {"-m", "8", "-e", "65408", "-c", "200", "-x", "zlib", "-f", "4"},
	} {
		t.Run(name, func(t *testing.T) {
			data, dev := mkfs(t, append(args, "-U")...)
			tree, im := readTree(t, data)
			for p, c := range sample {
				if g := tree[p]; g.Data != c || !g.Mode.IsRegular() {
					t.Errorf("%s: %d bytes (%v), want %d", p, len(g.Data), g.Mode, len(c))
				}
			}
			if g := tree["sparse"]; g.Data != string(sparseContent()) {
				t.Errorf("sparse: %d bytes", len(g.Data))
			}
			if g := tree["bin/firmware.bin"]; g.Mode != fs.ModeSetuid|0o755 {
				t.Errorf("setuid mode %v", g.Mode)
			}
			if g := tree["etc/init.d/rcS"]; g.Mode != 0o755 {
				t.Errorf("rcS mode %v", g.Mode)
			}
			if g := tree["bin/link"]; g.Mode&fs.ModeSymlink == 0 || g.Link != "../etc/passwd" {
				t.Errorf("symlink %+v", g)
			}
			if g := tree["etc/init.d"]; !g.Mode.IsDir() {
				t.Errorf("etc/init.d %+v", g)
			}
			if dev {
				if g := tree["dev/ttyS0"]; g.Mode&fs.ModeCharDevice == 0 || g.Rdev != 4<<8|64 {
					t.Errorf("device %+v", g)
				}
				if g := tree["dev/fifo"]; g.Mode&fs.ModeNamedPipe == 0 {
					t.Errorf("fifo %+v", g)
				}
			}
			if len(im.Warnings()) > 0 {
				t.Errorf("warnings: %v", im.Warnings())
			}
			if im.Length() != int64(len(data)) {
				t.Errorf("Length %d of %d", im.Length(), len(data))
			}
		})
	}
}
