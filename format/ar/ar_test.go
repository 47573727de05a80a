package ar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// member is a fixture entry for the archive builders below.
type member struct {
	name     string
	data     string
	mode     uint32
	mtime    int64
	uid, gid int
}

// header formats a raw 60-byte member header; fields are passed verbatim so
// that hostile tests can put anything in them.
func header(name, mtime, uid, gid, mode, size string) string {
	return fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10s`\n", name, mtime, uid, gid, mode, size)
}

func pad(data string) string {
	if len(data)%2 == 1 {
		return "\n"
	}
	return ""
}

// buildGNU writes a GNU-style archive with a "/" symbol table and a "//"
// long-name table for names longer than 15 bytes.
func buildGNU(members []member) []byte {
	var b strings.Builder
	b.WriteString(Magic)
	sym := "\x00\x00\x00\x01\x00\x00\x00\x00sym\x00"
	b.WriteString(header("/", "0", "0", "0", "0", fmt.Sprint(len(sym))) + sym + pad(sym))
	var table strings.Builder
	refs := map[string]string{}
	for _, m := range members {
		if len(m.name) > 15 {
			refs[m.name] = fmt.Sprintf("/%d", table.Len())
			table.WriteString(m.name + "/\n")
		}
	}
	if table.Len() > 0 {
		t := table.String()
		b.WriteString(header("//", "", "", "", "", fmt.Sprint(len(t))) + t + pad(t))
	}
	for _, m := range members {
		name := m.name + "/"
		if ref, ok := refs[m.name]; ok {
			name = ref
		}
		b.WriteString(header(name, fmt.Sprint(m.mtime), fmt.Sprint(m.uid), fmt.Sprint(m.gid),
			fmt.Sprintf("%o", m.mode), fmt.Sprint(len(m.data))))
		b.WriteString(m.data + pad(m.data))
	}
	return []byte(b.String())
}

// buildBSD writes a BSD-style archive: "#1/N" names (NUL padded to 4 bytes)
// for long names or names with spaces, and a "__.SYMDEF SORTED" table.
func buildBSD(members []member) []byte {
	var b strings.Builder
	b.WriteString(Magic)
	all := append([]member{{name: "__.SYMDEF SORTED", data: "\x04\x00\x00\x00sym\x00", mode: 0o100644}}, members...)
	for _, m := range all {
		if len(m.name) > 16 || strings.Contains(m.name, " ") {
			n := m.name + strings.Repeat("\x00", (4-len(m.name)%4)%4)
			body := n + m.data
			b.WriteString(header(fmt.Sprintf("#1/%d", len(n)), fmt.Sprint(m.mtime), fmt.Sprint(m.uid),
				fmt.Sprint(m.gid), fmt.Sprintf("%o", m.mode), fmt.Sprint(len(body))))
			b.WriteString(body + pad(body))
			continue
		}
		b.WriteString(header(m.name, fmt.Sprint(m.mtime), fmt.Sprint(m.uid), fmt.Sprint(m.gid),
			fmt.Sprintf("%o", m.mode), fmt.Sprint(len(m.data))))
		b.WriteString(m.data + pad(m.data))
	}
	return []byte(b.String())
}

var fixtureMembers = []member{
	{name: "debian-binary", data: "2.0\n", mode: 0o100644, mtime: 1700000000, uid: 0, gid: 0},
	{name: "a-rather-long-member-name.o", data: "odd", mode: 0o100755, mtime: 1, uid: 1000, gid: 1000},
	{name: "setuid", data: "", mode: 0o104755, mtime: 2},
	{name: "another-very-long-name-here.o", data: strings.Repeat("x", 1001), mode: 0o644, mtime: 3},
	{name: "short", data: "even", mode: 0o100600, mtime: 4, uid: 7, gid: 8},
}

// opaqueReader hides io.Seeker so the copy-to-skip path is exercised.
type opaqueReader struct{ r io.Reader }

func (o opaqueReader) Read(p []byte) (int, error) { return o.r.Read(p) }

type got struct {
	hdr  Header
	data string
}

// readAll walks an archive, reading every member's data. When skipData is
// set the data is left unread so that Next has to skip it.
func readAll(t testing.TB, r io.Reader, skipData bool) ([]got, error) {
	t.Helper()
	ar := NewReader(r)
	var out []got
	for {
		h, err := ar.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		g := got{hdr: *h}
		if !skipData {
			b, err := io.ReadAll(ar)
			if err != nil {
				return out, err
			}
			g.data = string(b)
		}
		out = append(out, g)
	}
}

func checkMembers(t *testing.T, raw []byte, gotm []got, want []member) {
	t.Helper()
	if len(gotm) != len(want) {
		t.Fatalf("got %d members, want %d: %+v", len(gotm), len(want), gotm)
	}
	for i, w := range want {
		g := gotm[i]
		if g.hdr.Name != w.name {
			t.Errorf("member %d: name %q, want %q", i, g.hdr.Name, w.name)
		}
		if g.data != w.data {
			t.Errorf("%s: data %q, want %q", w.name, g.data, w.data)
		}
		if g.hdr.Size != int64(len(w.data)) {
			t.Errorf("%s: size %d, want %d", w.name, g.hdr.Size, len(w.data))
		}
		if sec := string(raw[g.hdr.Offset : g.hdr.Offset+g.hdr.Size]); sec != w.data {
			t.Errorf("%s: data at Offset %d is %q, want %q", w.name, g.hdr.Offset, sec, w.data)
		}
		if want := fileMode(w.mode); g.hdr.Mode != want {
			t.Errorf("%s: mode %v, want %v", w.name, g.hdr.Mode, want)
		}
		if !g.hdr.ModTime.Equal(time.Unix(w.mtime, 0)) {
			t.Errorf("%s: mtime %v, want %d", w.name, g.hdr.ModTime, w.mtime)
		}
		if g.hdr.UID != w.uid || g.hdr.GID != w.gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", w.name, g.hdr.UID, g.hdr.GID, w.uid, w.gid)
		}
	}
}

func TestGNUAndBSD(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  []byte
	}{
		{"gnu", buildGNU(fixtureMembers)},
		{"bsd", buildBSD(fixtureMembers)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !Sniff(tc.raw) {
				t.Fatal("Sniff = false")
			}
			for _, seekable := range []bool{true, false} {
				var r io.Reader = bytes.NewReader(tc.raw)
				if !seekable {
					r = opaqueReader{r}
				}
				gotm, err := readAll(t, r, false)
				if err != nil {
					t.Fatal(err)
				}
				checkMembers(t, tc.raw, gotm, fixtureMembers)
				// Skipping unread data must land on the same headers.
				if seekable {
					r = bytes.NewReader(tc.raw)
				} else {
					r = opaqueReader{bytes.NewReader(tc.raw)}
				}
				skipped, err := readAll(t, r, true)
				if err != nil {
					t.Fatal(err)
				}
				for i := range skipped {
					skipped[i].data = fixtureMembers[i].data
				}
				checkMembers(t, tc.raw, skipped, fixtureMembers)
			}
		})
	}
}

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		in   uint32
		want fs.FileMode
	}{
		{0o100644, 0o644},
		{0o644, 0o644},
		{0o104755, fs.ModeSetuid | 0o755},
		{0o102755, fs.ModeSetgid | 0o755},
		{0o041777, fs.ModeDir | fs.ModeSticky | 0o777},
		{0o120777, fs.ModeSymlink | 0o777},
		{0o020600, fs.ModeDevice | fs.ModeCharDevice | 0o600},
		{0o060600, fs.ModeDevice | 0o600},
		{0o010600, fs.ModeNamedPipe | 0o600},
		{0o140600, fs.ModeSocket | 0o600},
		{0o170600, fs.ModeIrregular | 0o600},
	} {
		if got := fileMode(tc.in); got != tc.want {
			t.Errorf("fileMode(%o) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"!<arch>\n", true},
		{"!<arch>\nfoo", true},
		{"!<arch>", false},
		{"!<thin>\n", false},
		{"", false},
		{"PK\x03\x04", false},
	} {
		if got := Sniff([]byte(tc.in)); got != tc.want {
			t.Errorf("Sniff(%q) = %v", tc.in, got)
		}
	}
}

func TestEmptyAndMissingFinalPad(t *testing.T) {
	gotm, err := readAll(t, strings.NewReader(Magic), false)
	if err != nil || len(gotm) != 0 {
		t.Fatalf("empty archive: %v %v", gotm, err)
	}
	// A final odd-sized member without its padding byte is accepted.
	raw := Magic + header("f/", "0", "0", "0", "644", "3") + "abc"
	gotm, err = readAll(t, strings.NewReader(raw), false)
	if err != nil || len(gotm) != 1 || gotm[0].data != "abc" {
		t.Fatalf("missing final pad: %+v %v", gotm, err)
	}
	for _, raw := range []string{raw, raw + "\n", string(buildGNU(fixtureMembers))} {
		r := NewReader(strings.NewReader(raw))
		for {
			if _, err := r.Next(); err != nil {
				if err != io.EOF {
					t.Fatal(err)
				}
				break
			}
		}
		if r.InputOffset() != int64(len(raw)) {
			t.Errorf("InputOffset %d at end of %d-byte archive", r.InputOffset(), len(raw))
		}
	}
}

// TestWindowsStyle covers blank numeric fields and a NUL-terminated long-name
// table, as written by Microsoft's lib.exe for import libraries.
func TestWindowsStyle(t *testing.T) {
	table := "long-import-library-member.dll\x00"
	raw := Magic +
		header("/", "0", "", "", "0", "4") + "\x00\x00\x00\x00" +
		header("/", "0", "", "", "0", "4") + "\x00\x00\x00\x00" +
		header("//", "", "", "", "", fmt.Sprint(len(table))) + table + pad(table) +
		header("/0", "1", "", "", "100666", "2") + "hi"
	gotm, err := readAll(t, strings.NewReader(raw), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotm) != 1 || gotm[0].hdr.Name != "long-import-library-member.dll" || gotm[0].data != "hi" {
		t.Fatalf("got %+v", gotm)
	}
}

func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
}

func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestBinutilsAr reads an archive made by GNU ar, including a long name and
// the symbol table ar adds for object files (here a non-object, so ar may or
// may not add one; either way it must not surface).
func TestBinutilsAr(t *testing.T) {
	requireTool(t, "ar")
	dir := t.TempDir()
	files := map[string]string{
		"short.txt": "short\n",
		"a-member-name-longer-than-sixteen-bytes.txt": "long name content",
		"odd": "x",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"rcs", "lib.a", "short.txt", "a-member-name-longer-than-sixteen-bytes.txt", "odd"}
	want := "short.txt,a-member-name-longer-than-sixteen-bytes.txt,odd"
	// With an object file, ar adds a real "/" symbol table, which must be
	// skipped. as comes with binutils, like ar.
	if _, err := exec.LookPath("as"); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "sym.s"), []byte(".globl doorman_sym\ndoorman_sym:\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, dir, "as", "-o", "sym.o", "sym.s")
		obj, err := os.ReadFile(filepath.Join(dir, "sym.o"))
		if err != nil {
			t.Fatal(err)
		}
		files["sym.o"] = string(obj)
		args = append(args, "sym.o")
		want += ",sym.o"
	}
	run(t, dir, "ar", args...)
	raw, err := os.ReadFile(filepath.Join(dir, "lib.a"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("//  ")) {
		t.Fatal("expected GNU ar to write a // long-name table")
	}
	if _, ok := files["sym.o"]; ok && !bytes.HasPrefix(raw[len(Magic):], []byte("/     ")) {
		t.Fatal("expected GNU ar to write a / symbol table first")
	}
	gotm, err := readAll(t, bytes.NewReader(raw), false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gotm {
		names = append(names, g.hdr.Name)
		if files[g.hdr.Name] != g.data {
			t.Errorf("%s: data %q", g.hdr.Name, g.data)
		}
		if g.hdr.Mode.Perm() != 0o640 && g.hdr.Mode.Perm() != 0o644 {
			// ar in deterministic mode stores 0644; otherwise the file's.
			t.Errorf("%s: mode %v", g.hdr.Name, g.hdr.Mode)
		}
	}
	if strings.Join(names, ",") != want {
		t.Fatalf("names %v, want %s", names, want)
	}
}

// TestDpkgDeb reads a real Debian package built by dpkg-deb.
func TestDpkgDeb(t *testing.T) {
	requireTool(t, "dpkg-deb")
	dir := t.TempDir()
	root := filepath.Join(dir, "pkg")
	if err := os.MkdirAll(filepath.Join(root, "DEBIAN"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "usr/share/doorman"), 0o755); err != nil {
		t.Fatal(err)
	}
	control := "Package: doorman-test\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.com>\nDescription: test\n"
	if err := os.WriteFile(filepath.Join(root, "DEBIAN/control"), []byte(control), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "usr/share/doorman/hello"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "dpkg-deb", "--root-owner-group", "--build", "pkg", "out.deb")
	raw, err := os.ReadFile(filepath.Join(dir, "out.deb"))
	if err != nil {
		t.Fatal(err)
	}
	if !Sniff(raw) {
		t.Fatal("Sniff(.deb) = false")
	}
	f, err := os.Open(filepath.Join(dir, "out.deb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gotm, err := readAll(t, f, false) // *os.File: exercises the seek path
	if err != nil {
		t.Fatal(err)
	}
	if len(gotm) != 3 {
		t.Fatalf("got %d members: %+v", len(gotm), gotm)
	}
	if gotm[0].hdr.Name != "debian-binary" || gotm[0].data != "2.0\n" {
		t.Errorf("first member %q %q", gotm[0].hdr.Name, gotm[0].data)
	}
	if !strings.HasPrefix(gotm[1].hdr.Name, "control.tar") || !strings.HasPrefix(gotm[2].hdr.Name, "data.tar") {
		t.Errorf("members %q %q", gotm[1].hdr.Name, gotm[2].hdr.Name)
	}
	for _, g := range gotm {
		if string(raw[g.hdr.Offset:g.hdr.Offset+g.hdr.Size]) != g.data {
			t.Errorf("%s: Offset does not locate the data", g.hdr.Name)
		}
	}
}

// boundaries returns the offsets at which an archive may cleanly end: after
// the magic and after each member (including its padding).
func boundaries(t *testing.T, raw []byte) map[int]bool {
	t.Helper()
	b := map[int]bool{len(Magic): true}
	// Walk raw headers directly, including internal members.
	off := len(Magic)
	for off+headerSize <= len(raw) {
		size, _, err := parseNum(raw[off+48:off+58], 10)
		if err != nil {
			t.Fatal(err)
		}
		end := off + headerSize + int(size)
		b[end] = true // missing final pad is tolerated
		end += int(size & 1)
		b[end] = true
		off = end
	}
	return b
}

func TestTruncation(t *testing.T) {
	for _, raw := range [][]byte{buildGNU(fixtureMembers), buildBSD(fixtureMembers)} {
		ok := boundaries(t, raw)
		for cut := 0; cut < len(raw); cut += 17 {
			for _, skip := range []bool{false, true} {
				_, err := readAll(t, bytes.NewReader(raw[:cut]), skip)
				if err == nil {
					if !ok[cut] {
						t.Errorf("cut at %d (skip=%v): no error", cut, skip)
					}
					continue
				}
				if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) ||
					!strings.Contains(err.Error(), "truncated") {
					// Cutting inside the long-name table can also leave a
					// dangling reference, which is a header error.
					if !errors.Is(err, ErrHeader) {
						t.Errorf("cut at %d (skip=%v): err %v", cut, skip, err)
					}
				}
			}
		}
	}
}

func TestHostile(t *testing.T) {
	hdr := func(name, size string) string { return header(name, "0", "0", "0", "644", size) }
	for _, tc := range []struct {
		name string
		raw  string
		want error
	}{
		{"empty", "", ErrTruncated},
		{"short magic", "!<ar", ErrTruncated},
		{"bad magic", "!<arcX>\nxxxxxx", ErrHeader},
		{"thin", "!<thin>\n", ErrHeader},
		{"partial header", Magic + "debian-binary   0", ErrTruncated},
		{"bad fmag", Magic + strings.Replace(hdr("a/", "1"), "`\n", "xx", 1) + "a\n", ErrHeader},
		{"negative size", Magic + hdr("a/", "-1"), ErrHeader},
		{"hex size", Magic + hdr("a/", "0x10"), ErrHeader},
		{"blank size", Magic + hdr("a/", ""), ErrHeader},
		{"bad mode", Magic + header("a/", "0", "0", "0", "999", "0"), ErrHeader},
		{"bad mtime", Magic + header("a/", "-5", "0", "0", "644", "0"), ErrHeader},
		{"bad uid", Magic + header("a/", "0", "x", "0", "644", "0"), ErrHeader},
		{"lying size", Magic + hdr("a/", "100") + "abc", ErrTruncated},
		{"huge size", Magic + hdr("a/", "9999999999") + "abc", ErrTruncated},
		{"huge BSD name", Magic + hdr("#1/9999999", "9999999999"), ErrHeader},
		{"BSD name over size", Magic + hdr("#1/20", "10") + "0123456789", ErrHeader},
		{"BSD name over cap", Magic + hdr("#1/70000", "80000"), ErrHeader},
		{"BSD name truncated", Magic + hdr("#1/20", "30") + "abc", ErrTruncated},
		{"BSD bad length", Magic + hdr("#1/x", "3") + "abc", ErrHeader},
		{"huge long table", Magic + hdr("//", "9999999999"), ErrHeader},
		{"long table truncated", Magic + hdr("//", "1000") + "abc/\n", ErrTruncated},
		{"ref without table", Magic + hdr("/0", "1") + "a\n", ErrHeader},
		{"ref beyond table", Magic + hdr("//", "4") + "ab/\n" + hdr("/4", "1") + "a\n", ErrHeader},
		{"ref overflow", Magic + hdr("//", "4") + "ab/\n" + hdr("/99999999999999", "1") + "a\n", ErrHeader},
		{"unknown special", Magic + hdr("/junk/", "1") + "a\n", ErrHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, strings.NewReader(tc.raw), false)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("err = %v does not wrap io.ErrUnexpectedEOF", err)
			}
			// Errors are sticky.
			r := NewReader(strings.NewReader(tc.raw))
			var first error
			for first == nil {
				_, first = r.Next()
				if first == nil {
					_, first = io.Copy(io.Discard, r)
				}
			}
			if _, again := r.Next(); again != first {
				t.Fatalf("error not sticky: %v then %v", first, again)
			}
		})
	}
}

