package formats

import (
	"bytes"
	"encoding/binary"

	"github.com/doorman-sec/doorman/artifact"
)

// elf is a leaf kind: recognised (also inside raw blobs, by carving) so
// executable analyzers can ask for it; its length lets the walker carve
// whatever is appended after it.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "elf",
		Priority: 60,
		Magic:    [][]byte{[]byte("\x7fELF")},
		Detect: func(h []byte, _ int64) bool {
			return len(h) >= 52 && bytes.HasPrefix(h, []byte("\x7fELF")) && (h[4] == 1 || h[4] == 2) && (h[5] == 1 || h[5] == 2) && h[6] == 1
		},
		Length:     elfLength,
		CarveCheck: func(src artifact.Source) (int64, bool) { l := elfLength(src); return l, l > 0 },
	})
}

// elfLength is where the section header table ends, which for linked files
// is the end of the file; -1 when the header does not say.
func elfLength(src artifact.Source) int64 {
	var h [64]byte
	if n, _ := src.ReadAt(h[:], 0); n < 52 {
		return -1
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	var shoff, shentsize, shnum uint64
	if h[4] == 1 {
		shoff = uint64(bo.Uint32(h[32:]))
		shentsize, shnum = uint64(bo.Uint16(h[46:])), uint64(bo.Uint16(h[48:]))
	} else {
		shoff = bo.Uint64(h[40:])
		shentsize, shnum = uint64(bo.Uint16(h[58:])), uint64(bo.Uint16(h[60:]))
	}
	if shoff == 0 || shnum == 0 || shoff > 1<<40 {
		return -1
	}
	end := shoff + shentsize*shnum
	if end > uint64(src.Size()) {
		return -1
	}
	return int64(end)
}
