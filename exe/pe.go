package exe

import (
	"debug/pe"
	"encoding/binary"
	"fmt"
	"strings"
)

// isMZ only says the file starts like a DOS executable; parsePE checks
// that e_lfanew leads to a PE header.
func isMZ(h []byte) bool { return len(h) >= 64 && h[0] == 'M' && h[1] == 'Z' }

// peOffset returns where the "PE\0\0" signature is, when the DOS header
// points at one inside the file.
func (p *parser) peOffset(h []byte) (int64, bool) {
	lfanew := int64(binary.LittleEndian.Uint32(h[0x3c:]))
	if lfanew < 4 || !p.inFile(uint64(lfanew), 24) {
		return 0, false
	}
	sig, err := p.read(lfanew, 4)
	return lfanew, err == nil && string(sig) == "PE\x00\x00"
}

// parsePE fills Info from a PE file (PE32 or PE32+).
func (p *parser) parsePE(h []byte) error {
	lfanew, ok := p.peOffset(h)
	if !ok {
		return ErrNotExecutable
	}
	coff, err := p.read(lfanew+4, 20)
	if err != nil {
		return ErrNotExecutable
	}
	in := p.info
	in.Format = "pe"
	p.scanWide = true
	machine := binary.LittleEndian.Uint16(coff[0:])
	nsect := uint64(binary.LittleEndian.Uint16(coff[2:]))
	symPtr, nsyms := uint64(binary.LittleEndian.Uint32(coff[8:])), uint64(binary.LittleEndian.Uint32(coff[12:]))
	optSize := uint64(binary.LittleEndian.Uint16(coff[16:]))
	chars := binary.LittleEndian.Uint16(coff[18:])
	in.Arch = peArch(machine)
	in.Type = "executable"
	if chars&0x2000 != 0 {
		in.Type = "dll"
	}
	in.Linkage = "static"
	in.Stripped = symPtr == 0 || nsyms == 0

	// Check the tables against the file; mask a lying symbol table out of
	// the header so that debug/pe does not chase it.
	if !p.inFile(uint64(lfanew)+24+optSize, nsect*40) {
		return fmt.Errorf("pe: %d section headers run past the end of the file", nsect)
	}
	mask := map[int][]byte{}
	if symPtr != 0 && (!p.inFile(symPtr, nsyms*18) || nsyms > maxSymbols) {
		p.warn("pe: COFF symbol table (%d entries at %#x) lies outside the file", nsyms, symPtr)
		mask[int(lfanew)+4+8] = make([]byte, 8)
		in.Stripped = true
	}
	f, err := pe.NewFile(&maskedReader{r: p.r, mask: mask})
	if err != nil {
		return fmt.Errorf("pe: %v", err)
	}
	var subsystem uint16
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		subsystem = oh.Subsystem
	case *pe.OptionalHeader64:
		subsystem = oh.Subsystem
	}
	if subsystem == pe.IMAGE_SUBSYSTEM_NATIVE {
		in.Type = "driver"
	}
	importsReadable := true
	for i, s := range f.Sections {
		if i >= maxSections {
			break
		}
		exec := s.Characteristics&(pe.IMAGE_SCN_MEM_EXECUTE|pe.IMAGE_SCN_CNT_CODE) != 0
		fileBacked := s.Offset != 0 && s.Size != 0
		if fileBacked && !p.inFile(uint64(s.Offset), uint64(s.Size)) {
			p.warn("pe: section %q (%d bytes at %#x) lies outside the file", s.Name, s.Size, s.Offset)
			fileBacked, importsReadable = false, false
		}
		p.addSection(s.Name, int64(s.Offset), int64(s.Size), uint64(s.VirtualSize), fileBacked, exec)
	}
	if importsReadable {
		p.peImports(f)
	}
	if len(in.Imports) > 0 || len(in.Libraries) > 0 {
		in.Linkage = "dynamic"
	}
	if !in.Stripped {
		for i, s := range f.Symbols {
			if i >= maxSymbols {
				break
			}
			p.addSymbol(s.Name)
		}
	}
	p.goCommon(nil)
	return nil
}

// peImports reads the import directory: "CreateProcessA:KERNEL32.dll"
// entries give both the import and its library (lower-cased).
func (p *parser) peImports(f *pe.File) {
	syms, err := f.ImportedSymbols()
	if err != nil {
		p.warn("pe: imports: %v", err)
	}
	seen := map[string]bool{}
	for _, s := range syms {
		name, dll, _ := strings.Cut(s, ":")
		dll = strings.ToLower(dll)
		if dll != "" && !seen[dll] && len(p.info.Libraries) < maxLibraries {
			seen[dll] = true
			p.info.Libraries = append(p.info.Libraries, dll)
		}
		p.addImport(name)
	}
}
