package exe

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The fuzz targets feed mutated files to Parse. Parse recovers from
// panics (the standard library's parsers have had them), so a target
// fails on the warning that a recovered panic leaves, on lists beyond
// their bounds, and on errors other than ErrNotExecutable.

func fuzzParse(t *testing.T, b []byte) {
	in, err := Parse(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		if err != ErrNotExecutable {
			t.Fatalf("error %v", err)
		}
		return
	}
	for _, w := range in.Warnings {
		if strings.HasPrefix(w, "parser panic") {
			t.Fatalf("%s", w)
		}
	}
	if len(in.Imports) > maxImports*maxSlices || len(in.Sections) > maxSections*maxSlices || len(in.Endpoints) > maxEndpointsOut || len(in.Warnings) > maxWarnings*(maxSlices+1) {
		t.Fatalf("unbounded lists: %d imports, %d sections", len(in.Imports), len(in.Sections))
	}
}

// seedFiles adds compiled fixtures when the compilers are there.
func seedFiles(f *testing.F, build func() string) {
	defer func() { recover() }()
	if p := build(); p != "" {
		if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
			f.Add(b)
		}
	}
}

func FuzzParseELF(f *testing.F) {
	f.Add(synthUPX()[:8192])
	f.Add(synthELF([]byte("/bin/sh\x00http://c2.badhost.cn/x\x00")))
	if _, err := os.Stat("/usr/bin/gcc"); err == nil {
		seedFiles(f, func() string { return buildC(f, "gcc", "bindshell", cBindShell) })
		seedFiles(f, func() string { return buildC(f, "gcc", "mod", cKernelModule, "-c") })
	}
	f.Fuzz(fuzzParse)
}

func FuzzParsePE(f *testing.F) {
	if _, err := os.Stat("/usr/bin/x86_64-w64-mingw32-gcc"); err == nil {
		seedFiles(f, func() string { return buildC(f, "x86_64-w64-mingw32-gcc", "winbind", cWinBindShell, "-lws2_32") })
	}
	mz := make([]byte, 1024)
	copy(mz, "MZ")
	mz[0x3c] = 0x80
	copy(mz[0x80:], "PE\x00\x00\x64\x86\x01\x00")
	f.Add(mz)
	f.Fuzz(fuzzParse)
}

func FuzzParseMachO(f *testing.F) {
	a := machoThin(cpuX86_64, machoShell, make([]byte, 64))
	f.Add(a)
	f.Add(machoFat([]uint32{cpuX86_64, cpuARM64}, [][]byte{a, machoThin(cpuARM64, []string{"connect"}, make([]byte, 32))}))
	f.Fuzz(fuzzParse)
}

// FuzzPclntab feeds the function-name walk a mutated table header.
func FuzzPclntab(f *testing.F) {
	tab := make([]byte, 8+8*8)
	copy(tab, "\xf1\xff\xff\xff\x00\x00\x01\x08")
	tab[8+3*8] = byte(len(tab))
	names := "main.main\x00net.Listen\x00os/exec.(*Cmd).Start\x00"
	tab[8+4*8] = byte(len(tab) + len(names))
	f.Add(append(tab, names...))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := &parser{info: &Info{}}
		p.walkPclntab(b)
		if len(p.goPkgs) > maxPackages {
			t.Fatal("unbounded packages")
		}
	})
}