// TestLyingSizeDoesNotAllocate checks that a member claiming ~9 GiB in a tiny
// stream costs neither memory nor an endless loop, on both skip paths.
func TestLyingSizeDoesNotAllocate(t *testing.T) {
	raw := Magic + header("#1/8", "0", "0", "0", "644", "9999999999") + "big.bin\x00abc"
	for _, seekable := range []bool{true, false} {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		var r io.Reader = strings.NewReader(raw)
		if !seekable {
			r = opaqueReader{r}
		}
		ar := NewReader(r)
		h, err := ar.Next()
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "big.bin" || h.Size != 9999999999-8 {
			t.Fatalf("header %+v", h)
		}
		if _, err := ar.Next(); !errors.Is(err, ErrTruncated) {
			t.Fatalf("skip over lying size: %v", err)
		}
		runtime.ReadMemStats(&ms1)
		if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 1<<20 {
			t.Fatalf("allocated %d bytes", d)
		}
	}
}

func FuzzAr(f *testing.F) {
	f.Add(buildGNU(fixtureMembers))
	f.Add(buildBSD(fixtureMembers))
	f.Add([]byte(Magic))
	f.Add([]byte(Magic + header("//", "", "", "", "", "6") + "x/\ny/\n" + header("/3", "0", "0", "0", "644", "1") + "z\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := NewReader(bytes.NewReader(raw))
		for {
			h, err := r.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrTruncated) {
					t.Fatalf("unexpected error type: %v", err)
				}
				return
			}
			if h.Size < 0 || h.Offset < 0 || len(h.Name) > MaxNameSize {
				t.Fatalf("bad header %+v", h)
			}
			data, err := io.ReadAll(r)
			if err != nil {
				if !errors.Is(err, ErrTruncated) {
					t.Fatalf("unexpected read error: %v", err)
				}
				return
			}
			if int64(len(data)) != h.Size || !bytes.Equal(raw[h.Offset:h.Offset+h.Size], data) {
				t.Fatalf("Offset/Size do not describe the data of %q", h.Name)
			}
		}
	})
}
