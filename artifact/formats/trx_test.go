package formats_test

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// TestTRXCarved finds a TRX in a flash dump and follows its partitions:
// a gzip "kernel" and a JFFS2 root filesystem, down to /etc/passwd.
func TestTRXCarved(t *testing.T) {
	rootfs, err := jffs2write.Write([]jffs2write.Entry{{Path: "etc/passwd", Data: []byte("root:x:0:0::/root:/bin/sh\n")}}, jffs2write.Options{Compressor: jffs2write.Zlib, EraseBlock: 4096})
	if err != nil {
		t.Fatal(err)
	}
	kernel := fixture.Gzip([]byte(strings.Repeat("Linux version 2.6.36 kernel image\n", 100)))
	img := fixture.TRX(kernel, rootfs)
	// A near-miss first: "HDR0" with a plausible header but a wrong CRC.
	bad := fixture.TRX([]byte("kernel"), []byte("rootfs"))
	bad[len(bad)-1] ^= 1
	blob := fixture.Blob(512<<10, 5, fixture.Part{Offset: 0x101, Data: bad}, fixture.Part{Offset: 0x20003, Data: img})
	got, errs := walkBlob(t, blob)
	if g := got["blob.bin!/trx@0x20003"]; g.Kind != "trx" {
		t.Fatalf("trx not carved: %v", walkedPaths(got))
	}
	if g := got["blob.bin!/trx@0x20003!/part0"]; g.Kind != "gzip" {
		t.Errorf("part0: kind %q", g.Kind)
	}
	if g := got["blob.bin!/trx@0x20003!/part1!/etc/passwd"]; g.Kind != artifact.KindText || !strings.HasPrefix(g.Data, "root:") {
		t.Errorf("rootfs passwd: %+v (have %v)", g, walkedPaths(got))
	}
	if _, ok := got["blob.bin!/trx@0x101"]; ok {
		t.Error("TRX with a bad CRC carved")
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
