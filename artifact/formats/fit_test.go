package formats_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/internal/fixture"
)

// TestFITCarved builds a FIT image with U-Boot's mkimage (an inline
// kernel, a gzip-compressed cpio ramdisk, a device tree; and the same
// with external data) and finds both at odd offsets of a raw flash dump.
func TestFITCarved(t *testing.T) {
	var tools [2]string
	for i, n := range []string{"mkimage", "dtc"} {
		p, err := exec.LookPath(n)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed (CI installs u-boot-tools and device-tree-compiler)", n)
			}
			t.Skipf("%s not installed", n)
		}
		tools[i] = p
	}
	dir := t.TempDir()
	ramdisk := fixture.Gzip(fixture.CpioNewc([]fixture.File{{Path: "etc/inittab", Data: []byte("::sysinit:/etc/init.d/rcS\n")}}))
	for n, c := range map[string][]byte{"kernel": []byte(strings.Repeat("zImage-kernel ", 500)), "ramdisk": ramdisk, "fdt": []byte("\xd0\x0d\xfe\xed not a real dtb")} {
		if err := os.WriteFile(filepath.Join(dir, n), c, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	its := `/dts-v1/;
/ {
	description = "board FIT";
	#address-cells = <1>;
	images {
		kernel { data = /incbin/("kernel"); type = "kernel"; arch = "arm"; os = "linux"; compression = "none"; load = <0x80008000>; entry = <0x80008000>; };
		ramdisk { data = /incbin/("ramdisk"); type = "ramdisk"; arch = "arm"; os = "linux"; compression = "gzip"; };
		fdt-1 { data = /incbin/("fdt"); type = "flat_dt"; arch = "arm"; compression = "none"; };
	};
	configurations { default = "conf-1"; conf-1 { kernel = "kernel"; ramdisk = "ramdisk"; fdt = "fdt-1"; }; };
};
`
	if err := os.WriteFile(filepath.Join(dir, "fit.its"), []byte(its), 0o644); err != nil {
		t.Fatal(err)
	}
	var imgs [2][]byte
	for i, extra := range [][]string{nil, {"-E"}} {
		out := filepath.Join(dir, "fit.itb")
		cmd := exec.Command(tools[0], append(append([]string{"-f", "fit.its"}, extra...), out)...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("mkimage: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		imgs[i] = b
	}
	blob := fixture.Blob(1<<20, 19, fixture.Part{Offset: 0x10003, Data: imgs[0]}, fixture.Part{Offset: 0x60001, Data: imgs[1]})
	got, errs := walkBlob(t, blob)
	for _, root := range []string{"blob.bin!/fit@0x10003", "blob.bin!/fit@0x60001"} {
		if g := got[root]; g.Kind != "fit" {
			t.Fatalf("%s: kind %q (have %v)", root, g.Kind, walkedPaths(got))
		}
		if g := got[root+"!/kernel"]; !strings.HasPrefix(g.Data, "zImage-kernel") || len(g.Data) != 7000 {
			t.Errorf("%s kernel: %d bytes", root, len(g.Data))
		}
		if g := got[root+"!/ramdisk"]; g.Kind != "gzip" {
			t.Errorf("%s ramdisk: kind %q", root, g.Kind)
		}
		found := false
		for p, g := range got {
			if strings.HasPrefix(p, root+"!/ramdisk!/") && strings.HasSuffix(p, "etc/inittab") && strings.Contains(g.Data, "sysinit") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: ramdisk's etc/inittab not reached", root)
		}
		if _, ok := got[root+"!/fdt-1"]; !ok {
			t.Errorf("%s: no fdt-1", root)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
