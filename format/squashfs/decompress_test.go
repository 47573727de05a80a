package squashfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// compressors produce one block in each format, as mksquashfs would.
var compressors = map[uint16]func(t *testing.T, p []byte) []byte{
	layout.CompGzip: func(t *testing.T, p []byte) []byte {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		writeAll(t, w, p)
		must(t, w.Close())
		return b.Bytes()
	},
	layout.CompLZMA: func(t *testing.T, p []byte) []byte {
		var b bytes.Buffer
		w, err := lzma.WriterConfig{Size: int64(len(p))}.NewWriter(&b)
		must(t, err)
		writeAll(t, w, p)
		must(t, w.Close())
		return b.Bytes()
	},
	layout.CompLZO: func(t *testing.T, p []byte) []byte {
		// A stream of literals only: 0 + length extension, data, end.
		n := len(p) - 3 - 15
		out := []byte{0}
		for ; n > 255; n -= 255 {
			out = append(out, 0)
		}
		out = append(out, byte(n))
		out = append(out, p...)
		return append(out, 0x11, 0, 0)
	},
	layout.CompXZ: func(t *testing.T, p []byte) []byte {
		var b bytes.Buffer
		w, err := xz.WriterConfig{CheckSum: xz.CRC32}.NewWriter(&b)
		must(t, err)
		writeAll(t, w, p)
		must(t, w.Close())
		return b.Bytes()
	},
	layout.CompLZ4: func(t *testing.T, p []byte) []byte {
		out := make([]byte, lz4.CompressBlockBound(len(p)))
		n, err := lz4.CompressBlock(p, out, nil)
		must(t, err)
		return out[:n]
	},
	layout.CompZstd: func(t *testing.T, p []byte) []byte {
		e, err := zstd.NewWriter(nil)
		must(t, err)
		return e.EncodeAll(p, nil)
	},
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func writeAll(t *testing.T, w io.Writer, p []byte) {
	t.Helper()
	_, err := w.Write(p)
	must(t, err)
}

// TestDecompressors round-trips a block through each codec and checks the
// output cap, truncated input and garbage input.
func TestDecompressors(t *testing.T) {
	payload := sqfstest.Text(7, 10000)
	for id, compress := range compressors {
		t.Run(compressorNames[id], func(t *testing.T) {
			d, err := newDecompressor(id, 1<<20)
			must(t, err)
			block := compress(t, payload)
			dst := make([]byte, len(payload))
			n, err := d.decompress(dst, bytes.Clone(block))
			if err != nil || !bytes.Equal(dst[:n], payload) {
				t.Fatalf("round trip: n=%d err=%v", n, err)
			}
			// One byte short of room: the block is too large.
			if _, err := d.decompress(make([]byte, len(payload)-1), bytes.Clone(block)); !errors.Is(err, ErrCorrupt) {
				t.Errorf("short output: err=%v, want ErrCorrupt", err)
			}
			// A cut block must fail, or at least decode short (raw LZ4
			// blocks have no end marker; readers compare the decoded size
			// with the expected one).
			for _, cut := range []int{0, 1, len(block) / 2, len(block) - 1} {
				n, err := d.decompress(make([]byte, len(payload)), bytes.Clone(block[:cut]))
				if err == nil && n == len(payload) {
					t.Errorf("cut at %d: decoded the whole block without error", cut)
				} else if err != nil && !errors.Is(err, ErrCorrupt) {
					t.Errorf("cut at %d: err=%v, want ErrCorrupt", cut, err)
				}
			}
			// And the decoder still works after errors.
			n, err = d.decompress(dst, bytes.Clone(block))
			if err != nil || !bytes.Equal(dst[:n], payload) {
				t.Fatalf("after errors: n=%d err=%v", n, err)
			}
		})
	}
}

// TestLZMAHugeDictionary: a header claiming a 4 GiB dictionary and an
// unknown size decodes with a dictionary clamped to the output cap.
func TestLZMAHugeDictionary(t *testing.T) {
	payload := sqfstest.Text(8, 5000)
	var b bytes.Buffer
	w, err := lzma.WriterConfig{Size: -1, EOSMarker: true}.NewWriter(&b)
	must(t, err)
	writeAll(t, w, payload)
	must(t, w.Close())
	block := b.Bytes()
	binary.LittleEndian.PutUint32(block[1:5], 0xffffffff)
	dst := make([]byte, 8192)
	n, err := lzmaDecompressor{}.decompress(dst, block)
	if err != nil || !bytes.Equal(dst[:n], payload) {
		t.Fatalf("n=%d err=%v", n, err)
	}
	// A header claiming more output than the cap is refused up front.
	block = compressors[layout.CompLZMA](t, payload)
	if _, err := (lzmaDecompressor{}).decompress(make([]byte, 4096), block); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err=%v, want ErrCorrupt", err)
	}
}

