package android

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sections opens a boot image and reads its sections by name.
func sections(t testing.TB, img []byte) (map[string]string, *Boot) {
	t.Helper()
	b, err := OpenBoot(bytes.NewReader(img), int64(len(img)))
	if err != nil {
		t.Fatalf("OpenBoot: %v", err)
	}
	out := map[string]string{}
	for _, s := range b.Sections {
		d, err := io.ReadAll(io.NewSectionReader(bytes.NewReader(img), s.Offset, s.Size))
		if err != nil {
			t.Fatal(err)
		}
		out[s.Name] = string(d)
	}
	return out, b
}

// TestMkbootimg reads boot images made by AOSP's mkbootimg, header
// versions 0 to 3, with odd section sizes and several page sizes.
func TestMkbootimg(t *testing.T) {
	tool := needTool(t, "mkbootimg", "mkbootimg")
	dir := t.TempDir()
	files := map[string][]byte{"kernel": fill('k', 5000), "ramdisk": fill('r', 3001), "second": fill('s', 77), "dtb": fill('d', 1234)}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), c, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		v    int
		page string
		want []string
	}{
		{0, "2048", []string{"kernel", "ramdisk", "second"}},
		{1, "4096", []string{"kernel", "ramdisk", "second"}},
		{2, "16384", []string{"kernel", "ramdisk", "second", "dtb"}},
		{3, "4096", []string{"kernel", "ramdisk"}},
	} {
		t.Run(fmt.Sprint("v", tc.v), func(t *testing.T) {
			out := filepath.Join(dir, "boot.img")
			args := []string{"--kernel", filepath.Join(dir, "kernel"), "--ramdisk", filepath.Join(dir, "ramdisk"),
				"--cmdline", "console=ttyS0 root=/dev/mmcblk0p2", "--header_version", fmt.Sprint(tc.v), "-o", out}
			if tc.v < 3 {
				args = append(args, "--second", filepath.Join(dir, "second"), "--pagesize", tc.page, "--board", "board1")
			}
			if tc.v == 2 {
				args = append(args, "--dtb", filepath.Join(dir, "dtb"))
			}
			if b, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
				t.Fatalf("mkbootimg: %v\n%s", err, b)
			}
			img, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got, b := sections(t, img)
			if len(got) != len(tc.want) {
				t.Errorf("sections %v", b.Sections)
			}
			for _, n := range tc.want {
				if got[n] != string(files[n]) {
					t.Errorf("%s: %d bytes", n, len(got[n]))
				}
			}
			if b.Cmdline != "console=ttyS0 root=/dev/mmcblk0p2" || b.Version != uint32(tc.v) {
				t.Errorf("cmdline %q, version %d", b.Cmdline, b.Version)
			}
			if b.Length() != int64(len(img)) || len(b.Warnings()) > 0 {
				t.Errorf("Length %d of %d, warnings %v", b.Length(), len(img), b.Warnings())
			}
		})
	}
}

// TestBootV4 reads a version 4 header (GKI boot images) with its boot
// signature section, built here: mkbootimg 29 stops at version 3.
func TestBootV4(t *testing.T) {
	img := boot(4, 4096, fill('k', 100), fill('r', 5000), fill('g', 4096), nil)
	got, b := sections(t, img)
	if got["kernel"] != string(fill('k', 100)) || got["ramdisk"] != string(fill('r', 5000)) || got["signature"] != string(fill('g', 4096)) {
		t.Errorf("sections %v", b.Sections)
	}
	if b.Length() != int64(len(img)) {
		t.Errorf("Length %d of %d", b.Length(), len(img))
	}
}

// TestBootQualcomm reads a version 0 header whose header_version field
// holds a Qualcomm device-tree table size.
func TestBootQualcomm(t *testing.T) {
	img := boot(0, 2048, fill('k', 3000), fill('r', 100), nil, nil)
	le.PutUint32(img[40:], 5000)
	img = append(img, fill('q', 6144)...)
	got, b := sections(t, img)
	if got["dt"] != string(fill('q', 5000)) || b.Version != 0 {
		t.Errorf("sections %v, version %d", b.Sections, b.Version)
	}
}

func TestBootHostile(t *testing.T) {
	img := boot(2, 2048, fill('k', 3000), fill('r', 100), fill('s', 10), fill('d', 10))
	// A kernel larger than the image: cut short, later sections dropped.
	liar := append([]byte(nil), img...)
	le.PutUint32(liar[8:], 0xfffffff0)
	got, b := sections(t, liar)
	if len(got["kernel"]) != len(img)-2048 || len(got) != 1 || len(b.Warnings()) != 2 || b.Length() != int64(len(img)) {
		t.Errorf("sections %v, warnings %v, length %d", b.Sections, b.Warnings(), b.Length())
	}
	// Truncated at every point: never a panic, sections within the data.
	for cut := 0; cut < len(img); cut += 1 + cut/32 {
		exerciseBoot(t, img[:cut])
	}
	for _, p := range []uint32{0, 1000, 3000, 1 << 30} {
		bad := append([]byte(nil), img...)
		le.PutUint32(bad[36:], p)
		if _, err := OpenBoot(bytes.NewReader(bad), int64(len(bad))); !errors.Is(err, ErrNotAndroid) {
			t.Errorf("page size %d: %v", p, err)
		}
	}
}
