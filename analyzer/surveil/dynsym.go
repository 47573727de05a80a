package surveil

import (
	"debug/elf"
	"encoding/binary"
	"io"
	"sort"
)

// Bounds on what is read from one ELF's dynamic tables. A real program
// imports a few hundred symbols from a dozen libraries; a lying header must
// cost no more than this.
const (
	maxELFSize    = 256 << 20 // larger files are judged by strings only
	maxSymbols    = 20000     // dynamic symbols kept
	maxLibs       = 256       // DT_NEEDED entries kept
	maxSections   = 4096      // section headers above which the file is not parsed
	maxTableBytes = 16 << 20  // bytes of one dynamic table read
)

// Dynsyms is what a dynamically linked ELF asks the loader for: the
// symbols it imports (undefined in its .dynsym) and the libraries it needs.
// Whole names from the symbol table, unlike substrings of the file, cannot
// be confused with text that merely contains "send" or "bind".
type Dynsyms struct {
	Imports map[string]bool
	Libs    []string
}

// Imported reports whether any of the names is imported.
func (d *Dynsyms) Imported(names ...string) bool {
	if d == nil {
		return false
	}
	for _, n := range names {
		if d.Imports[n] {
			return true
		}
	}
	return false
}

// ReadDynsyms reads the dynamic symbol table and DT_NEEDED list of an ELF
// file of the given size. It never panics: debug/elf is guarded with
// recover, the reader is bounded by size, and a file it cannot read yields
// nil (a static or corrupt binary, judged by its strings alone).
func ReadDynsyms(r io.ReaderAt, size int64) (d *Dynsyms) {
	if size <= 0 || size > maxELFSize {
		return nil
	}
	if !saneHeader(r, size) {
		return nil
	}
	defer func() {
		if recover() != nil {
			d = nil
		}
	}()
	f, err := elf.NewFile(io.NewSectionReader(r, 0, size))
	if err != nil || len(f.Sections) > maxSections {
		return nil
	}
	if f.Section(".dynsym") == nil && f.SectionByType(elf.SHT_DYNSYM) == nil {
		return nil
	}
	// debug/elf inflates compressed sections to the size their header
	// claims, and reads a section whole: a crafted .dynsym or .dynstr could
	// cost gigabytes. Real dynamic tables are small and never compressed.
	for _, sec := range f.Sections {
		switch sec.Type {
		case elf.SHT_DYNSYM, elf.SHT_STRTAB, elf.SHT_DYNAMIC:
			if sec.Flags&elf.SHF_COMPRESSED != 0 || sec.Size > maxTableBytes {
				return nil
			}
		}
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil
	}
	d = &Dynsyms{Imports: map[string]bool{}}
	for i, s := range syms {
		if i >= maxSymbols {
			break
		}
		// An import is undefined here and found in a library at load time.
		if s.Section == elf.SHN_UNDEF && s.Name != "" {
			d.Imports[s.Name] = true
		}
	}
	if libs, err := f.ImportedLibraries(); err == nil {
		if len(libs) > maxLibs {
			libs = libs[:maxLibs]
		}
		d.Libs = append(d.Libs, libs...)
		sort.Strings(d.Libs)
	}
	return d
}

// saneHeader checks the ELF header's table sizes before debug/elf sees
// them: section and program header tables of plausible entry sizes and
// counts that lie inside the file. A lying count (or the extended section
// numbering no real program needs) would otherwise make the parser walk
// tens of thousands of phantom sections.
func saneHeader(r io.ReaderAt, size int64) bool {
	h := make([]byte, 64)
	if n, _ := r.ReadAt(h, 0); n < 52 || string(h[:4]) != "\x7fELF" || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2) {
		return false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	var phoff, shoff uint64
	var phentsize, phnum, shentsize, shnum uint16
	wantPh, wantSh := uint16(32), uint16(40)
	if h[4] == 2 {
		phoff, shoff = bo.Uint64(h[32:]), bo.Uint64(h[40:])
		phentsize, phnum, shentsize, shnum = bo.Uint16(h[54:]), bo.Uint16(h[56:]), bo.Uint16(h[58:]), bo.Uint16(h[60:])
		wantPh, wantSh = 56, 64
	} else {
		phoff, shoff = uint64(bo.Uint32(h[28:])), uint64(bo.Uint32(h[32:]))
		phentsize, phnum, shentsize, shnum = bo.Uint16(h[42:]), bo.Uint16(h[44:]), bo.Uint16(h[46:]), bo.Uint16(h[48:])
	}
	inside := func(off uint64, n, ent uint16) bool {
		return off <= uint64(size) && uint64(n)*uint64(ent) <= uint64(size)-off
	}
	if shnum == 0 || shnum > maxSections || shentsize != wantSh || !inside(shoff, shnum, shentsize) {
		return false // no section headers: no .dynsym to find
	}
	if phnum > 0 && (phnum > 512 || phentsize != wantPh || !inside(phoff, phnum, phentsize)) {
		return false
	}
	return true
}
