package fit

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// images opens data and reads every image by name.
func images(t testing.TB, data []byte) (map[string]string, *FIT) {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	out := map[string]string{}
	for _, im := range f.Images {
		b, _ := io.ReadAll(io.NewSectionReader(bytes.NewReader(data), im.Offset, im.Size))
		out[im.Name] = string(b)
	}
	return out, f
}

func TestHandMade(t *testing.T) {
	img := sampleFIT([]byte("KERNEL"), []byte("RAMDISK!"), []byte("\xd0\x0d\xfe\xedDT"))
	if !Sniff(img, int64(len(img))) {
		t.Error("Sniff")
	}
	got, f := images(t, img)
	if got["kernel"] != "KERNEL" || got["ramdisk"] != "RAMDISK!" || got["fdt-1"] != "\xd0\x0d\xfe\xedDT" {
		t.Errorf("images %v", got)
	}
	if f.Description != "test FIT" || f.Images[0].Type != "kernel" || f.Images[2].Description != "fdt-1 image" {
		t.Errorf("%+v", f)
	}
	if f.Length() != int64(len(img)) {
		t.Errorf("Length %d of %d", f.Length(), len(img))
	}
}

// TestMkimage reads FIT images made by U-Boot's mkimage -f from an .its
// source: inline data, external data (-E, data-offset) and external data
// at a fixed position (-E -p, data-position).
func TestMkimage(t *testing.T) {
	tool := needTool(t, "mkimage", "u-boot-tools")
	needTool(t, "dtc", "device-tree-compiler")
	dir := t.TempDir()
	files := map[string][]byte{"kernel": bytes.Repeat([]byte("zImage"), 3001), "ramdisk": bytes.Repeat([]byte("initrd"), 777), "fdt-1": []byte("\xd0\x0d\xfe\xed a device tree")}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), c, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	its := `/dts-v1/;
/ {
	description = "router FIT";
	#address-cells = <1>;
	images {
		kernel {
			description = "Linux kernel";
			data = /incbin/("kernel");
			type = "kernel"; arch = "arm"; os = "linux"; compression = "none";
			load = <0x80008000>; entry = <0x80008000>;
			hash-1 { algo = "crc32"; };
		};
		ramdisk {
			description = "initramfs";
			data = /incbin/("ramdisk");
			type = "ramdisk"; arch = "arm"; os = "linux"; compression = "none";
		};
		fdt-1 {
			description = "board dtb";
			data = /incbin/("fdt-1");
			type = "flat_dt"; arch = "arm"; compression = "none";
		};
	};
	configurations {
		default = "conf-1";
		conf-1 { kernel = "kernel"; ramdisk = "ramdisk"; fdt = "fdt-1"; };
	};
};
`
	if err := os.WriteFile(filepath.Join(dir, "fit.its"), []byte(its), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, extra := range map[string][]string{"inline": nil, "external": {"-E"}, "position": {"-E", "-p", "0x2000"}} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name+".itb")
			cmd := exec.Command(tool, append(append([]string{"-f", "fit.its"}, extra...), out)...)
			cmd.Dir = dir
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("mkimage: %v\n%s", err, b)
			}
			img, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !Sniff(img[:min(len(img), 4096)], int64(len(img))) {
				t.Error("Sniff")
			}
			got, f := images(t, img)
			for n, c := range files {
				if got[n] != string(c) {
					t.Errorf("%s: %d bytes", n, len(got[n]))
				}
			}
			if f.Images[0].External != (name != "inline") || f.Length() != int64(len(img)) || f.Description != "router FIT" {
				t.Errorf("external %v, length %d of %d, %q", f.Images[0].External, f.Length(), len(img), f.Description)
			}
		})
	}
}

// TestPlainDTB keeps a device tree without /images from being a FIT.
func TestPlainDTB(t *testing.T) {
	dtb := fdt(tnode{props: []tprop{{"model", cstr("board")}}, children: []tnode{{name: "chosen", props: []tprop{{"bootargs", cstr("console=ttyS0")}}}}}, nil)
	if Sniff(dtb, int64(len(dtb))) {
		t.Error("Sniff took a plain DTB for a FIT")
	}
	if _, err := Open(bytes.NewReader(dtb), int64(len(dtb))); !errors.Is(err, ErrNotFIT) {
		t.Errorf("Open: %v", err)
	}
	if root, _, err := ParseFDT(bytes.NewReader(dtb), int64(len(dtb))); err != nil || root.Child("chosen").Prop("bootargs").Len != 14 {
		t.Errorf("ParseFDT: %v", err)
	}
}
