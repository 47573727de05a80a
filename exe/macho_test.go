package exe

import (
	"bytes"
	"testing"
)

func parseBytes(t *testing.T, b []byte) *Info {
	t.Helper()
	in, err := Parse(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return in
}

var machoShell = []string{"socket", "bind", "listen", "accept", "dup2", "execve", "strcmp"}

func TestMachOThin(t *testing.T) {
	text := append([]byte("\x55\x48\x89\xe5/bin/sh\x00"), make([]byte, 64)...)
	in := parseBytes(t, machoThin(cpuX86_64, machoShell, text))
	if in.Format != "macho" || in.Arch != "x86-64" || in.Type != "executable" || in.Linkage != "dynamic" {
		t.Errorf("header %+v", in)
	}
	if !hasString(in.Libraries, "/usr/lib/libSystem.B.dylib") || !hasString(in.Imports, "socket") || hasString(in.Imports, "_socket") {
		t.Errorf("libraries %v imports %v", in.Libraries, in.Imports)
	}
	if len(in.Sections) != 1 || in.Sections[0].Name != "__TEXT,__text" || !in.Sections[0].Exec {
		t.Errorf("sections %+v", in.Sections)
	}
	wantCaps(t, "macho", in, []CapName{CapNetListen, CapDupFD, CapExec, CapShell, CapStringCompare}, []CapName{CapNetConnect})

	quiet := parseBytes(t, machoThin(cpuARM64, []string{"puts"}, make([]byte, 64)))
	if quiet.Arch != "aarch64" {
		t.Errorf("arch %q", quiet.Arch)
	}
	wantCaps(t, "macho puts", quiet, nil, []CapName{CapNetListen, CapExec, CapShell, CapDupFD})
}

func TestMachOFat(t *testing.T) {
	a := machoThin(cpuX86_64, []string{"connect", "puts"}, make([]byte, 64))
	b := machoThin(cpuARM64, []string{"connect", "execv"}, make([]byte, 64))
	in := parseBytes(t, machoFat([]uint32{cpuX86_64, cpuARM64}, [][]byte{a, b}))
	if in.Format != "macho-fat" || in.Arch != "x86-64+aarch64" {
		t.Errorf("header %+v", in)
	}
	if !hasString(in.Imports, "execv") || !hasString(in.Imports, "puts") {
		t.Errorf("imports %v", in.Imports)
	}
	if len(in.Sections) != 2 || in.Sections[1].Name != "aarch64:__TEXT,__text" {
		t.Errorf("sections %+v", in.Sections)
	}
	wantCaps(t, "fat", in, []CapName{CapNetConnect, CapExec}, []CapName{CapNetListen})
}

// A Java class file starts with cafebabe too: its "slice count" is its
// version, and it is no executable.
func TestJavaClassIsNotFat(t *testing.T) {
	class := []byte("\xca\xfe\xba\xbe\x00\x00\x00\x34\x00\x1d\x0a\x00\x06\x00\x0f\x09\x00\x10\x00\x11\x08\x00\x12\x0a\x00\x13")
	class = append(class, make([]byte, 512)...)
	if _, err := Parse(bytes.NewReader(class), int64(len(class))); err != ErrNotExecutable {
		t.Errorf("class file: %v", err)
	}
	if _, ok := FatArches(bytes.NewReader(class), int64(len(class))); ok {
		t.Error("class file read as a fat header")
	}
}

func TestPacker(t *testing.T) {
	upx := parseBytes(t, synthUPX())
	if upx.Packer != "upx" {
		t.Errorf("UPX markers: packer %q", upx.Packer)
	}
	if len(upx.Sections) != 1 || !upx.Sections[0].Exec || upx.Sections[0].Entropy < 7.5 {
		t.Errorf("segments %+v", upx.Sections)
	}
	packed := parseBytes(t, synthELF(randomBytes(128<<10, 3)))
	if packed.Packer != "high-entropy" {
		t.Errorf("random body: packer %q", packed.Packer)
	}
	plain := parseBytes(t, synthELF(bytes.Repeat([]byte("\x48\x89\xe5\x55\xc3 code "), 8<<10)))
	if plain.Packer != "" {
		t.Errorf("plain body: packer %q", plain.Packer)
	}
}

// Real compiled binaries are not packed.
func TestNotPacked(t *testing.T) {
	for _, p := range []string{buildC(t, "gcc", "hello", cHello), buildC(t, "gcc", "bindshell", cBindShell, "-static", "-s")} {
		if in := parseFile(t, p); in.Packer != "" {
			t.Errorf("%s: packer %q", p, in.Packer)
		}
	}
}
