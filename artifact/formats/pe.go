package formats

import (
	"encoding/binary"

	"github.com/doorman-sec/doorman/artifact"
)

// pe and macho are leaf kinds like elf: recognised so that executable
// analyzers can ask for them. "MZ" alone is two bytes any blob has, so a
// PE needs e_lfanew to point at "PE\0\0" inside the head Detect sees or,
// when carving, inside the candidate.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "pe",
		Priority: 60,
		Magic:    [][]byte{[]byte("MZ")},
		Detect: func(h []byte, size int64) bool {
			off, ok := peHeaderOffset(h)
			return ok && off+24 <= int64(len(h)) && string(h[off:off+4]) == "PE\x00\x00"
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			var h [64]byte
			if n, _ := src.ReadAt(h[:], 0); n < 64 {
				return -1, false
			}
			off, ok := peHeaderOffset(h[:])
			if !ok || off+24 > src.Size() {
				return -1, false
			}
			var sig [4]byte
			if n, _ := src.ReadAt(sig[:], off); n < 4 || string(sig[:]) != "PE\x00\x00" {
				return -1, false
			}
			return -1, true
		},
	})
}

// peHeaderOffset reads e_lfanew from a DOS header: past the DOS header
// itself, 4-aligned and below 16 MiB as every linker writes it.
func peHeaderOffset(h []byte) (int64, bool) {
	if len(h) < 64 || h[0] != 'M' || h[1] != 'Z' {
		return 0, false
	}
	off := int64(binary.LittleEndian.Uint32(h[0x3c:]))
	return off, off >= 64 && off%4 == 0 && off < 16<<20
}
