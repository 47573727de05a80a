package android

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func expand(t testing.TB, img []byte) []byte {
	t.Helper()
	s, err := OpenSparse(bytes.NewReader(img), int64(len(img)))
	if err != nil {
		t.Fatalf("OpenSparse: %v", err)
	}
	b, err := io.ReadAll(s.Reader())
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if s.Length() != int64(len(img)) {
		t.Errorf("Length %d of %d", s.Length(), len(img))
	}
	return b
}

// TestSparseChunks expands every chunk type, with blocks no chunk covers
// at the end.
func TestSparseChunks(t *testing.T) {
	img := sparse(8, 6,
		schunk{chunkRaw, 2, []byte("0123456789abcdef")},
		schunk{chunkFill, 1, []byte("WXYZ")},
		schunk{chunkCRC, 0, []byte{1, 2, 3, 4}},
		schunk{chunkDontCare, 1, nil},
		schunk{chunkRaw, 1, []byte("ABCDEFGH")})
	want := "0123456789abcdefWXYZWXYZ" + string(make([]byte, 8)) + "ABCDEFGH" + string(make([]byte, 8))
	if got := expand(t, img); string(got) != want {
		t.Errorf("expanded %q, want %q", got, want)
	}
}

// TestImg2simg expands images made by libsparse's img2simg, which finds
// zero and fill runs itself, at two block sizes.
func TestImg2simg(t *testing.T) {
	tool := needTool(t, "img2simg", "android-sdk-libsparse-utils")
	raw := make([]byte, 1<<20)
	copy(raw, "hsqs-like header at the start")
	copy(raw[40960:], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 4096)) // a fill run
	for i := 200000; i < 300000; i++ {
		raw[i] = byte(i * 7)
	}
	copy(raw[len(raw)-10:], "the end...")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "raw.img"), filepath.Join(dir, "sparse.img")
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bs := range []string{"4096", "1024"} {
		if b, err := exec.Command(tool, in, out, bs).CombinedOutput(); err != nil {
			t.Fatalf("img2simg: %v\n%s", err, b)
		}
		img, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(img) > len(raw)/2 {
			t.Errorf("block %s: sparse image of %d bytes: no sparse chunks to test", bs, len(img))
		}
		if got := expand(t, img); !bytes.Equal(got, raw) {
			t.Errorf("block %s: expanded image differs (%d bytes)", bs, len(got))
		}
	}
}

func TestSparseHostile(t *testing.T) {
	for name, img := range map[string][]byte{
		"raw size lies":     sparse(8, 4, schunk{chunkRaw, 3, []byte("only8byt")}),
		"past total blocks": sparse(8, 1, schunk{chunkDontCare, 2, nil}),
		"unknown type":      sparse(8, 1, schunk{0xcac9, 1, nil}),
		"fill size":         sparse(8, 1, schunk{chunkFill, 1, []byte("WXYZW")}),
		"cut":               sparse(8, 4, schunk{chunkRaw, 1, []byte("12345678")}, schunk{chunkRaw, 1, []byte("12345678")})[:50],
	} {
		if _, err := OpenSparse(bytes.NewReader(img), int64(len(img))); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A huge chunk count with no chunks behind it.
	img := sparse(8, 1)
	le.PutUint32(img[20:], 1<<31)
	if _, err := OpenSparse(bytes.NewReader(img), int64(len(img))); !errors.Is(err, ErrCorrupt) {
		t.Errorf("chunk count: %v", err)
	}
	// 16 TiB of don't-care from 40 bytes: opens, and reads only what is asked.
	img = sparse(1<<22, 1<<22, schunk{chunkDontCare, 1 << 22, nil})
	s, err := OpenSparse(bytes.NewReader(img), int64(len(img)))
	if err != nil || s.Size() != 1<<44 {
		t.Fatalf("%v, size %d", err, s.Size())
	}
	if n, _ := io.Copy(io.Discard, io.LimitReader(s.Reader(), 1<<20)); n != 1<<20 {
		t.Errorf("read %d", n)
	}
	for _, b := range [][]byte{nil, fill(0, 28), []byte("\x3a\xff\x26\xed\x02\x00")} {
		if _, err := OpenSparse(bytes.NewReader(b), int64(len(b))); !errors.Is(err, ErrNotAndroid) {
			t.Errorf("%q: %v", b, err)
		}
	}
}
