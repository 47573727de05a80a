package exe

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"encoding/binary"
	"io"
	"sort"
	"strings"
)

// Go binaries say what they are in two places that survive stripping:
// the build information blob (debug/buildinfo: Go version, main module,
// dependencies) and the pclntab, the runtime's table of function names
// used for stack traces, which -s -w does not remove. Function names give
// the linked packages and, because the linker drops unreachable
// functions, which parts of a package are used: net.Dial without
// net.Listen is a client.

// maxGosymFuncs bounds the functions of an old-format table (large real
// binaries have about 100,000).
const maxGosymFuncs = 1 << 19

// maxModules bounds the dependencies kept from build information.
const maxModules = 1024

func (p *parser) goELF(f *elf.File) {
	var tab []byte
	if s := f.Section(".gopclntab"); s != nil && s.Type != elf.SHT_NOBITS {
		tab, _ = p.read(int64(s.Offset), int64(s.Size))
	}
	p.goCommon(tab)
}

func (p *parser) goMachO(f *macho.File) {
	var tab []byte
	if s := f.Section("__gopclntab"); s != nil && s.Offset != 0 {
		tab, _ = p.read(int64(s.Offset), int64(s.Size))
	}
	p.goCommon(tab)
}

// goCommon reads the build information and the function names; tab is
// the pclntab when a section names it, else it is searched for (PE, and
// PIE ELF files that keep it inside .data.rel.ro).
func (p *parser) goCommon(tab []byte) {
	var g *GoInfo
	if bi, err := buildinfo.Read(io.NewSectionReader(p.r, 0, p.size)); err == nil {
		g = &GoInfo{Version: bi.GoVersion, Main: bi.Main.Path}
		for _, d := range bi.Deps {
			if len(g.Modules) >= maxModules {
				break
			}
			if d.Replace != nil {
				d = d.Replace
			}
			g.Modules = append(g.Modules, Module{Path: d.Path, Version: d.Version})
		}
	}
	if tab == nil && g != nil {
		tab = p.findPclntab()
	}
	if tab != nil && p.walkPclntab(tab) && g == nil {
		g = &GoInfo{}
	}
	if g != nil {
		p.goInfo = g
	}
}

// pclntab header magics: Go 1.20+, 1.18, 1.16, 1.2.
const (
	pcln120 = 0xfffffff1
	pcln118 = 0xfffffff0
	pcln116 = 0xfffffffa
	pcln12  = 0xfffffffb
)

// findPclntab searches the first maxScan bytes for a pclntab header: a
// magic, two zero bytes, an instruction size quantum of 1, 2 or 4 and a
// pointer size of 4 or 8.
func (p *parser) findPclntab() []byte {
	const chunk = 4 << 20
	buf := make([]byte, min(chunk+8, p.size))
	for off := int64(0); off < p.size && off < maxScan; off += chunk {
		n, _ := p.r.ReadAt(buf, off)
		b := buf[:n]
		for i := 0; i+8 <= len(b); i++ {
			j := bytes.Index(b[i:], []byte{0xff, 0xff})
			if j < 0 {
				break
			}
			i += j
			for _, at := range []int{i - 2, i - 1, i} { // the magic's ff ff may start at byte 0, 1 or 2
				if at < 0 || at+8 > len(b) {
					continue
				}
				if _, ok := pclnHeader(b[at:]); ok {
					start := off + int64(at)
					t, _ := p.read(start, min(p.size-start, maxRead))
					return t
				}
			}
			i++
		}
	}
	return nil
}

// pclnHeader recognises a pclntab header and returns its byte order.
func pclnHeader(b []byte) (binary.ByteOrder, bool) {
	if len(b) < 8 || b[4] != 0 || b[5] != 0 || (b[6] != 1 && b[6] != 2 && b[6] != 4) || (b[7] != 4 && b[7] != 8) {
		return nil, false
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		switch bo.Uint32(b) {
		case pcln120, pcln118, pcln116, pcln12:
			return bo, true
		}
	}
	return nil, false
}

// walkPclntab reads the function names of a pclntab and records packages
// and the functions capability rules ask about. Go 1.16 and later keep
// the names in one table of NUL-terminated strings, which is walked
// without trusting the function count; Go 1.2-1.15 tables are read with
// debug/gosym.
func (p *parser) walkPclntab(tab []byte) bool {
	bo, ok := pclnHeader(tab)
	if !ok {
		return false
	}
	magic, ptr := bo.Uint32(tab), int(tab[7])
	word := func(i int) uint64 {
		at := 8 + i*ptr
		if at+ptr > len(tab) {
			return 0
		}
		if ptr == 4 {
			return uint64(bo.Uint32(tab[at:]))
		}
		return bo.Uint64(tab[at:])
	}
	var nameOff, cuOff uint64
	switch magic {
	case pcln120, pcln118:
		nameOff, cuOff = word(3), word(4)
	case pcln116:
		nameOff, cuOff = word(2), word(3)
	default:
		return p.walkGosym(tab)
	}
	if nameOff == 0 || nameOff >= cuOff || cuOff > uint64(len(tab)) {
		return false
	}
	names := tab[nameOff:cuOff]
	for len(names) > 0 {
		i := bytes.IndexByte(names, 0)
		if i < 0 {
			i = len(names)
		}
		if i > 0 {
			p.addGoFuncBytes(names[:i])
		}
		names = names[min(i+1, len(names)):]
	}
	return len(p.goPkgs) > 0
}

