package formats_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// envBlock builds a U-Boot environment of size bytes as saveenv writes it.
func envBlock(size int, redundant bool, vars ...string) []byte {
	h := 4
	if redundant {
		h = 5
	}
	b := make([]byte, size)
	off := h
	for _, v := range vars {
		off += copy(b[off:], v) + 1
	}
	if redundant {
		b[4] = 1
	}
	binary.LittleEndian.PutUint32(b, crc32.ChecksumIEEE(b[h:]))
	return b
}

// TestUbootEnvCarved finds a plain and a redundant environment in a
// flash dump and emits their variables as uboot-env.txt; the default
// environment compiled into the boot loader (no CRC) is not carved.
func TestUbootEnvCarved(t *testing.T) {
	plain := envBlock(0x2000, false,
		"baudrate=115200", "bootargs=console=ttyS0,115200 init=/bin/sh", "bootcmd=bootm 0x9f050000", "ipaddr=192.0.2.1")
	redundant := envBlock(0x1000, true, "bootcmd=run boot_flash", "bootdelay=0", "serverip=192.0.2.9")
	compiled := []byte("U-Boot 2010.06\x00bootcmd=bootm 0x9f050000\x00bootdelay=1\x00baudrate=115200\x00\x00")
	blob := fixture.Blob(1<<20, 3, fixture.Part{Offset: 0x777, Data: compiled},
		fixture.Part{Offset: 0x40001, Data: plain}, fixture.Part{Offset: 0x60003, Data: redundant})
	got, errs := walkBlob(t, blob)
	g := got["blob.bin!/ubootenv@0x40001!/uboot-env.txt"]
	if g.Kind != artifact.KindText || !strings.Contains(g.Data, "bootargs=console=ttyS0,115200 init=/bin/sh\n") {
		t.Errorf("plain env: %+v (have %v)", g, walkedPaths(got))
	}
	g = got["blob.bin!/ubootenv-redundant@0x60003!/uboot-env.txt"]
	if g.Data != "bootcmd=run boot_flash\nbootdelay=0\nserverip=192.0.2.9\n" {
		t.Errorf("redundant env: %+v", g)
	}
	for p := range got {
		if strings.Contains(p, "ubootenv") && !strings.Contains(p, "@0x40001") && !strings.Contains(p, "@0x60003") {
			t.Errorf("unexpected env: %s", p)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

// TestUbootEnvPartition reads a dumped env partition (an odd size that is
// none of the usual ones) as a whole file.
func TestUbootEnvPartition(t *testing.T) {
	env := envBlock(0x1f000, false, "arch=mips", "bootcmd=bootm", "stdin=serial")
	got, errs := walkBlob(t, env)
	if g := got["blob.bin!/uboot-env.txt"]; !bytes.Equal([]byte(g.Data), []byte("arch=mips\nbootcmd=bootm\nstdin=serial\n")) {
		t.Errorf("got %+v (have %v), errors %v", g, walkedPaths(got), errs)
	}
}
