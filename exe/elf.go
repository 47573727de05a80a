package exe

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
)

func isELF(h []byte) bool {
	return len(h) >= 52 && string(h[:4]) == "\x7fELF" && (h[4] == 1 || h[4] == 2) && (h[5] == 1 || h[5] == 2)
}

// elfHeader is what the ELF header claims about its tables, read by hand
// so that the claims can be checked against the file before debug/elf
// believes them.
type elfHeader struct {
	is64, big            bool
	bo                   binary.ByteOrder
	etype, machine       uint16
	phoff, shoff         uint64
	phentsize, phnum     uint64
	shentsize, shnum     uint64
	shstrndx             uint64
	phnumOff, shnumOff   int // where the counts are in the header, to mask them
	phoffOff, shoffOff   int
	shstrndxOff, wordLen int
}

func readELFHeader(h []byte) (eh elfHeader, ok bool) {
	eh.is64, eh.big = h[4] == 2, h[5] == 2
	eh.bo = binary.ByteOrder(binary.LittleEndian)
	if eh.big {
		eh.bo = binary.BigEndian
	}
	if eh.is64 && len(h) < 64 {
		return eh, false
	}
	bo := eh.bo
	eh.etype, eh.machine = bo.Uint16(h[16:]), bo.Uint16(h[18:])
	if eh.is64 {
		eh.phoffOff, eh.shoffOff, eh.wordLen = 32, 40, 8
		eh.phoff, eh.shoff = bo.Uint64(h[32:]), bo.Uint64(h[40:])
		eh.phnumOff, eh.shnumOff, eh.shstrndxOff = 56, 60, 62
		eh.phentsize, eh.shentsize = uint64(bo.Uint16(h[54:])), uint64(bo.Uint16(h[58:]))
	} else {
		eh.phoffOff, eh.shoffOff, eh.wordLen = 28, 32, 4
		eh.phoff, eh.shoff = uint64(bo.Uint32(h[28:])), uint64(bo.Uint32(h[32:]))
		eh.phnumOff, eh.shnumOff, eh.shstrndxOff = 44, 48, 50
		eh.phentsize, eh.shentsize = uint64(bo.Uint16(h[42:])), uint64(bo.Uint16(h[46:]))
	}
	eh.phnum = uint64(bo.Uint16(h[eh.phnumOff:]))
	eh.shnum = uint64(bo.Uint16(h[eh.shnumOff:]))
	eh.shstrndx = uint64(bo.Uint16(h[eh.shstrndxOff:]))
	return eh, true
}

// Bounds on ELF tables: real files have a few dozen program headers and
// at most tens of thousands of sections (C++ with -ffunction-sections).
const (
	maxELFPhnum = 4096
	maxELFShnum = 1 << 16
)

// parseELF fills Info from an ELF file. Tables the header lies about are
// masked out of the header (debug/elf then sees none) and named in a
// warning; what remains is parsed.
func (p *parser) parseELF(h []byte) error {
	eh, ok := readELFHeader(h)
	if !ok {
		return ErrNotExecutable
	}
	in := p.info
	in.Format = "elf"
	in.Arch = elfArch(eh.machine, eh.is64, eh.big)
	in.Type = elfType(eh.etype)
	in.Linkage = "static"
	in.Stripped = true

	mask := map[int][]byte{} // header offset -> replacement bytes
	zero := func(off, n int) { mask[off] = make([]byte, n) }
	if eh.phnum > 0 && (eh.phnum > maxELFPhnum || eh.phentsize < 32 || !p.inFile(eh.phoff, eh.phnum*eh.phentsize)) {
		p.warn("elf: program header table (%d entries at %#x) lies outside the file or is too large", eh.phnum, eh.phoff)
		zero(eh.phoffOff, eh.wordLen)
		zero(eh.phnumOff, 2)
	}
	shnum := eh.shnum
	if eh.shoff > 0 && shnum == 0 && eh.shentsize >= 40 && p.inFile(eh.shoff, eh.shentsize) {
		// Extended numbering: the count is section 0's sh_size.
		if s0, err := p.read(int64(eh.shoff), int64(eh.shentsize)); err == nil {
			if eh.is64 {
				shnum = eh.bo.Uint64(s0[32:])
			} else {
				shnum = uint64(eh.bo.Uint32(s0[20:]))
			}
		}
	}
	badSH := eh.shoff == 0 && eh.shnum != 0
	if shnum > 0 && (shnum > maxELFShnum || eh.shentsize < 40 || !p.inFile(eh.shoff, shnum*eh.shentsize)) {
		badSH = true
	}
	if badSH {
		p.warn("elf: section header table (%d entries at %#x) lies outside the file or is too large", shnum, eh.shoff)
		zero(eh.shoffOff, eh.wordLen)
		zero(eh.shnumOff, 2)
		zero(eh.shstrndxOff, 2)
	}
	var r io.ReaderAt = io.NewSectionReader(p.r, 0, p.size)
	if len(mask) > 0 {
		r = &maskedReader{r: p.r, mask: mask}
	}
	f, err := elf.NewFile(r)
	if err != nil && !badSH && eh.shnum > 0 {
		// A bad string table or section entry: try again without sections.
		p.warn("elf: %v; sections ignored", err)
		zero(eh.shoffOff, eh.wordLen)
		zero(eh.shnumOff, 2)
		zero(eh.shstrndxOff, 2)
		f, err = elf.NewFile(&maskedReader{r: p.r, mask: mask})
	}
	if err != nil {
		return fmt.Errorf("elf: %v", err)
	}
	p.elfProgs(f)
	p.elfSections(f)
	if eh.etype == uint16(elf.ET_REL) && (f.Section(".modinfo") != nil || f.Section(".gnu.linkonce.this_module") != nil) {
		in.Type = "kernel-module"
	}
	p.elfDynamic(f)
	p.elfSymbols(f, eh)
	p.goELF(f)
	return nil
}

