package formats

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// xz and LZMA-alone via ulikunitz/xz, the pure-Go implementation of both.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "xz",
		Priority: 50,
		Magic:    [][]byte{{0xfd, '7', 'z', 'X', 'Z', 0}},
		Detect: func(h []byte, _ int64) bool {
			return bytes.HasPrefix(h, []byte{0xfd, '7', 'z', 'X', 'Z', 0})
		},
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			return streamChild(oc, src, innerName(oc.Name, map[string]string{".txz": ".tar", ".xz": ""}), openXZ, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openXZ(io.NewSectionReader(src, 0, src.Size())))
		},
	})
	artifact.Register(&artifact.Format{
		Kind:     "lzma",
		Priority: 10, // a weak signature: after every format with a real magic
		Magic:    [][]byte{{0x5d, 0, 0}},
		Detect:   lzmaHeaderOK,
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			return streamChild(oc, src, innerName(oc.Name, map[string]string{".lzma": ""}), openLZMA, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openLZMA(lzmaProbeReader(src)))
		},
	})
}

// lzmaMaxDict is the largest LZMA dictionary we allocate: lzma -9 and the
// kernel's lzma use 64 MiB. The decoder allocates the header's dictionary
// size up front, so a header cannot be trusted with more.
const lzmaMaxDict = 64 << 20

// lzmaProbeReader is the stream at src with the header's dictionary size
// cut to 4 KiB: the probe decodes only the first KiB, which refers to no
// more than a KiB of history, and a blob of fake LZMA headers must not cost
// 64 MiB of allocation per candidate.
func lzmaProbeReader(src artifact.Source) io.Reader {
	var h [13]byte
	n, _ := src.ReadAt(h[:], 0)
	if n == len(h) && binary.LittleEndian.Uint32(h[1:5]) > 1<<12 {
		binary.LittleEndian.PutUint32(h[1:5], 1<<12)
	}
	return io.MultiReader(bytes.NewReader(h[:n]), io.NewSectionReader(src, int64(n), src.Size()-int64(n)))
}

// xzMaxDict is the largest LZMA2 dictionary accepted in an xz block: xz -9
// and --extreme use 64 MiB; the decoder allocates whatever the header says
// (up to 4 GiB), so a crafted header must not reach it.
const xzMaxDict = 64 << 20

func openXZ(r io.Reader) (io.ReadCloser, error) {
	most := historyCap(r, 8<<20, xzMaxDict)
	br := bufio.NewReaderSize(r, 1<<16)
	if head, _ := br.Peek(12 + 1024); len(head) > 12 {
		if d := xzFirstDict(head[12:]); d > most {
			return nil, fmt.Errorf("%w: xz block asks for a %d KiB dictionary (at most %d KiB for this stream)", artifact.ErrLimit, d>>10, most>>10)
		}
	}
	zr, err := xz.ReaderConfig{SingleStream: true}.NewReader(br)
	if err != nil {
		return nil, err
	}
	return nopCloser{zr}, nil
}

func openLZMA(r io.Reader) (io.ReadCloser, error) {
	// DictCap is the largest dictionary accepted (not a minimum): the 4 KiB
	// it was set to refused every real .lzma file.
	// LZMA-alone carries kernels, where lzma -9 writes 64 MiB whatever the
	// size: the fixed cap stays.
	zr, err := lzma.ReaderConfig{DictCap: lzmaMaxDict}.NewReader(r)
	if err != nil {
		return nil, err
	}
	return nopCloser{zr}, nil
}

// lzmaHeaderOK checks the 13-byte LZMA-alone header: properties byte, a
// dictionary size that encoders actually write, and an uncompressed size
// that is either "unknown" or plausible. LZMA has no magic, so this is
// what keeps random bytes from being taken for it.
func lzmaHeaderOK(h []byte, size int64) bool {
	if len(h) < 13 || h[0] >= 9*5*5 {
		return false
	}
	dict := binary.LittleEndian.Uint32(h[1:5])
	if dict < 1<<12 || dict > 1<<30 {
		return false
	}
	if dict&(dict-1) != 0 { // power of two, or 2^n + 2^(n-1) (xz's presets)
		low := dict & -dict
		if dict != low*3 {
			return false
		}
	}
	us := binary.LittleEndian.Uint64(h[5:13])
	return us == ^uint64(0) || (us > 0 && us < 1<<36)
}

// xzFirstDict returns the LZMA2 dictionary size of the first block of an xz
// stream (b starts right after the 12-byte stream header), or 0 when it
// cannot tell. Later blocks are not checked: real files use one setting.
func xzFirstDict(b []byte) int64 {
	if len(b) < 2 || b[0] == 0 {
		return 0
	}
	size := (int(b[0]) + 1) * 4
	if size > len(b) {
		return 0
	}
	hdr := b[1:size]
	flags := hdr[0]
	p := 1
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(hdr); i++ {
			c := hdr[p]
			p++
			v |= uint64(c&0x7f) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		if _, ok := varint(); !ok {
			return 0
		}
	}
	if flags&0x80 != 0 {
		if _, ok := varint(); !ok {
			return 0
		}
	}
	for f := 0; f <= int(flags&3); f++ {
		id, ok1 := varint()
		n, ok2 := varint()
		if !ok1 || !ok2 || p+int(n) > len(hdr) {
			return 0
		}
		if id == 0x21 && n == 1 { // LZMA2
			d := hdr[p]
			if d > 40 {
				return 1 << 40 // invalid: larger than anything accepted
			}
			if d == 40 {
				return 1<<32 - 1
			}
			return int64(2|(d&1)) << (d/2 + 11)
		}
		p += int(n)
	}
	return 0
}
