package formats_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// mtdTool finds an mtd-utils tool: a skip on a developer's machine, a
// failure in CI, which installs mtd-utils.
func mtdTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs mtd-utils)", name)
		}
		t.Skipf("%s not installed (apt-get install mtd-utils)", name)
	}
	return p
}

// TestUBIFSCarved finds a bare UBIFS image (mkfs.ubifs output, as some
// vendors flash it) at an odd offset of a blob: only its superblock is
// carved, not each of its nodes.
func TestUBIFSCarved(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/shadow"), []byte("root::0:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "fs")
	if b, err := exec.Command(mtdTool(t, "mkfs.ubifs"), "-r", root, "-m", "2048", "-e", "126976", "-c", "30", "-x", "zstd", "-o", img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ubifs: %v\n%s", err, b)
	}
	fs, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	blob := fixture.Blob(int64(len(fs))+0x30000, 13, fixture.Part{Offset: 0x10005, Data: fs})
	got, errs := walkBlob(t, blob)
	if g := got["blob.bin!/ubifs@0x10005!/etc/shadow"]; g.Data != "root::0:0:99999:7:::\n" {
		t.Errorf("etc/shadow: %+v (have %v)", g, walkedPaths(got))
	}
	for p := range got {
		if strings.Contains(p, "ubifs@") && !strings.HasPrefix(p, "blob.bin!/ubifs@0x10005") {
			t.Errorf("also carved: %s", p)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

// ubiImage builds, with mksquashfs, mkfs.ubifs and ubinize, a NAND UBI
// image holding a squashfs volume "rootfs" and a UBIFS volume
// "rootfs_data" made from the same small tree.
func ubiImage(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "etc/init.d"), 0o755))
	must(os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "etc/init.d/rcS"), []byte("#!/bin/sh\nmount -a\n"), 0o755))
	must(os.Symlink("busybox", filepath.Join(root, "sh")))
	run := func(name string, args ...string) {
		t.Helper()
		if b, err := exec.Command(mtdTool(t, name), args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
	}
	sq, fs, out, cfg := filepath.Join(dir, "sq"), filepath.Join(dir, "fs"), filepath.Join(dir, "ubi"), filepath.Join(dir, "ubi.ini")
	run("mksquashfs", root, sq, "-noappend", "-quiet")
	run("mkfs.ubifs", "-r", root, "-m", "2048", "-e", "126976", "-c", "40", "-x", "lzo", "-o", fs)
	must(os.WriteFile(cfg, []byte("[rootfs]\nmode=ubi\nimage="+sq+"\nvol_id=0\nvol_type=static\nvol_name=rootfs\n"+
		"[data]\nmode=ubi\nimage="+fs+"\nvol_id=1\nvol_type=dynamic\nvol_name=rootfs_data\n"), 0o644))
	run("ubinize", "-o", out, "-p", "128KiB", "-m", "2048", cfg)
	b, err := os.ReadFile(out)
	must(err)
	return b
}

// TestUBICarved finds a UBI image at an odd offset of a raw NAND dump and
// lists the files of its squashfs volume.
func TestUBICarved(t *testing.T) {
	img := ubiImage(t)
	blob := fixture.Blob(int64(len(img))+0x60000, 11, fixture.Part{Offset: 0x20003, Data: img})
	got, errs := walkBlob(t, blob)
	root := "blob.bin!/ubi@0x20003"
	if g := got[root]; g.Kind != "ubi" {
		t.Fatalf("%s: kind %q (have %v)", root, g.Kind, walkedPaths(got))
	}
	if g := got[root+"!/rootfs"]; g.Kind != "squashfs" {
		t.Errorf("rootfs volume: kind %q", g.Kind)
	}
	if g := got[root+"!/rootfs!/etc/passwd"]; !strings.HasPrefix(g.Data, "root:x:0:0") || g.Kind != artifact.KindText {
		t.Errorf("rootfs!/etc/passwd: %+v", g)
	}
	if g := got[root+"!/rootfs_data"]; g.Kind != "ubifs" {
		t.Errorf("rootfs_data volume: kind %q", g.Kind)
	}
	data := root + "!/rootfs_data!/"
	if g := got[data+"etc/init.d/rcS"]; g.Mode != 0o755 || !strings.Contains(g.Data, "mount -a") {
		t.Errorf("rootfs_data!/etc/init.d/rcS: %+v", g)
	}
	if g := got[data+"sh"]; g.Kind != artifact.KindSymlink || g.Link != "busybox" {
		t.Errorf("rootfs_data!/sh: %+v", g)
	}
	n := 0
	for p := range got {
		if strings.Contains(p, "ubi@") && !strings.HasPrefix(p, root) {
			n++
		}
	}
	if n != 0 {
		t.Errorf("%d more ubi regions carved: %v", n, walkedPaths(got))
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
