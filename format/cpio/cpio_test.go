package cpio

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

// entry is a fixture entry for the archive builders below.
type entry struct {
	name  string
	mode  uint32 // Unix st_mode
	data  string // file content or symlink target
	mtime int64
	uid   int
	gid   int
}

var fixtureEntries = []entry{
	{name: "dir", mode: 0o040755, mtime: 1700000000},
	{name: "dir/file", mode: 0o100644, data: "hello, cpio\n", mtime: 1700000001, uid: 1000, gid: 100},
	{name: "empty", mode: 0o100600, mtime: 3},
	{name: "link", mode: 0o120777, data: "dir/file", mtime: 4},
	{name: "suid", mode: 0o104755, data: "#!/bin/sh\n", mtime: 5},
	{name: "odd-sized", mode: 0o100644, data: "abc", mtime: 6},
}

// builder writes cpio archives in any encoding, recording where each entry
// ends so truncation tests know which cut points are clean.
type builder struct {
	buf  bytes.Buffer
	ends []int
}

func (b *builder) padTo(start, align int) {
	for (b.buf.Len()-start)%align != 0 {
		b.buf.WriteByte(0)
	}
}

func checksum(s string) uint32 {
	var sum uint32
	for i := 0; i < len(s); i++ {
		sum += uint32(s[i])
	}
	return sum
}

func (b *builder) newc(e entry, crc bool) {
	start := b.buf.Len()
	magic, check := "070701", uint32(0)
	if crc {
		magic = "070702"
		if e.mode&0o170000 == 0o100000 {
			check = checksum(e.data) // like GNU cpio: regular files only
		}
	}
	fmt.Fprintf(&b.buf, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		magic, 1, e.mode, e.uid, e.gid, 1, e.mtime, len(e.data), 0, 0, 0, 0, len(e.name)+1, check)
	b.buf.WriteString(e.name + "\x00")
	b.padTo(start, 4)
	dataStart := b.buf.Len()
	b.buf.WriteString(e.data)
	b.padTo(dataStart, 4)
	b.ends = append(b.ends, b.buf.Len())
}

func (b *builder) odc(e entry) {
	fmt.Fprintf(&b.buf, "070707%06o%06o%06o%06o%06o%06o%06o%011o%06o%011o",
		0, 1, e.mode, e.uid, e.gid, 1, 0, e.mtime, len(e.name)+1, len(e.data))
	b.buf.WriteString(e.name + "\x00" + e.data)
	b.ends = append(b.ends, b.buf.Len())
}

func (b *builder) bin(e entry, o byteOrder) {
	start := b.buf.Len()
	put := func(v int) {
		if o == bigEndian {
			b.buf.Write([]byte{byte(v >> 8), byte(v)})
		} else {
			b.buf.Write([]byte{byte(v), byte(v >> 8)})
		}
	}
	for _, v := range []int{0o070707, 0, 1, int(e.mode), e.uid, e.gid, 1, 0,
		int(e.mtime >> 16), int(e.mtime & 0xffff), len(e.name) + 1, len(e.data) >> 16, len(e.data) & 0xffff} {
		put(v)
	}
	b.buf.WriteString(e.name + "\x00")
	b.padTo(start, 2)
	dataStart := b.buf.Len()
	b.buf.WriteString(e.data)
	b.padTo(dataStart, 2)
	b.ends = append(b.ends, b.buf.Len())
}

func (b *builder) add(f Format, e entry) {
	switch f {
	case FormatNewc:
		b.newc(e, false)
	case FormatCRC:
		b.newc(e, true)
	case FormatODC:
		b.odc(e)
	case FormatBinaryLE:
		b.bin(e, littleEndian)
	case FormatBinaryBE:
		b.bin(e, bigEndian)
	}
}

// build returns a complete archive of fixtureEntries in format f.
func build(f Format, entries []entry) *builder {
	b := &builder{}
	for _, e := range entries {
		b.add(f, e)
	}
	b.add(f, entry{name: trailerName})
	return b
}

var allFormats = []Format{FormatNewc, FormatCRC, FormatODC, FormatBinaryLE, FormatBinaryBE}

type got struct {
	hdr  Header
	data string
}