// xzBlockHeaderBytes builds an xz block header with the given filter
// flags, padded and checksummed.
func xzBlockHeaderBytes(flags byte, filters ...byte) []byte {
	h := append([]byte{0, flags}, filters...)
	for (len(h)+4)%4 != 0 {
		h = append(h, 0)
	}
	h[0] = byte((len(h)+4)/4 - 1)
	return binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(h))
}

// TestXZBlockHeader covers the container checks: LZMA2 alone or after one
// BCJ filter is accepted, other chains are ErrUnsupported, broken headers
// ErrCorrupt.
func TestXZBlockHeader(t *testing.T) {
	cases := []struct {
		name string
		h    []byte
		want error
	}{
		{"lzma2", xzBlockHeaderBytes(0x00, 0x21, 0x01, 0x16), nil},
		{"x86 bcj + lzma2", xzBlockHeaderBytes(0x01, 0x04, 0x00, 0x21, 0x01, 0x16), nil},
		{"arm bcj with start offset", xzBlockHeaderBytes(0x01, 0x07, 0x04, 1, 2, 3, 4, 0x21, 0x01, 0x16), nil},
		{"bcj with bad properties", xzBlockHeaderBytes(0x01, 0x07, 0x02, 1, 2, 0x21, 0x01, 0x16), ErrCorrupt},
		{"arm64 bcj", xzBlockHeaderBytes(0x01, 0x0a, 0x00, 0x21, 0x01, 0x16), ErrUnsupported},
		{"three filters", xzBlockHeaderBytes(0x02, 0x03, 0x01, 0x00, 0x04, 0x00, 0x21, 0x01, 0x16), ErrUnsupported},
		{"lzma2 first", xzBlockHeaderBytes(0x01, 0x21, 0x01, 0x16, 0x04, 0x00), ErrUnsupported},
		{"delta", xzBlockHeaderBytes(0x00, 0x03, 0x01, 0x00), ErrUnsupported},
		{"bad dictionary", xzBlockHeaderBytes(0x00, 0x21, 0x01, 0x3f), ErrCorrupt},
		{"size larger than cap", xzBlockHeaderBytes(0x80, 0xff, 0xff, 0x7f, 0x21, 0x01, 0x16), ErrCorrupt},
		{"reserved flags", xzBlockHeaderBytes(0x04, 0x21, 0x01, 0x16), ErrUnsupported},
		{"bad checksum", append(xzBlockHeaderBytes(0x00, 0x21, 0x01, 0x16)[:8], 1, 2, 3, 4), ErrCorrupt},
		{"truncated", xzBlockHeaderBytes(0x00, 0x21, 0x01, 0x16)[:6], ErrCorrupt},
	}
	for _, c := range cases {
		_, err := xzBlockHeader(c.h, 8192)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: err=%v, want %v", c.name, err, c.want)
		}
	}
}

// TestXZChecks decodes streams with each check type the reader verifies,
// and catches a corrupted check.
func TestXZChecks(t *testing.T) {
	payload := sqfstest.Text(9, 3000)
	for _, check := range []byte{xz.None, xz.CRC32, xz.CRC64, xz.SHA256} {
		var b bytes.Buffer
		w, err := xz.WriterConfig{CheckSum: check}.NewWriter(&b)
		must(t, err)
		writeAll(t, w, payload)
		must(t, w.Close())
		block := b.Bytes()
		dst := make([]byte, 4096)
		n, err := xzDecompressor{}.decompress(dst, bytes.Clone(block))
		if err != nil || !bytes.Equal(dst[:n], payload) {
			t.Errorf("check %d: n=%d err=%v", check, n, err)
		}
		if check == xz.None {
			continue
		}
		// The check follows the block; the index and the 12-byte footer
		// follow it. Flip the check's first byte, found by decoding.
		bad := bytes.Clone(block)
		at := checkOffset(t, bad)
		bad[at] ^= 0xff
		if _, err := (xzDecompressor{}).decompress(dst, bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("check %d: corrupted check gives %v", check, err)
		}
	}
}

// checkOffset finds where the block check starts by decoding the payload.
func checkOffset(t *testing.T, block []byte) int {
	bh, err := xzBlockHeader(block[xzStreamHeaderSize:], 1<<20)
	must(t, err)
	start := xzStreamHeaderSize + bh.size
	br := bytes.NewReader(block[start:])
	r, err := lzma.Reader2Config{DictCap: 1 << 20}.NewReader2(br)
	must(t, err)
	_, err = readBounded(r, make([]byte, 1<<20))
	must(t, err)
	end := len(block) - br.Len()
	return end + (4-(end-xzStreamHeaderSize)%4)%4
}

// TestZstdContentSizeOverCap: a frame declaring more content than the cap
// is refused before decoding.
func TestZstdContentSizeOverCap(t *testing.T) {
	d, err := newZstdDecompressor(1 << 20)
	must(t, err)
	block := compressors[layout.CompZstd](t, make([]byte, 100_000))
	if _, err := d.decompress(make([]byte, 8192), block); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err=%v, want ErrCorrupt", err)
	}
}