// walkGosym reads an old (Go 1.2-1.15) table; debug/gosym allocates per
// function, bounded by the table's size, which maxRead bounds.
func (p *parser) walkGosym(tab []byte) bool {
	// debug/gosym sizes its tables by the header's function count: check
	// it against the table (2 words per function) and a real-world bound.
	ptr := int(tab[7])
	if len(tab) < 8+ptr {
		return false
	}
	var nfunc uint64
	if bo, _ := pclnHeader(tab); ptr == 4 {
		nfunc = uint64(bo.Uint32(tab[8:]))
	} else {
		nfunc = bo.Uint64(tab[8:])
	}
	if nfunc == 0 || nfunc > maxGosymFuncs || (2*nfunc+1)*uint64(ptr) > uint64(len(tab)) {
		return false
	}
	t, err := gosym.NewTable(nil, gosym.NewLineTable(tab, 0))
	if err != nil {
		return false
	}
	for i, f := range t.Funcs {
		if i >= maxSymbols {
			break
		}
		p.addGoFunc(f.Name)
	}
	return len(p.goPkgs) > 0
}

// addGoFunc records a function's package and, when a rule asks for it,
// the function itself.
func (p *parser) addGoFunc(name string) {
	if goRuleFuncs[name] {
		if p.goFuncs == nil {
			p.goFuncs = map[string]bool{}
		}
		p.goFuncs[name] = true
	}
	pkg := goPackage(name)
	if pkg == "" {
		return
	}
	if p.goPkgs == nil {
		p.goPkgs = map[string]bool{}
	}
	if len(p.goPkgs) < maxPackages {
		p.goPkgs[pkg] = true
	}
}

// addGoFuncBytes is addGoFunc for a name in the pclntab: strings are
// made only for what is kept (a new package, a function a rule asks
// for), not for each of the table's functions.
func (p *parser) addGoFuncBytes(name []byte) {
	if goRuleFuncs[string(name)] {
		if p.goFuncs == nil {
			p.goFuncs = map[string]bool{}
		}
		p.goFuncs[string(name)] = true
	}
	pkg, escaped := goPackageBytes(name)
	if pkg == nil {
		return
	}
	if p.goPkgs == nil {
		p.goPkgs = map[string]bool{}
	}
	if len(p.goPkgs) >= maxPackages {
		return
	}
	if escaped {
		p.goPkgs[strings.ReplaceAll(string(pkg), "%2e", ".")] = true
	} else if !p.goPkgs[string(pkg)] {
		p.goPkgs[string(pkg)] = true
	}
}

// goPackageBytes is goPackage on bytes, before unescaping: escaped says
// "%2e" is in it.
func goPackageBytes(fn []byte) (pkg []byte, escaped bool) {
	for _, pre := range []string{"type:", "go:", "type.", "go."} {
		if bytes.HasPrefix(fn, []byte(pre)) {
			return nil, false
		}
	}
	if i := bytes.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i]
	}
	slash := bytes.LastIndexByte(fn, '/')
	dot := bytes.IndexByte(fn[slash+1:], '.')
	if dot <= 0 {
		return nil, false
	}
	pkg = fn[:slash+1+dot]
	if len(pkg) > 256 || bytes.ContainsAny(pkg, " \t\n()*") {
		return nil, false
	}
	return pkg, bytes.Contains(pkg, []byte("%2e"))
}

// goPackage is the package path of a Go function name:
// "net/http.(*Client).Do" is "net/http", "gopkg.in/yaml%2ev3.Marshal" is
// "gopkg.in/yaml.v3" (the linker escapes dots in a path's last element).
func goPackage(fn string) string {
	if strings.HasPrefix(fn, "type:") || strings.HasPrefix(fn, "go:") || strings.HasPrefix(fn, "type.") || strings.HasPrefix(fn, "go.") {
		return ""
	}
	if i := strings.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i]
	}
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot <= 0 {
		return ""
	}
	pkg := fn[:slash+1+dot]
	if len(pkg) > 256 || strings.ContainsAny(pkg, " \t\n()*") {
		return ""
	}
	return strings.ReplaceAll(pkg, "%2e", ".")
}

// goPackages is the sorted package list.
func (p *parser) goPackages() []string {
	out := make([]string, 0, len(p.goPkgs))
	for k := range p.goPkgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
