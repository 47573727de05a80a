package formats

import (
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/exe"
)

// macho is a leaf kind: thin Mach-O files by their four magics (both
// byte orders, 32 and 64 bits) with a known CPU type, and universal
// ("fat") files. A universal header starts with cafebabe like a Java
// class file; exe.FatArches tells them apart (a few slices, each with a
// Mach-O CPU type and inside the file).
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "macho",
		Priority: 60,
		Magic: [][]byte{
			{0xfe, 0xed, 0xfa, 0xce}, {0xce, 0xfa, 0xed, 0xfe},
			{0xfe, 0xed, 0xfa, 0xcf}, {0xcf, 0xfa, 0xed, 0xfe},
			{0xca, 0xfe, 0xba, 0xbe},
		},
		Detect: func(h []byte, size int64) bool {
			if thinMachO(h) {
				return true
			}
			_, ok := exe.FatArches(headReader(h), size)
			return ok
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			var h [32]byte
			n, _ := src.ReadAt(h[:], 0)
			if thinMachO(h[:n]) {
				return -1, true
			}
			arches, ok := exe.FatArches(src, src.Size())
			if !ok {
				return -1, false
			}
			var end int64
			for _, a := range arches {
				end = max(end, a.Offset+a.Size)
			}
			return end, true
		},
	})
}

// thinMachO: a magic, a CPU type Mach-O files use, and a file type in
// the range the loader knows.
func thinMachO(h []byte) bool {
	if len(h) < 28 {
		return false
	}
	var cpu, ftype uint32
	switch string(h[:4]) {
	case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf":
		cpu = uint32(h[4])<<24 | uint32(h[5])<<16 | uint32(h[6])<<8 | uint32(h[7])
		ftype = uint32(h[12])<<24 | uint32(h[13])<<16 | uint32(h[14])<<8 | uint32(h[15])
	case "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe":
		cpu = uint32(h[7])<<24 | uint32(h[6])<<16 | uint32(h[5])<<8 | uint32(h[4])
		ftype = uint32(h[15])<<24 | uint32(h[14])<<16 | uint32(h[13])<<8 | uint32(h[12])
	default:
		return false
	}
	return exe.KnownMachOCPU(cpu) && ftype >= 1 && ftype <= 12
}

// headReader reads the head bytes Detect has; past them it reads nothing,
// which FatArches treats as a short file.
type headReader []byte

func (h headReader) ReadAt(b []byte, off int64) (int, error) {
	if off >= int64(len(h)) {
		return 0, nil
	}
	return copy(b, h[off:]), nil
}
