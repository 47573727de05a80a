package exe

import (
	"debug/macho"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// Mach-O magics as the first four bytes of the file.
var machoMagics = []string{"\xfe\xed\xfa\xce", "\xce\xfa\xed\xfe", "\xfe\xed\xfa\xcf", "\xcf\xfa\xed\xfe"}

func isMachO(h []byte) bool {
	if len(h) < 28 {
		return false
	}
	for _, m := range machoMagics {
		if string(h[:4]) == m {
			return true
		}
	}
	return false
}

// isFat is the universal header's magic; the same four bytes start a
// Java class file, which parseFat tells apart by its arch table.
func isFat(h []byte) bool { return len(h) >= 8 && string(h[:4]) == "\xca\xfe\xba\xbe" }

// MaxFatArch bounds the slices of a universal binary: real ones have two
// or three. A Java class file read as a fat header has 45 or more (its
// major version), so the bound also tells the two apart.
const MaxFatArch = 16

// FatArch is one slice of a universal binary.
type FatArch struct {
	CPU          uint32
	Offset, Size int64
}

// FatArches reads and checks a universal header: nfat_arch between 1 and
// MaxFatArch, every CPU type one Mach-O uses, every slice inside the
// file. ok is false otherwise (a Java class file, random bytes).
func FatArches(r io.ReaderAt, size int64) (arches []FatArch, ok bool) {
	var h [8]byte
	if n, _ := r.ReadAt(h[:], 0); n < 8 || string(h[:4]) != "\xca\xfe\xba\xbe" {
		return nil, false
	}
	n := binary.BigEndian.Uint32(h[4:])
	if n == 0 || n > MaxFatArch || int64(8+20*n) > size {
		return nil, false
	}
	tab := make([]byte, 20*n)
	if k, _ := r.ReadAt(tab, 8); k < len(tab) {
		return nil, false
	}
	for i := 0; i < int(n); i++ {
		e := tab[20*i:]
		cpu := binary.BigEndian.Uint32(e)
		off, sz := int64(binary.BigEndian.Uint32(e[8:])), int64(binary.BigEndian.Uint32(e[12:]))
		if _, known := machoArch(cpu); !known || off < 8+20*int64(n) || sz < 28 || off > size || sz > size-off {
			return nil, false
		}
		arches = append(arches, FatArch{CPU: cpu, Offset: off, Size: sz})
	}
	return arches, true
}

// parseFat parses every slice of a universal binary and merges them: the
// arch names joined by "+", the union of libraries, imports and symbols,
// sections named "arch:segment,section".
func (p *parser) parseFat([]byte) error {
	arches, ok := FatArches(p.r, p.size)
	if !ok {
		return ErrNotExecutable
	}
	in := p.info
	in.Format = "macho-fat"
	var names []string
	for i, a := range arches {
		if i >= maxSlices {
			p.warn("macho: %d slices, only %d parsed", len(arches), maxSlices)
			break
		}
		sub := &parser{r: io.NewSectionReader(p.r, a.Offset, a.Size), size: a.Size, info: &Info{}}
		var h [32]byte
		n, _ := sub.r.ReadAt(h[:], 0)
		if !isMachO(h[:n]) {
			p.warn("macho: slice %d is not a Mach-O file", i)
			continue
		}
		err := sub.parseMachO(h[:n])
		if err != nil {
			p.warn("macho: slice %d: %v", i, err)
		}
		s := sub.info
		names = append(names, s.Arch)
		if in.Type == "" {
			in.Type, in.Linkage, in.Stripped = s.Type, s.Linkage, s.Stripped
		}
		if s.Linkage == "dynamic" {
			in.Linkage = "dynamic"
		}
		in.Stripped = in.Stripped && s.Stripped
		in.Libraries = append(in.Libraries, s.Libraries...)
		in.Imports = append(in.Imports, s.Imports...)
		in.Warnings = append(in.Warnings, s.Warnings...)
		for _, sec := range sub.pending {
			sec.Name = s.Arch + ":" + sec.Name
			sec.off += a.Offset
			p.pending = append(p.pending, sec)
		}
		p.execRanges = append(p.execRanges, shift(sub.execRanges, a.Offset)...)
		p.dataRanges = append(p.dataRanges, shift(sub.dataRanges, a.Offset)...)
		p.mergeSets(sub)
	}
	in.Arch = strings.Join(names, "+")
	return nil
}

func shift(rs []fileRange, by int64) []fileRange {
	out := make([]fileRange, len(rs))
	for i, r := range rs {
		out[i] = fileRange{r.off + by, r.n}
	}
	return out
}

// mergeSets adds a slice parser's symbols and Go facts.
func (p *parser) mergeSets(sub *parser) {
	for s := range sub.symbols {
		if p.symbols == nil {
			p.symbols = map[string]bool{}
		}
		p.symbols[s] = true
	}
	if sub.goInfo != nil && p.goInfo == nil {
		p.goInfo = sub.goInfo
	}
	for s := range sub.goFuncs {
		if p.goFuncs == nil {
			p.goFuncs = map[string]bool{}
		}
		p.goFuncs[s] = true
	}
	for s := range sub.goPkgs {
		if p.goPkgs == nil {
			p.goPkgs = map[string]bool{}
		}
		if len(p.goPkgs) < maxPackages {
			p.goPkgs[s] = true
		}
	}
}

// Mach-O constants debug/macho does not name.
const (
	lcLoadDylinker      = 0xe
	nStab               = 0xe0
	nType               = 0x0e
	nExt                = 0x01
	nUndf               = 0x0
	sAttrPureInstrs     = 0x80000000
	sAttrSomeInstrs     = 0x400
	sectionTypeMask     = 0xff
	sZerofill           = 0x1
	sGBZerofill         = 0xc
	sThreadLocalZerofil = 0x12
	maxMachoCmds        = 1 << 16
)

// parseMachO fills Info from a thin Mach-O file.
func (p *parser) parseMachO(h []byte) error {
	bo := binary.ByteOrder(binary.LittleEndian)
	if h[0] == 0xfe {
		bo = binary.BigEndian
	}
	is64 := h[0] == 0xcf || h[3] == 0xcf
	hdrLen := uint64(28)
	if is64 {
		hdrLen = 32
	}
	ncmd, cmdsz := uint64(bo.Uint32(h[16:])), uint64(bo.Uint32(h[20:]))
	if ncmd > maxMachoCmds || !p.inFile(hdrLen, cmdsz) {
		return fmt.Errorf("macho: %d load commands of %d bytes run past the end of the file", ncmd, cmdsz)
	}
	in := p.info
	in.Format = "macho"
	in.Arch, _ = machoArch(bo.Uint32(h[4:]))
	switch bo.Uint32(h[12:]) {
	case 1:
		in.Type = "relocatable"
	case 2:
		in.Type = "executable"
	case 6:
		in.Type = "dylib"
	case 8:
		in.Type = "bundle"
	case 11:
		in.Type = "kext"
	default:
		in.Type = fmt.Sprintf("type%d", bo.Uint32(h[12:]))
	}
	in.Linkage = "static"
	in.Stripped = true
	f, err := macho.NewFile(io.NewSectionReader(p.r, 0, p.size))
	if err != nil {
		return fmt.Errorf("macho: %v", err)
	}
	for _, l := range f.Loads {
		if raw := l.Raw(); len(raw) >= 4 && f.ByteOrder.Uint32(raw) == lcLoadDylinker {
			in.Linkage = "dynamic"
		}
	}
	if libs, err := f.ImportedLibraries(); err == nil {
		for _, l := range libs {
			if len(in.Libraries) < maxLibraries {
				in.Libraries = append(in.Libraries, l)
			}
		}
		if len(libs) > 0 {
			in.Linkage = "dynamic"
		}
	}
	for i, s := range f.Sections {
		if i >= maxSections {
			break
		}
		typ := s.Flags & sectionTypeMask
		fileBacked := typ != sZerofill && typ != sGBZerofill && typ != sThreadLocalZerofil && s.Offset != 0
		exec := s.Flags&(sAttrPureInstrs|sAttrSomeInstrs) != 0
		if fileBacked && !p.inFile(uint64(s.Offset), s.Size) {
			p.warn("macho: section %s,%s lies outside the file", s.Seg, s.Name)
			fileBacked = false
		}
		p.addSection(s.Seg+","+s.Name, int64(s.Offset), int64(s.Size), s.Size, fileBacked, exec)
		if fileBacked && !exec && (s.Name == "__const" || s.Name == "__cstring" || s.Name == "__rodata") {
			p.dataRanges = append(p.dataRanges, fileRange{int64(s.Offset), int64(s.Size)})
		}
	}
	if f.Symtab != nil {
		for i, s := range f.Symtab.Syms {
			if i >= maxSymbols {
				break
			}
			name := strings.TrimPrefix(s.Name, "_")
			switch {
			case s.Type&nStab != 0:
				in.Stripped = false
			case s.Type&nType == nUndf && s.Type&nExt != 0:
				p.addImport(name)
			case s.Type&nExt == 0:
				in.Stripped = false
				p.addSymbol(name)
			default:
				p.addSymbol(name)
			}
		}
	}
	p.goMachO(f)
	return nil
}
