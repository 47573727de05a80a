package exe

import (
	"bytes"
	"debug/elf"
	"strings"
)

// elfSymbols walks the dynamic and static symbol tables by hand, entry by
// entry, without building debug/elf's Symbol slices: a symbol table of
// millions costs a loop, not millions of allocations.
//
// Undefined dynamic symbols are the imports. For relocatable files
// (kernel modules) the undefined entries of .symtab are: the kernel
// resolves them at load time. Defined function names of .symtab are kept
// as symbols only when a capability rule asks about them.
func (p *parser) elfSymbols(f *elf.File, eh elfHeader) {
	rel := f.Type == elf.ET_REL
	for _, s := range f.Sections {
		switch s.Type {
		case elf.SHT_DYNSYM:
			p.walkELFSyms(f, s, eh, func(name []byte, defined bool, typ elf.SymType) {
				if !defined {
					p.addImport(string(name))
				}
			})
		case elf.SHT_SYMTAB:
			p.info.Stripped = false
			p.walkELFSyms(f, s, eh, func(name []byte, defined bool, typ elf.SymType) {
				switch {
				case !defined && rel:
					p.addImport(string(name))
				case defined && (typ == elf.STT_FUNC || typ == elf.STT_GNU_IFUNC):
					p.addSymbolBytes(name)
				}
			})
		}
	}
}

// fn gets the name as bytes of the string table: most names are not
// kept, and are not copied.
func (p *parser) walkELFSyms(f *elf.File, s *elf.Section, eh elfHeader, fn func(name []byte, defined bool, typ elf.SymType)) {
	if s.Link >= uint32(len(f.Sections)) {
		p.warn("elf: symbol table %q links to no string table", s.Name)
		return
	}
	str := f.Sections[s.Link]
	data, dbp, err := p.readTemp(int64(s.Offset), int64(s.Size))
	defer putTemp(dbp)
	if err != nil {
		p.warn("elf: symbol table %q: %v", s.Name, err)
		return
	}
	strtab, sbp, err := p.readTemp(int64(str.Offset), int64(str.Size))
	defer putTemp(sbp)
	if err != nil {
		p.warn("elf: string table %q: %v", str.Name, err)
		return
	}
	ent := 16
	if eh.is64 {
		ent = 24
	}
	bo := eh.bo
	for i, n := ent, 0; i+ent <= len(data) && n < maxSymbols; i, n = i+ent, n+1 { // entry 0 is null
		e := data[i : i+ent]
		var name uint64
		var info uint8
		var shndx uint16
		if eh.is64 {
			name, info, shndx = uint64(bo.Uint32(e)), e[4], bo.Uint16(e[6:])
		} else {
			name, info, shndx = uint64(bo.Uint32(e)), e[12], bo.Uint16(e[14:])
		}
		if name == 0 {
			continue
		}
		typ := elf.SymType(info & 0xf)
		if typ == elf.STT_SECTION || typ == elf.STT_FILE {
			continue
		}
		nm := cstringBytes(strtab, name)
		if len(nm) == 0 {
			continue
		}
		fn(nm, shndx != uint16(elf.SHN_UNDEF), typ)
	}
}

// normalizeImport strips what decorates an imported name: ELF version
// suffixes ("socket@GLIBC_2.2.5", "@@"), Mach-O's leading underscore is
// stripped by the Mach-O reader, which knows it is one.
func normalizeImport(name string) string {
	if i := strings.IndexByte(name, '@'); i > 0 {
		name = name[:i]
	}
	return name
}

func (p *parser) addImport(name string) {
	name = normalizeImport(name)
	if name == "" || len(p.info.Imports) >= maxImports {
		return
	}
	p.info.Imports = append(p.info.Imports, name)
}

// addSymbol keeps a defined function name when some capability rule
// looks for it.
func (p *parser) addSymbol(name string) {
	name = normalizeImport(name)
	if !ruleNames[name] {
		return
	}
	if p.symbols == nil {
		p.symbols = map[string]bool{}
	}
	p.symbols[name] = true
}

// addSymbolBytes is addSymbol for a name in a string table, copied only
// when kept.
func (p *parser) addSymbolBytes(name []byte) {
	if i := bytes.IndexByte(name, '@'); i > 0 {
		name = name[:i]
	}
	if !ruleNames[string(name)] { // no copy: map lookups by string(bytes) do not allocate
		return
	}
	if p.symbols == nil {
		p.symbols = map[string]bool{}
	}
	p.symbols[string(name)] = true
}
