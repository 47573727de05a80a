package formats

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/ulikunitz/xz"
)

func xzBytes(t *testing.T, data []byte, dict int) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := xz.WriterConfig{DictCap: dict}.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// The first block's LZMA2 dictionary is read from its header, so a crafted
// header asking for gigabytes is refused before the decoder allocates it.
func TestXZDictionaryCap(t *testing.T) {
	data := bytes.Repeat([]byte("firmware "), 1000)
	good := xzBytes(t, data, 8<<20)
	if d := xzFirstDict(good[12:]); d != 8<<20 {
		t.Fatalf("first block dictionary = %d, want 8 MiB", d)
	}
	rc, err := openXZ(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(rc)
	if !bytes.Equal(out, data) {
		t.Fatal("round trip differs")
	}

	// Find the LZMA2 properties byte (filter id 0x21, size 1) in the block
	// header and make it ask for 4 GiB.
	bad := append([]byte(nil), good...)
	i := bytes.Index(bad[12:12+int(bad[12]+1)*4], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatal("no LZMA2 filter flags in the block header")
	}
	bad[12+i+2] = 40
	if d := xzFirstDict(bad[12:]); d < 1<<31 {
		t.Fatalf("patched dictionary = %d, want about 4 GiB", d)
	}
	if _, err := openXZ(bytes.NewReader(bad)); !errors.Is(err, artifact.ErrLimit) {
		t.Fatalf("4 GiB dictionary: err = %v, want the limit", err)
	}
	// A 64 MiB dictionary is what xz -9 writes, but a stream of a few
	// hundred bytes cannot need it: refused before 64 MiB are allocated.
	bad[12+i+2] = 36 // 2^(36/2+12) = 64 MiB... property 36 is 2^30? see xzFirstDict
	if d := xzFirstDict(bad[12:]); d > 8<<20 && int64(len(bad))*1024 < d {
		if _, err := openXZ(bytes.NewReader(bad)); !errors.Is(err, artifact.ErrLimit) {
			t.Fatalf("%d-byte dictionary for a %d-byte stream: err = %v, want the limit", d, len(bad), err)
		}
	} else {
		t.Fatalf("property 36 gives %d", d)
	}
}
