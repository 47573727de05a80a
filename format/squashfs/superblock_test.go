package squashfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// TestBadSuperblock patches superblock fields of a valid image one at a
// time; Open must name the right sentinel and Sniff must agree where the
// superblock alone shows the problem.
func TestBadSuperblock(t *testing.T) {
	base := writeImage(t, sqfstest.Fixture(), sqfswrite.WriteOptions{BlockSize: 4096})
	im := openBytes(t, base, Options{})
	var fileRef uint64
	if err := im.Walk(func(f *File) error {
		if f.Path == "etc/passwd" {
			fileRef = f.node.ref
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		patch func(b []byte) []byte
		want  error
		sniff bool // whether Sniff still accepts the superblock
	}{
		{"random bytes", func(b []byte) []byte { return sqfstest.Noise(9, 4096) }, ErrNotSquashfs, false},
		{"empty", func(b []byte) []byte { return nil }, ErrNotSquashfs, false},
		{"three bytes", func(b []byte) []byte { return b[:3] }, ErrNotSquashfs, false},
		{"magic only", func(b []byte) []byte { return b[:4] }, ErrTruncated, false},
		{"zeros after magic", func(b []byte) []byte { clear(b[4:]); return b }, ErrUnsupported, false},
		{"big-endian magic", func(b []byte) []byte { putU32(b, layout.OffMagic, layout.MagicSwapped); return b }, ErrUnsupported, false},
		{"version 3.1", func(b []byte) []byte {
			putU16(b, layout.OffVersionMajor, 3)
			putU16(b, layout.OffVersionMinor, 1)
			return b
		}, ErrUnsupported, false},
		{"compressor 9", func(b []byte) []byte { putU16(b, layout.OffCompression, 9); return b }, ErrUnsupported, false},
		{"block size not a power of two", func(b []byte) []byte { putU32(b, layout.OffBlockSize, 3000); return b }, ErrCorrupt, false},
		{"block log mismatch", func(b []byte) []byte { putU16(b, layout.OffBlockLog, 13); return b }, ErrCorrupt, false},
		{"block size 2 MiB", func(b []byte) []byte {
			putU32(b, layout.OffBlockSize, 1<<21)
			putU16(b, layout.OffBlockLog, 21)
			return b
		}, ErrCorrupt, false},
		{"bytes_used past the end", func(b []byte) []byte { putU64(b, layout.OffBytesUsed, 1<<40); return b }, ErrTruncated, true},
		{"bytes_used tiny", func(b []byte) []byte { putU64(b, layout.OffBytesUsed, 10); return b }, ErrCorrupt, false},
		{"inode table past the end", func(b []byte) []byte { putU64(b, layout.OffInodeTable, 1<<40); return b }, ErrCorrupt, false},
		{"tables out of order", func(b []byte) []byte {
			putU64(b, layout.OffInodeTable, getU64(b, layout.OffDirectoryTable))
			return b
		}, ErrCorrupt, false},
		{"id table past the end", func(b []byte) []byte { putU64(b, layout.OffIDTable, 1<<40); return b }, ErrCorrupt, false},
		{"no ids", func(b []byte) []byte { putU16(b, layout.OffIDCount, 0); return b }, ErrCorrupt, false},
		{"fragment table past the end", func(b []byte) []byte { putU64(b, layout.OffFragmentTable, 1<<40); return b }, ErrCorrupt, false},
		{"id block pointer", func(b []byte) []byte { putU64(b, int64(getU64(b, layout.OffIDTable)), 1<<50); return b }, ErrCorrupt, true},
		{"root inode block", func(b []byte) []byte { putU64(b, layout.OffRootInode, 0xffffffff<<16); return b }, ErrCorrupt, true},
		{"root inode offset", func(b []byte) []byte { putU64(b, layout.OffRootInode, 9000); return b }, ErrCorrupt, true},
		{"root is a file", func(b []byte) []byte { putU64(b, layout.OffRootInode, fileRef); return b }, ErrCorrupt, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.patch(bytes.Clone(base))
			_, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			if !errors.Is(err, c.want) {
				t.Errorf("Open error %v, want %v", err, c.want)
			}
			if got := Sniff(data); got != c.sniff {
				t.Errorf("Sniff = %v, want %v", got, c.sniff)
			}
		})
	}
}

func getU64(b []byte, off int64) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// TestSniffShortHead: a head shorter than the superblock is never
// recognised, even when it starts with the magic.
func TestSniffShortHead(t *testing.T) {
	data := writeImage(t, sqfstest.Fixture(), sqfswrite.WriteOptions{})
	if !Sniff(data[:layout.SuperblockSize]) {
		t.Error("Sniff of the superblock = false")
	}
	if Sniff(data[:layout.SuperblockSize-1]) {
		t.Error("Sniff of a short head = true")
	}
}