// opaqueReader hides io.Seeker so the copy-to-skip path is exercised.
type opaqueReader struct{ r io.Reader }

func (o opaqueReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func readAll(r io.Reader, skipData bool) ([]got, error) {
	cr := NewReader(r)
	var out []got
	for {
		h, err := cr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		g := got{hdr: *h}
		if !skipData {
			b, err := io.ReadAll(cr)
			if err != nil {
				return out, err
			}
			g.data = string(b)
		}
		out = append(out, g)
	}
}

func checkEntries(t *testing.T, raw []byte, gotE []got, want []entry, f Format, checkData bool) {
	t.Helper()
	if len(gotE) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(gotE), len(want), gotE)
	}
	for i, w := range want {
		g := gotE[i]
		h := g.hdr
		if h.Name != w.name {
			t.Errorf("entry %d: name %q, want %q", i, h.Name, w.name)
		}
		if want := fileMode(w.mode); h.Mode != want {
			t.Errorf("%s: mode %v, want %v", w.name, h.Mode, want)
		}
		if f != 0 && h.Format != f {
			t.Errorf("%s: format %v, want %v", w.name, h.Format, f)
		}
		if h.Size != int64(len(w.data)) {
			t.Errorf("%s: size %d, want %d", w.name, h.Size, len(w.data))
		}
		if raw != nil {
			if sec := string(raw[h.Offset : h.Offset+h.Size]); sec != w.data {
				t.Errorf("%s: data at Offset %d is %q, want %q", w.name, h.Offset, sec, w.data)
			}
		}
		if w.mode&0o170000 == 0o120000 {
			if h.LinkTarget != w.data {
				t.Errorf("%s: link target %q, want %q", w.name, h.LinkTarget, w.data)
			}
			if checkData && g.data != "" {
				t.Errorf("%s: Read after link target returned %q", w.name, g.data)
			}
		} else if checkData && g.data != w.data {
			t.Errorf("%s: data %q, want %q", w.name, g.data, w.data)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, f := range allFormats {
		t.Run(f.String(), func(t *testing.T) {
			b := build(f, fixtureEntries)
			raw := b.buf.Bytes()
			if !Sniff(raw) {
				t.Fatal("Sniff = false")
			}
			for _, seekable := range []bool{true, false} {
				for _, skip := range []bool{false, true} {
					var r io.Reader = bytes.NewReader(raw)
					if !seekable {
						r = opaqueReader{r}
					}
					gotE, err := readAll(r, skip)
					if err != nil {
						t.Fatalf("seekable=%v skip=%v: %v", seekable, skip, err)
					}
					checkEntries(t, raw, gotE, fixtureEntries, f, !skip)
					for i, g := range gotE {
						w := fixtureEntries[i]
						if !g.hdr.ModTime.Equal(time.Unix(w.mtime, 0)) || g.hdr.UID != w.uid || g.hdr.GID != w.gid {
							t.Errorf("%s: mtime/owner %v %d:%d", w.name, g.hdr.ModTime, g.hdr.UID, g.hdr.GID)
						}
					}
				}
			}
		})
	}
}

// TestMixedEncodings checks per-entry detection on an archive whose entries
// alternate between encodings (which also misaligns the newc entries).
func TestMixedEncodings(t *testing.T) {
	b := &builder{}
	for i, e := range fixtureEntries {
		b.add(allFormats[i%len(allFormats)], e)
	}
	b.add(FormatODC, entry{name: trailerName})
	b.buf.WriteString("data after the trailer is not read")
	raw := b.buf.Bytes()
	gotE, err := readAll(bytes.NewReader(raw), false)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, raw, gotE, fixtureEntries, 0, true)
	for i, g := range gotE {
		if want := allFormats[i%len(allFormats)]; g.hdr.Format != want {
			t.Errorf("%s: format %v, want %v", g.hdr.Name, g.hdr.Format, want)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"070701", true}, {"070702xx", true}, {"070707", true},
		{"\xc7\x71", true}, {"\x71\xc7", true},
		{"070703", false}, {"07070", false}, {"", false}, {"\xc7", false},
		{"!<arch>\n", false},
	} {
		if got := Sniff([]byte(tc.in)); got != tc.want {
			t.Errorf("Sniff(%q) = %v", tc.in, got)
		}
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

// TestGNUCpio reads archives written by GNU cpio in each of its encodings
// from a tree holding a directory, a file, an empty file, a setuid file and a
// symlink.
func TestGNUCpio(t *testing.T) {
	requireTool(t, "cpio")
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(filepath.Join(dir, "dir"), 0o750))
	must(os.WriteFile(filepath.Join(dir, "dir/file"), []byte("file content\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "empty"), nil, 0o600))
	must(os.WriteFile(filepath.Join(dir, "suid"), []byte("x"), 0o755))
	must(os.Chmod(filepath.Join(dir, "suid"), fs.ModeSetuid|0o755)) // umask-proof
	must(os.Chmod(filepath.Join(dir, "dir"), 0o750))
	must(os.Symlink("dir/file", filepath.Join(dir, "link")))
	want := []entry{
		{name: "dir", mode: 0o040750},
		{name: "dir/file", mode: 0o100644, data: "file content\n"},
		{name: "empty", mode: 0o100600},
		{name: "suid", mode: 0o104755, data: "x"},
		{name: "link", mode: 0o120777, data: "dir/file"},
	}
	var list strings.Builder
	for _, e := range want {
		list.WriteString(e.name + "\n")
	}
	for _, tc := range []struct {
		h string
		f Format
	}{
		{"newc", FormatNewc}, {"crc", FormatCRC}, {"odc", FormatODC}, {"bin", 0},
	} {
		t.Run(tc.h, func(t *testing.T) {
			cmd := exec.Command("cpio", "--quiet", "-o", "-H", tc.h)
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(list.String())
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			raw, err := cmd.Output()
			if err != nil {
				t.Fatalf("cpio -H %s: %v\n%s", tc.h, err, stderr.String())
			}
			if !Sniff(raw) {
				t.Fatal("Sniff = false")
			}
			// A crc archive must not raise ErrChecksum: GNU cpio's sums
			// are what we verify against.
			gotE, err := readAll(bytes.NewReader(raw), false)
			if err != nil {
				t.Fatal(err)
			}
			checkEntries(t, raw, gotE, want, tc.f, true)
			if tc.h == "bin" && gotE[0].hdr.Format != FormatBinaryLE && gotE[0].hdr.Format != FormatBinaryBE {
				t.Errorf("format %v", gotE[0].hdr.Format)
			}
			// The reader must stop at the trailer, before GNU's block padding.
			cr := NewReader(bytes.NewReader(raw))
			for {
				if _, err := cr.Next(); err != nil {
					if err != io.EOF {
						t.Fatal(err)
					}
					break
				}
			}
			if end := cr.InputOffset(); end >= int64(len(raw)) || strings.Trim(string(raw[end:]), "\x00") != "" {
				t.Errorf("stopped at %d of %d, rest %q", end, len(raw), raw[end:])
			}
		})
	}
}

func TestChecksumMismatch(t *testing.T) {
	b := build(FormatCRC, []entry{
		{name: "a", mode: 0o100644, data: "hello"},
		{name: "b", mode: 0o100644, data: "world"},
	})
	raw := b.buf.Bytes()
	i := bytes.Index(raw, []byte("hello"))
	raw[i] = 'j'
	cr := NewReader(bytes.NewReader(raw))
	if _, err := cr.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(cr); !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	h, err := cr.Next()
	if err != nil || h.Name != "b" {
		t.Fatalf("after checksum error: %v %v", h, err)
	}
	if data, err := io.ReadAll(cr); err != nil || string(data) != "world" {
		t.Fatalf("b: %q %v", data, err)
	}
}

func TestTruncation(t *testing.T) {
	for _, f := range allFormats {
		b := build(f, fixtureEntries)
		raw := b.buf.Bytes()
		clean := map[int]bool{0: true}
		for _, e := range b.ends {
			clean[e] = true
		}
		for cut := 0; cut < len(raw); cut += 17 {
			for _, skip := range []bool{false, true} {
				for _, seekable := range []bool{false, true} {
					var r io.Reader = bytes.NewReader(raw[:cut])
					if !seekable {
						r = opaqueReader{r}
					}
					_, err := readAll(r, skip)
					if err == nil {
						if !clean[cut] {
							t.Errorf("%v cut at %d: no error", f, cut)
						}
						continue
					}
					if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) ||
						!strings.Contains(err.Error(), "truncated") {
						t.Errorf("%v cut at %d: err %v", f, cut, err)
					}
				}
			}
		}
	}
}

func newcHeader(magic string, mode, size, nameSize string) string {
	return magic + "00000001" + mode + "00000000" + "00000000" + "00000001" + "00000000" +
		size + "00000000" + "00000000" + "00000000" + "00000000" + nameSize + "00000000"
}

func TestHostile(t *testing.T) {
	reg := "000081A4"
	for _, tc := range []struct {
		name string
		raw  string
		want error
	}{
		{"unknown magic", "070708" + strings.Repeat("0", 200), ErrHeader},
		{"garbage", "hello world", ErrHeader},
		{"one byte", "0", ErrTruncated},
		{"partial magic", "0707", ErrTruncated},
		{"partial header", "070701000000", ErrTruncated},
		{"huge name size", newcHeader("070701", reg, "00000000", "FFFFFFFF"), ErrHeader},
		{"name over cap", newcHeader("070701", reg, "00000000", "00010001"), ErrHeader},
		{"zero name size", newcHeader("070701", reg, "00000000", "00000000"), ErrHeader},
		{"name truncated", newcHeader("070701", reg, "00000000", "00001000") + "abc", ErrTruncated},
		{"negative size", newcHeader("070701", reg, "-0000001", "00000002") + "a\x00", ErrHeader},
		{"space in size", newcHeader("070701", reg, "     100", "00000002") + "a\x00", ErrHeader},
		{"non-hex size", newcHeader("070701", reg, "0000000G", "00000002") + "a\x00", ErrHeader},
		{"lying size", newcHeader("070701", reg, "00000100", "00000002") + "a\x00" + "abc", ErrTruncated},
		{"4 GiB size", newcHeader("070701", reg, "FFFFFFFF", "00000002") + "a\x00" + "abc", ErrTruncated},
		{"lying symlink size", newcHeader("070701", "0000A1FF", "00000100", "00000002") + "a\x00" + "abc", ErrTruncated},
		{"odc 8 in octal", "070707" + strings.Repeat("0", 12) + "100648" + strings.Repeat("0", 52), ErrHeader},
		{"odc huge name", "070707" + strings.Repeat("0", 12) + "100644" + strings.Repeat("0", 35) + "777777" + strings.Repeat("0", 11), ErrHeader},
		{"odc huge size", "070707" + strings.Repeat("0", 12) + "100644" + strings.Repeat("0", 35) + "000002" + "77777777777" + "a\x00xyz", ErrTruncated},
		{"bin truncated", "\xc7\x71\x00\x00", ErrTruncated},
		{"bin huge size", "\xc7\x71" + strings.Repeat("\x00", 16) + "\x02\x00\xff\xff\xff\xff" + "a\x00xyz", ErrTruncated},
		{"bin zero name", "\x71\xc7" + strings.Repeat("\x00", 24), ErrHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, skip := range []bool{false, true} {
				_, err := readAll(strings.NewReader(tc.raw), skip)
				if !errors.Is(err, tc.want) {
					t.Fatalf("skip=%v: err = %v, want %v", skip, err, tc.want)
				}
				if tc.want == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("err = %v does not wrap io.ErrUnexpectedEOF", err)
				}
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
			if _, again := r.Read(make([]byte, 1)); again != first {
				t.Fatalf("Read error not sticky: %v then %v", first, again)
			}
		})
	}
}

// TestHugeSizeErrorsOnRead is the brief's case: a 4 GiB size in a short
// stream yields a header, then an error from Read, without allocating.
func TestHugeSizeErrorsOnRead(t *testing.T) {
	raw := newcHeader("070701", "000081A4", "FFFFFFFF", "00000006") + "big.x\x00" + strings.Repeat("z", 1000)
	for _, seekable := range []bool{true, false} {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		var r io.Reader = strings.NewReader(raw)
		if !seekable {
			r = opaqueReader{r}
		}
		cr := NewReader(r)
		h, err := cr.Next()
		if err != nil {
			t.Fatal(err)
		}
		if h.Size != 0xFFFFFFFF || h.Name != "big.x" {
			t.Fatalf("header %+v", h)
		}
		n, err := io.Copy(io.Discard, cr)
		if n != 1000 || !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("Read: n=%d err=%v", n, err)
		}
		runtime.ReadMemStats(&ms1)
		if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 1<<20 {
			t.Fatalf("allocated %d bytes", d)
		}
		// Skipping instead of reading fails the same way.
		cr = NewReader(strings.NewReader(raw))
		if _, err := cr.Next(); err != nil {
			t.Fatal(err)
		}
		if _, err := cr.Next(); !errors.Is(err, ErrTruncated) {
			t.Fatalf("skip: %v", err)
		}
	}
}

func TestLongSymlinkLeftForRead(t *testing.T) {
	target := strings.Repeat("t", MaxLinkTarget+1)
	// crc: the zero checksum GNU cpio stores for symlinks must not fail.
	b := build(FormatCRC, []entry{
		{name: "long", mode: 0o120777, data: target},
		{name: "after", mode: 0o100644, data: "ok"},
	})
	gotE, err := readAll(bytes.NewReader(b.buf.Bytes()), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotE) != 2 || gotE[0].hdr.LinkTarget != "" || gotE[0].data != target || gotE[1].data != "ok" {
		t.Fatalf("got %d entries, link target %d bytes, data %d bytes", len(gotE), len(gotE[0].hdr.LinkTarget), len(gotE[0].data))
	}
	if gotE[0].hdr.Mode.Type() != fs.ModeSymlink {
		t.Fatalf("mode %v", gotE[0].hdr.Mode)
	}
}

func TestNamesRaw(t *testing.T) {
	b := build(FormatNewc, []entry{
		{name: "./etc/passwd", mode: 0o100644},
		{name: "../../escape", mode: 0o100644},
		{name: "/abs", mode: 0o100644},
		{name: "nul\x00hidden", mode: 0o100644},
	})
	gotE, err := readAll(bytes.NewReader(b.buf.Bytes()), false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gotE {
		names = append(names, g.hdr.Name)
	}
	if strings.Join(names, "|") != "./etc/passwd|../../escape|/abs|nul" {
		t.Fatalf("names %q", names)
	}
}

func TestUnknownTypeBits(t *testing.T) {
	b := build(FormatNewc, []entry{{name: "weird", mode: 0o170644}, {name: "none", mode: 0o644}})
	gotE, err := readAll(bytes.NewReader(b.buf.Bytes()), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gotE {
		if g.hdr.Mode != fs.ModeIrregular|0o644 {
			t.Errorf("%s: mode %v", g.hdr.Name, g.hdr.Mode)
		}
	}
}

func FuzzCpio(f *testing.F) {
	for _, format := range allFormats {
		f.Add(build(format, fixtureEntries).buf.Bytes())
	}
	f.Add([]byte(newcHeader("070702", "0000A1FF", "00000003", "00000002") + "a\x00\x00\x00" + "xyz"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		cr := NewReader(bytes.NewReader(raw))
		for {
			h, err := cr.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrChecksum) {
					t.Fatalf("unexpected error type: %v", err)
				}
				return
			}
			if h.Size < 0 || h.Offset < 0 || len(h.Name) >= MaxNameSize || len(h.LinkTarget) > MaxLinkTarget {
				t.Fatalf("bad header %+v", h)
			}
			data, err := io.ReadAll(cr)
			if err != nil && !errors.Is(err, ErrChecksum) {
				if !errors.Is(err, ErrTruncated) {
					t.Fatalf("unexpected read error: %v", err)
				}
				return
			}
			stored := raw[h.Offset : h.Offset+h.Size]
			if h.LinkTarget != "" || (h.Mode.Type() == fs.ModeSymlink && h.Size <= MaxLinkTarget) {
				if len(data) != 0 || !bytes.HasPrefix(stored, []byte(h.LinkTarget)) {
					t.Fatalf("link target %q does not match stored %q", h.LinkTarget, stored)
				}
			} else if !bytes.Equal(stored, data) {
				t.Fatalf("Offset/Size do not describe the data of %q", h.Name)
			}
		}
	})
}