// elfProgs reads the interpreter and, where there are no section headers
// (sstrip, UPX), makes pseudo-sections of the loadable segments.
func (p *parser) elfProgs(f *elf.File) {
	for _, pr := range f.Progs {
		if pr.Type == elf.PT_INTERP && pr.Filesz > 0 && pr.Filesz < 4096 {
			if b, err := p.read(int64(pr.Off), int64(pr.Filesz)); err == nil {
				p.info.Interp = string(bytes.TrimRight(b, "\x00"))
				p.info.Linkage = "dynamic"
				if p.info.Type == "shared" {
					// A position-independent executable is ET_DYN like a
					// library; only a program names an interpreter.
					p.info.Type = "executable"
				}
			}
		}
	}
	if len(f.Sections) > 1 {
		return
	}
	for i, pr := range f.Progs {
		if pr.Type != elf.PT_LOAD {
			continue
		}
		exec := pr.Flags&elf.PF_X != 0
		p.addSection(fmt.Sprintf("LOAD%d", i), int64(pr.Off), int64(pr.Filesz), pr.Memsz, true, exec)
	}
}

func (p *parser) elfSections(f *elf.File) {
	for _, s := range f.Sections {
		if s.Type == elf.SHT_NULL {
			continue
		}
		fileBacked := s.Type != elf.SHT_NOBITS
		exec := s.Flags&elf.SHF_EXECINSTR != 0
		if fileBacked && !p.inFile(s.Offset, s.Size) {
			p.warn("elf: section %q (%d bytes at %#x) lies outside the file", s.Name, s.Size, s.Offset)
			fileBacked = false
		}
		p.addSection(s.Name, int64(s.Offset), int64(s.Size), s.Size, fileBacked, exec)
		if fileBacked && !exec && s.Flags&elf.SHF_ALLOC != 0 && s.Type == elf.SHT_PROGBITS {
			p.dataRanges = append(p.dataRanges, fileRange{int64(s.Offset), int64(s.Size)})
		}
	}
}

// elfDynamic reads DT_NEEDED from the dynamic section (by hand: the
// section is checked against the file first).
func (p *parser) elfDynamic(f *elf.File) {
	ds := f.SectionByType(elf.SHT_DYNAMIC)
	if ds == nil || !p.inFile(ds.Offset, ds.Size) || ds.Link >= uint32(len(f.Sections)) {
		return
	}
	str := f.Sections[ds.Link]
	if !p.inFile(str.Offset, str.Size) {
		return
	}
	dyn, dbp, err := p.readTemp(int64(ds.Offset), int64(ds.Size))
	defer putTemp(dbp)
	if err != nil {
		return
	}
	strtab, sbp, err := p.readTemp(int64(str.Offset), int64(str.Size))
	defer putTemp(sbp)
	if err != nil {
		return
	}
	is64 := f.Class == elf.ELFCLASS64
	ent := 8
	if is64 {
		ent = 16
	}
	for i := 0; i+ent <= len(dyn); i += ent {
		var tag, val uint64
		if is64 {
			tag, val = f.ByteOrder.Uint64(dyn[i:]), f.ByteOrder.Uint64(dyn[i+8:])
		} else {
			tag, val = uint64(f.ByteOrder.Uint32(dyn[i:])), uint64(f.ByteOrder.Uint32(dyn[i+4:]))
		}
		if elf.DynTag(tag) == elf.DT_NULL {
			break
		}
		if elf.DynTag(tag) == elf.DT_NEEDED && len(p.info.Libraries) < maxLibraries {
			if name := cstring(strtab, val); name != "" {
				p.info.Libraries = append(p.info.Libraries, name)
				p.info.Linkage = "dynamic"
			}
		}
	}
}

// cstring returns the NUL-terminated string at off in tab (at most 512
// bytes), or "".
func cstring(tab []byte, off uint64) string {
	return string(cstringBytes(tab, off))
}

// cstringBytes is cstring without the copy.
func cstringBytes(tab []byte, off uint64) []byte {
	if off >= uint64(len(tab)) {
		return nil
	}
	s := tab[off:]
	if len(s) > 512 {
		s = s[:512]
	}
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

// maskedReader reads through r with some bytes of the header replaced.
type maskedReader struct {
	r    io.ReaderAt
	mask map[int][]byte
}

func (m *maskedReader) ReadAt(b []byte, off int64) (int, error) {
	n, err := m.r.ReadAt(b, off)
	for at, rep := range m.mask {
		for i, c := range rep {
			if j := int64(at+i) - off; j >= 0 && j < int64(n) {
				b[j] = c
			}
		}
	}
	return n, err
}
