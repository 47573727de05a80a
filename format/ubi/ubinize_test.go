package ubi

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ubinize builds a UBI image with mtd-utils' ubinize holding a static
// volume "rootfs" (a squashfs made by mksquashfs) and a dynamic volume
// "rootfs_data" (a UBIFS made by mkfs.ubifs), the layout of OpenWrt's and
// most vendors' NAND images. It returns the image and both volume images.
func ubinize(t testing.TB, peb, minIO, leb int, extra ...string) (img, squash, ubifs []byte) {
	t.Helper()
	tool := needTool(t, "ubinize")
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "passwd"), []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) {
		t.Helper()
		if b, err := exec.Command(needTool(t, name), args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, b)
		}
	}
	sq, fs, out := filepath.Join(dir, "sq.img"), filepath.Join(dir, "fs.ubifs"), filepath.Join(dir, "ubi.img")
	run("mksquashfs", root, sq, "-noappend", "-quiet", "-comp", "xz")
	run("mkfs.ubifs", "-r", root, "-m", fmt.Sprint(minIO), "-e", fmt.Sprint(leb), "-c", "40", "-x", "zlib", "-o", fs)
	cfg := filepath.Join(dir, "ubi.ini")
	ini := fmt.Sprintf("[rootfs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=static\nvol_name=rootfs\n"+
		"[data]\nmode=ubi\nimage=%s\nvol_id=1\nvol_type=dynamic\nvol_size=8MiB\nvol_name=rootfs_data\nvol_flags=autoresize\n", sq, fs)
	if err := os.WriteFile(cfg, []byte(ini), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-o", out, "-p", fmt.Sprint(peb), "-m", fmt.Sprint(minIO)}, extra...)
	if b, err := exec.Command(tool, append(args, cfg)...).CombinedOutput(); err != nil {
		t.Fatalf("ubinize: %v\n%s", err, b)
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return read(out), read(sq), read(fs)
}

// TestUbinize reads images made by ubinize with NAND geometries (2 KiB
// and 4 KiB pages, with and without sub-pages) and a NOR one.
func TestUbinize(t *testing.T) {
	for _, g := range []struct {
		name            string
		peb, minIO, leb int
		extra           []string
	}{
		{"nand2k-subpage", 128 << 10, 2048, 129024, []string{"-s", "512"}},
		{"nand2k", 128 << 10, 2048, 126976, nil},
		{"nand4k", 256 << 10, 4096, 253952, nil},
		{"nor", 64 << 10, 1, 65408, nil},
	} {
		t.Run(g.name, func(t *testing.T) {
			img, sq, fs := ubinize(t, g.peb, g.minIO, g.leb, g.extra...)
			got, im := volumes(t, img)
			if im.PEBSize() != int64(g.peb) {
				t.Errorf("PEB size %d, want %d", im.PEBSize(), g.peb)
			}
			if !bytes.Equal(got["rootfs"], sq) {
				t.Errorf("rootfs: %d bytes, want the %d of the squashfs", len(got["rootfs"]), len(sq))
			}
			d := got["rootfs_data"]
			if len(d) < len(fs) || !bytes.Equal(d[:len(fs)], fs) {
				t.Errorf("rootfs_data: %d bytes, does not start with the %d of the ubifs", len(d), len(fs))
			}
			if len(got) != 2 || len(im.Warnings()) > 0 {
				t.Errorf("volumes %v, warnings %v", len(got), im.Warnings())
			}
			if im.Length() != int64(len(img)) {
				t.Errorf("Length %d of %d", im.Length(), len(img))
			}
		})
	}
}
