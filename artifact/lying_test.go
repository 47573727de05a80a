package artifact_test

// Lying size fields in the archive and filesystem formats: the walker must
// trust only the bytes that are there.

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// A cpio member whose c_filesize says 4 GiB with 100 bytes behind it: the
// member is cut to what the archive holds and reported truncated; the
// member before it is examined as usual.
func TestCpioLyingSize(t *testing.T) {
	arc := artifacttest.Cpio(
		artifacttest.CpioMember{Name: "etc/passwd", Data: []byte(artifacttest.Passwd)},
		artifacttest.CpioMember{Name: "big", Data: bytes.Repeat([]byte("x"), 100), Size: 0xffffffff},
	)
	dir := withClean(t, "initramfs.cpio", arc)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 32*MiB, 64*MiB)
	base := dir + "/initramfs.cpio"
	if v := r.byPath(t, base+"!/etc/passwd"); string(v.Head) != artifacttest.Passwd {
		t.Errorf("etc/passwd read as %q", v.Head)
	}
	big := r.byPath(t, base+"!/big")
	if big.Size > int64(len(arc)) {
		t.Errorf("big has %d bytes, more than the archive", big.Size)
	}
	r.wantError(t, base, `(?i)truncated`)
}

// A squashfs file whose inode says 1 TiB: reading stops at the bytes the
// image holds (the reader reports the block list as corrupt), well within
// the per-file limit, and the other files are examined.
func TestSquashfsLyingSize(t *testing.T) {
	const marker = 12345 // the file's true size, to find its inode
	files := []sqfswrite.Entry{
		{Path: "etc/passwd", Mode: 0o644, Data: []byte(artifacttest.Passwd)},
		{Path: "big", Mode: 0o644, Data: bytes.Repeat([]byte("A"), marker)},
		{Path: "next", Mode: 0o644, Data: []byte("after the liar\n")},
	}
	var img bytes.Buffer
	if err := sqfswrite.Write(&img, files, sqfswrite.WriteOptions{ExtendedInodes: true, UncompressedMetadata: true, UncompressedData: true}); err != nil {
		t.Fatal(err)
	}
	data := img.Bytes()
	// An extended regular-file inode keeps its size as a u64 after the
	// 16-byte header and the u64 start block.
	var sz [8]byte
	binary.LittleEndian.PutUint64(sz[:], marker)
	at := bytes.Index(data, sz[:])
	if at < 0 || bytes.Count(data, sz[:]) != 1 {
		t.Fatalf("cannot find the one inode of size %d", marker)
	}
	binary.LittleEndian.PutUint64(data[at:], 1<<40)

	dir := withClean(t, "rootfs.sqfs", data)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
	base := dir + "/rootfs.sqfs"
	if v := r.byPath(t, base+"!/etc/passwd"); string(v.Head) != artifacttest.Passwd {
		t.Errorf("etc/passwd read as %q", v.Head)
	}
	r.byPath(t, base+"!/next")
	if r.Unpacked > 16*MiB {
		t.Errorf("unpacked %d MiB for a 1 TiB claim", r.Unpacked>>20)
	}
	r.wantError(t, base+"!/big", `cut short`)
}

// LZMA-alone streams with the dictionaries real encoders write (64 KiB to
// 64 MiB) open; one whose header asks for more is refused, not allocated.
// The reader used to be limited to 4 KiB and opened no real .lzma file.
func TestLZMADictionary(t *testing.T) {
	kernel := append([]byte("Linux version 2.6.36\n"), artifacttest.Words(100*KiB, 9)...)
	for _, dict := range []int{1 << 16, 8 << 20, 64 << 20} {
		dir := withClean(t, "vmlinux.lzma", artifacttest.LZMA(t, kernel, dict))
		r := walk(t, dir, artifact.DefaultLimits())
		r.wantNoInternalError(t)
		if len(r.Errors) > 0 {
			t.Errorf("dictionary %d: %v", dict, r.Errors)
		}
		if v := r.byPath(t, dir+"/vmlinux.lzma!/vmlinux"); !bytes.Equal(v.Head, kernel[:headBytes]) {
			t.Errorf("dictionary %d: content not unpacked", dict)
		}
	}
	big := artifacttest.LZMA(t, kernel, 64<<20)
	binary.LittleEndian.PutUint32(big[1:], 1<<30) // 1 GiB, still a valid-looking header
	dir := withClean(t, "vmlinux.lzma", big)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantBounded(t, 5*time.Second, 128*MiB, 256*MiB)
	r.wantError(t, dir+"/vmlinux.lzma", `dictionary`)
}
