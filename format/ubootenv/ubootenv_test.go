package ubootenv

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// Build makes an environment block of size bytes as U-Boot's saveenv
// writes it: CRC, optional flag, variables, the terminator, padding.
func build(size int, redundant, bigEndian bool, pad byte, vars ...string) []byte {
	h := hdr(redundant)
	b := bytes.Repeat([]byte{pad}, size)
	off := h
	for _, v := range vars {
		off += copy(b[off:], v)
		b[off] = 0
		off++
	}
	b[off] = 0
	if redundant {
		b[4] = 1
	}
	c := crc32.ChecksumIEEE(b[h:])
	if bigEndian {
		binary.BigEndian.PutUint32(b, c)
	} else {
		binary.LittleEndian.PutUint32(b, c)
	}
	return b
}

var routerVars = []string{
	"baudrate=115200",
	"bootargs=console=ttyS0,115200 root=31:02 rootfstype=jffs2 init=/sbin/init",
	"bootcmd=bootm 0x9f020000",
	"bootdelay=1",
	"ethaddr=00:00:5e:00:53:01",
	"ipaddr=192.0.2.1",
	"serverip=192.0.2.2",
}

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		size           int
		redundant, big bool
		pad            byte
	}{
		{0x1000, false, false, 0},
		{0x10000, false, true, 0xff},
		{0x2000, true, false, 0xff},
		{0x20000, true, true, 0},
		{0x1f000, false, false, 0}, // an odd partition size: the whole dump
	} {
		b := build(tc.size, tc.redundant, tc.big, tc.pad, routerVars...)
		if !Sniff(b[:4096], tc.redundant) {
			t.Errorf("%+v: Sniff rejects", tc)
		}
		e, err := Find(bytes.NewReader(b), int64(len(b)), tc.redundant)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if e.Size != int64(tc.size) || e.BigEndian != tc.big || len(e.Vars) != len(routerVars) {
			t.Errorf("%+v: got size %#x big %v, %d vars", tc, e.Size, e.BigEndian, len(e.Vars))
		}
		if v, _ := e.Get("bootargs"); v != routerVars[1][len("bootargs="):] {
			t.Errorf("bootargs %q", v)
		}
		if !bytes.Contains(e.Text(), []byte("\nbootcmd=bootm 0x9f020000\n")) {
			t.Errorf("text:\n%s", e.Text())
		}
		// In a bigger blob the block is found at its own size.
		blob := append(append([]byte(nil), b...), bytes.Repeat([]byte{0x5a}, 0x30000)...)
		if e, err := Find(bytes.NewReader(blob), int64(len(blob)), tc.redundant); err != nil || e.Size != int64(tc.size) {
			if tc.size != 0x1f000 {
				t.Errorf("%+v in a blob: %v", tc, err)
			}
		}
	}
}

// TestNearMisses: the default environment compiled into u-boot.bin (no
// CRC), a block whose data was edited without a new CRC, a plain block
// read as redundant, text that mentions bootcmd.
func TestNearMisses(t *testing.T) {
	good := build(0x1000, false, false, 0, routerVars...)
	edited := append([]byte(nil), good...)
	copy(edited[bytes.Index(edited, []byte("init=")):], "init=/bin/sh")
	if _, err := Find(bytes.NewReader(edited), int64(len(edited)), false); err == nil {
		t.Error("edited block accepted")
	}
	if Sniff(good, true) {
		t.Error("plain block sniffed as redundant")
	}
	if _, err := Find(bytes.NewReader(good), int64(len(good)), true); err == nil {
		t.Error("plain block read as redundant")
	}
	compiled := append([]byte("\x00\x00\x00\x00"), []byte("bootcmd=run flash_boot\x00bootdelay=3\x00\x00")...)
	compiled = append(compiled, make([]byte, 0x1000)...)
	if _, err := Find(bytes.NewReader(compiled), int64(len(compiled)), false); err == nil {
		t.Error("block without a CRC accepted")
	}
	for _, s := range []string{"xxxxset bootcmd=foo in the shell\n", "xxxxbootcmd\x00", "xxxx=value\x00\x00", "xxxxboot cmd=x\x00\x00"} {
		if Sniff([]byte(s), false) {
			t.Errorf("Sniff(%q)", s)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add(build(0x400, false, false, 0, routerVars...), false)
	f.Add(build(0x800, true, true, 0xff, routerVars...), true)
	f.Fuzz(func(t *testing.T, b []byte, redundant bool) {
		Sniff(b, redundant)
		e, err := Find(bytes.NewReader(b), int64(len(b)), redundant)
		if err != nil {
			return
		}
		if e.Size > int64(len(b)) || len(e.Text()) > len(b) {
			t.Fatalf("size %d, text %d of %d bytes", e.Size, len(e.Text()), len(b))
		}
	})
}
