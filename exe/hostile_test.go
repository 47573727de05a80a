package exe

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"time"
)

// Lying headers on a real binary: each patch must leave Parse quick,
// bounded and without a panic, saying what was wrong.
func TestELFLyingHeaders(t *testing.T) {
	orig, err := os.ReadFile(buildC(t, "gcc", "bindshell", cBindShell))
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	shoff := le.Uint64(orig[40:])
	section := func(b []byte, name string) int { // header offset of a section by name
		shstr := int(le.Uint16(b[62:]))
		strOff := le.Uint64(b[int(shoff)+shstr*64+24:])
		for i := 0; i < int(le.Uint16(b[60:])); i++ {
			h := int(shoff) + i*64
			n := strOff + uint64(le.Uint32(b[h:]))
			if end := bytes.IndexByte(b[n:], 0); string(b[n:n+uint64(end)]) == name {
				return h
			}
		}
		t.Fatalf("no section %s", name)
		return 0
	}
	patches := map[string]func(b []byte) []byte{
		"shnum 65535":      func(b []byte) []byte { le.PutUint16(b[60:], 65535); return b },
		"shoff past EOF":   func(b []byte) []byte { le.PutUint64(b[40:], 1<<40); return b },
		"phnum 65535":      func(b []byte) []byte { le.PutUint16(b[56:], 65535); return b },
		"phoff past EOF":   func(b []byte) []byte { le.PutUint64(b[32:], 1<<62); return b },
		"extended shnum":   func(b []byte) []byte { le.PutUint16(b[60:], 0); le.PutUint64(b[shoff+32:], 1<<40); return b },
		"dynsym 4 GiB":     func(b []byte) []byte { le.PutUint64(b[section(b, ".dynsym")+32:], 4<<30); return b },
		"dynstr past EOF":  func(b []byte) []byte { le.PutUint64(b[section(b, ".dynstr")+24:], 1<<50); return b },
		"dynamic 4 GiB":    func(b []byte) []byte { le.PutUint64(b[section(b, ".dynamic")+32:], 4<<30); return b },
		"symtab millions":  func(b []byte) []byte { le.PutUint64(b[section(b, ".symtab")+32:], 24*5_000_000); return b },
		"shstrndx wrong":   func(b []byte) []byte { le.PutUint16(b[62:], 5000); return b },
		"truncated half":   func(b []byte) []byte { return b[:len(b)/2] },
		"truncated header": func(b []byte) []byte { return b[:60] },
	}
	for name, patch := range patches {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			b := patch(append([]byte(nil), orig...))
			start := time.Now()
			in, err := Parse(bytes.NewReader(b), int64(len(b)))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if err != nil {
				if err != ErrNotExecutable {
					t.Errorf("error %v", err)
				}
				return
			}
			for _, w := range in.Warnings {
				if strings.Contains(w, "panic") {
					t.Errorf("panic: %s", w)
				}
			}
			if in.Format != "elf" || in.Arch != "x86-64" {
				t.Errorf("lost the header: %+v", in)
			}
			t.Logf("warnings: %v", in.Warnings)
		})
	}
}

func TestNotExecutable(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("MZ"), []byte("#!/bin/sh\necho hi\n"), bytes.Repeat([]byte{0}, 4096), []byte("\x7fELF")} {
		if in, err := Parse(bytes.NewReader(b), int64(len(b))); err != ErrNotExecutable {
			t.Errorf("%q: %+v %v", b, in, err)
		}
	}
}

func TestEndpoints(t *testing.T) {
	got := map[string]bool{}
	for _, s := range []string{
		"GET http://c2.badhost.cn:8080/gate.php HTTP/1.1", "connect to 45.9.148.3:4444", "127.0.0.1", "192.0.2.55",
		"see https://www.example.com/x", "version 1.2.3.4.5", "linux-2.6.36.4", "mqtt.broker.io:1883", "646.IRV:1991",
		"http://a.badhost.cn/xhttps://b.badhost.cn/y", "/etc/passwd.bak:12",
	} {
		findEndpoints([]byte(s), got)
	}
	want := []string{"http://c2.badhost.cn:8080/gate.php", "45.9.148.3:4444", "mqtt.broker.io:1883", "http://a.badhost.cn/x", "https://b.badhost.cn/y"}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
}
