package rpm

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/cpio"
)

// tv is one tag for the header builder: val is a string, []string (typed
// by typ as STRING_ARRAY or I18NSTRING), []uint32 or []byte.
type tv struct {
	tag int32
	typ uint32
	val any
}

func str(tag int32, s string) tv          { return tv{tag, typeString, s} }
func strs(tag int32, s ...string) tv      { return tv{tag, typeStringArray, s} }
func i32s(tag int32, v ...uint32) tv      { return tv{tag, typeInt32, v} }
func bin(tag int32, b []byte) tv          { return tv{tag, 7, b} }
func i18n(tag int32, s ...string) tv      { return tv{tag, typeI18NString, s} }
func prog(tag int32, s ...string) tv      { return strs(tag, s...) }
func trig(tag int32, bodies ...string) tv { return strs(tag, bodies...) }

// buildHeader encodes a header structure the way rpm does: index sorted by
// tag, int32 data aligned to 4 bytes.
func buildHeader(tags []tv) []byte {
	tags = append([]tv(nil), tags...)
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].tag < tags[j].tag })
	var index, store bytes.Buffer
	for _, t := range tags {
		var count int
		switch v := t.val.(type) {
		case string:
			count = 1
			writeEntry(&index, t.tag, t.typ, store.Len(), count)
			store.WriteString(v + "\x00")
		case []string:
			count = len(v)
			writeEntry(&index, t.tag, t.typ, store.Len(), count)
			for _, s := range v {
				store.WriteString(s + "\x00")
			}
		case []uint32:
			for store.Len()%4 != 0 {
				store.WriteByte(0)
			}
			writeEntry(&index, t.tag, t.typ, store.Len(), len(v))
			for _, x := range v {
				binary.Write(&store, binary.BigEndian, x)
			}
		case []byte:
			writeEntry(&index, t.tag, t.typ, store.Len(), len(v))
			store.Write(v)
		}
	}
	var out bytes.Buffer
	out.Write(headerMagic)
	out.Write([]byte{0, 0, 0, 0})
	binary.Write(&out, binary.BigEndian, uint32(len(tags)))
	binary.Write(&out, binary.BigEndian, uint32(store.Len()))
	out.Write(index.Bytes())
	out.Write(store.Bytes())
	return out.Bytes()
}

func writeEntry(w *bytes.Buffer, tag int32, typ uint32, off, count int) {
	binary.Write(w, binary.BigEndian, tag)
	binary.Write(w, binary.BigEndian, typ)
	binary.Write(w, binary.BigEndian, uint32(off))
	binary.Write(w, binary.BigEndian, uint32(count))
}

// fixture is a built package plus where its parts start.
type fixture struct {
	raw        []byte
	mainOff    int
	payloadOff int
}

func buildRPM(major byte, main []tv, payload []byte) fixture {
	var b bytes.Buffer
	lead := make([]byte, leadSize)
	copy(lead, leadMagic)
	lead[4], lead[5] = major, 0
	binary.BigEndian.PutUint16(lead[8:], 1) // arch: i386, unused by readers
	copy(lead[10:76], "doorman-fixture-1.0-1")
	binary.BigEndian.PutUint16(lead[76:], 1) // os: Linux
	binary.BigEndian.PutUint16(lead[78:], sigTypeHdr)
	b.Write(lead)
	// An odd-sized signature header, so that the 8-byte padding matters.
	sig := buildHeader([]tv{
		i32s(1000, uint32(len(payload))),
		str(273, "0123456789abcdef0123456789abcdef01234567"), // SHA1-ish, 41 bytes with NUL
	})
	b.Write(sig)
	for b.Len()%8 != 0 {
		b.WriteByte(0)
	}
	f := fixture{mainOff: b.Len()}
	b.Write(buildHeader(main))
	f.payloadOff = b.Len()
	b.Write(payload)
	f.raw = b.Bytes()
	return f
}

// newc writes a minimal newc cpio archive of regular files.
func newc(files map[string]string) []byte {
	var b bytes.Buffer
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	add := func(name, data string, mode int) {
		fmt.Fprintf(&b, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
		b.WriteString(name + "\x00")
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
		b.WriteString(data)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	for _, n := range names {
		add(n, files[n], 0o100644)
	}
	add("TRAILER!!!", "", 0)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

var payloadFiles = map[string]string{
	"./usr/bin/tool":     "#!/bin/sh\necho tool\n",
	"./etc/tool.conf":    "key=value\n",
	"./usr/share/doc/xx": "",
}

func syntheticTags() []tv {
	return []tv{
		str(tagName, "doorman-fixture"),
		str(tagVersion, "1.0"),
		str(tagRelease, "1.el9"),
		str(tagArch, "x86_64"),
		i18n(1004, "summary", "résumé"),
		str(tagPayloadFormat, "cpio"),
		str(tagPayloadCompressor, "gzip"),
		str(tagPayloadCompressor+1, "9"),
		str(1151, "io.write('pretrans')"), prog(1153, "<lua>"),
		str(1023, "getent group tool >/dev/null || groupadd tool"), tv{1085, typeString, "/bin/sh"},
		str(1024, "systemctl enable tool\n"), prog(1086, "/bin/bash", "-e"),
		prog(1087, "/sbin/ldconfig"), // %preun -p /sbin/ldconfig: no body
		str(1026, "rm -rf /var/lib/tool"),
		str(1152, "echo posttrans"),
		str(5103, "echo preuntrans"), prog(5105, "/bin/sh"),
		str(1079, "test -f /etc/tool.conf"),
		trig(tagTriggerScripts, "echo bash changed", "print('glibc')"),
		prog(tagTriggerScriptProg, "/bin/sh", "<lua>"),
		strs(1066, "bash", "glibc", "glibc-common"),
		i32s(tagTriggerFlags, senseTriggerIn, senseTriggerPostUn|8, senseTriggerPostUn),
		i32s(tagTriggerIndex, 0, 1, 1),
		trig(tagFileTriggerScripts, "ldconfig"),
		prog(tagFileTriggerScriptProg, "/bin/sh"),
		i32s(tagFileTriggerIndex, 0),
		i32s(tagFileTriggerFlags, senseTriggerUn),
		trig(tagTransFileTriggerScripts, "update-cache"),
		i32s(tagDirIndexes, 0, 1, 2),
		strs(tagBasenames, "tool.conf", "tool", "xx"),
		strs(tagDirnames, "/etc/", "/usr/bin/", "/usr/share/doc/"),
		bin(1012, []byte{1, 2, 3}), // a BIN tag, ignored
	}
}

var syntheticScripts = []Script{
	{"pretrans", "<lua>", "io.write('pretrans')"},
	{"prein", "/bin/sh", "getent group tool >/dev/null || groupadd tool"},
	{"postin", "/bin/bash -e", "systemctl enable tool\n"},
	{"posttrans", "/bin/sh", "echo posttrans"},
	{"preuntrans", "/bin/sh", "echo preuntrans"},
	{"preun", "/sbin/ldconfig", ""},
	{"postun", "/bin/sh", "rm -rf /var/lib/tool"},
	{"verifyscript", "/bin/sh", "test -f /etc/tool.conf"},
	{"triggerin", "/bin/sh", "echo bash changed"},
	{"triggerpostun", "<lua>", "print('glibc')"},
	{"filetriggerun", "/bin/sh", "ldconfig"},
	{"transfiletrigger", "/bin/sh", "update-cache"},
}

func synthetic() fixture {
	return buildRPM(3, syntheticTags(), gz(newc(payloadFiles)))
}

// checkPayload decompresses a gzip payload and reads it as cpio.
func checkPayload(t *testing.T, raw []byte, p *Package, want map[string]string) {
	t.Helper()
	if p.PayloadCompressor != "gzip" || p.PayloadFormat != "cpio" {
		t.Fatalf("payload %s/%s", p.PayloadCompressor, p.PayloadFormat)
	}
	zr, err := gzip.NewReader(io.NewSectionReader(bytes.NewReader(raw), p.PayloadOffset, int64(len(raw))-p.PayloadOffset))
	if err != nil {
		t.Fatalf("payload at %d is not gzip: %v", p.PayloadOffset, err)
	}
	cr := cpio.NewReader(zr)
	got := map[string]string{}
	for {
		h, err := cr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.Mode.IsRegular() {
			continue
		}
		data, err := io.ReadAll(cr)
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = string(data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("payload files %q, want %q", got, want)
	}
}

func TestSynthetic(t *testing.T) {
	f := synthetic()
	if !Sniff(f.raw) {
		t.Fatal("Sniff = false")
	}
	p, err := Open(bytes.NewReader(f.raw), int64(len(f.raw)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "doorman-fixture" || p.Version != "1.0" || p.Release != "1.el9" || p.Arch != "x86_64" {
		t.Errorf("identity %q %q %q %q", p.Name, p.Version, p.Release, p.Arch)
	}
	if p.PayloadOffset != int64(f.payloadOff) {
		t.Errorf("PayloadOffset %d, want %d", p.PayloadOffset, f.payloadOff)
	}
	if !reflect.DeepEqual(p.Scripts, syntheticScripts) {
		t.Errorf("scripts:\n got %q\nwant %q", p.Scripts, syntheticScripts)
	}
	wantFiles := []string{"/etc/tool.conf", "/usr/bin/tool", "/usr/share/doc/xx"}
	if !reflect.DeepEqual(p.Files, wantFiles) {
		t.Errorf("files %q", p.Files)
	}
	checkPayload(t, f.raw, p, payloadFiles)
}

// TestOldStyle covers a v3-era header: no payload tags (rpm's gzip and cpio
// defaults apply), whole paths in OLDFILENAMES, no scriptlets.
func TestOldStyle(t *testing.T) {
	f := buildRPM(3, []tv{
		str(tagName, "old"), str(tagVersion, "0.1"), str(tagRelease, "1"), str(tagArch, "i386"),
		strs(tagOldFilenames, "/bin/old", "/etc/old.rc"),
	}, gz(newc(map[string]string{"./bin/old": "x"})))
	p, err := Open(bytes.NewReader(f.raw), int64(len(f.raw)))
	if err != nil {
		t.Fatal(err)
	}
	if p.PayloadCompressor != "gzip" || p.PayloadFormat != "cpio" || p.Scripts != nil {
		t.Errorf("got %+v", p)
	}
	if !reflect.DeepEqual(p.Files, []string{"/bin/old", "/etc/old.rc"}) {
		t.Errorf("files %q", p.Files)
	}
	checkPayload(t, f.raw, p, map[string]string{"./bin/old": "x"})
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"\xed\xab\xee\xdb", true}, {"\xed\xab\xee\xdb\x03\x00", true},
		{"\xed\xab\xee", false}, {"", false}, {"\x8e\xad\xe8\x01", false},
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

const testSpec = `Name: doorman-test
Version: 1.2.3
Release: 4
Summary: doorman rpm reader fixture
License: MIT
BuildArch: noarch

%description
Fixture for the doorman rpm reader tests.

%install
mkdir -p %{buildroot}/usr/share/doorman %{buildroot}/etc
echo hello > %{buildroot}/usr/share/doorman/hello
echo conf > %{buildroot}/etc/doorman.conf

%post
echo installed > /tmp/doorman-test

%preun -p /sbin/ldconfig

%triggerin -- bash
echo trig

%files
/usr/share/doorman/hello
%config /etc/doorman.conf
`

// TestRPMBuild reads packages made by rpmbuild: one with a gzip payload,
// decompressed and read back through the cpio package, and one with the
// distribution's default compressor, whose magic is checked at
// PayloadOffset.
func TestRPMBuild(t *testing.T) {
	requireTool(t, "rpmbuild")
	dir := t.TempDir()
	spec := filepath.Join(dir, "t.spec")
	if err := os.WriteFile(spec, []byte(testSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(name string, defines ...string) []byte {
		top := filepath.Join(dir, name)
		args := []string{"-bb", "--nodeps", "--quiet", "--define", "_topdir " + top,
			"--define", "_tmppath " + filepath.Join(dir, "tmp")}
		for _, d := range defines {
			args = append(args, "--define", d)
		}
		cmd := exec.Command("rpmbuild", append(args, spec)...)
		cmd.Env = append(os.Environ(), "HOME="+dir) // keep ~/.rpmmacros out
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("rpmbuild: %v\n%s", err, out)
		}
		raw, err := os.ReadFile(filepath.Join(top, "RPMS/noarch/doorman-test-1.2.3-4.noarch.rpm"))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	wantScripts := []Script{
		{"postin", "/bin/sh", "echo installed > /tmp/doorman-test"},
		{"preun", "/sbin/ldconfig", ""},
		{"triggerin", "/bin/sh", "echo trig"},
	}
	wantFiles := []string{"/etc/doorman.conf", "/usr/share/doorman/hello"}

	raw := build("gz", "_binary_payload w9.gzdio")
	p, err := Open(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "doorman-test" || p.Version != "1.2.3" || p.Release != "4" || p.Arch != "noarch" {
		t.Errorf("identity %q %q %q %q", p.Name, p.Version, p.Release, p.Arch)
	}
	if !reflect.DeepEqual(p.Scripts, wantScripts) {
		t.Errorf("scripts:\n got %q\nwant %q", p.Scripts, wantScripts)
	}
	if !reflect.DeepEqual(p.Files, wantFiles) {
		t.Errorf("files %q", p.Files)
	}
	checkPayload(t, raw, p, map[string]string{
		"./usr/share/doorman/hello": "hello\n",
		"./etc/doorman.conf":        "conf\n",
	})

	raw = build("default")
	p, err = Open(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	magic := map[string]string{
		"gzip":  "\x1f\x8b",
		"bzip2": "BZh",
		"xz":    "\xfd7zXZ\x00",
		"lzma":  "\x5d\x00\x00",
		"zstd":  "\x28\xb5\x2f\xfd",
	}[p.PayloadCompressor]
	if magic == "" || !bytes.HasPrefix(raw[p.PayloadOffset:], []byte(magic)) {
		t.Errorf("payload %q at %d starts % x", p.PayloadCompressor, p.PayloadOffset, raw[p.PayloadOffset:p.PayloadOffset+6])
	}
	if !reflect.DeepEqual(p.Scripts, wantScripts) || !reflect.DeepEqual(p.Files, wantFiles) {
		t.Errorf("default build: %+v", p)
	}
}

func TestTruncation(t *testing.T) {
	f := synthetic()
	for cut := 0; cut < len(f.raw); cut += 17 {
		_, err := Open(bytes.NewReader(f.raw[:cut]), int64(cut))
		if cut >= f.payloadOff {
			// Open does not read the payload.
			if err != nil {
				t.Errorf("cut at %d (in payload): %v", cut, err)
			}
			continue
		}
		if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) ||
			!strings.Contains(err.Error(), "truncated") {
			t.Errorf("cut at %d: err %v", cut, err)
		}
		// A size that lies about the reader's length is caught by ReadAt.
		_, err = Open(bytes.NewReader(f.raw[:cut]), int64(len(f.raw)))
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("cut at %d with lying size: err %v", cut, err)
		}
	}
}

// entryOffset returns the offset of the index entry for tag in the main
// header of f, so hostile tests can patch it.
func (f fixture) entryOffset(t *testing.T, tag int32) int {
	n := int(binary.BigEndian.Uint32(f.raw[f.mainOff+8:]))
	for i := 0; i < n; i++ {
		off := f.mainOff + introSize + i*entrySize
		if int32(binary.BigEndian.Uint32(f.raw[off:])) == tag {
			return off
		}
	}
	t.Fatalf("tag %d not in fixture", tag)
	return 0
}

func TestHostile(t *testing.T) {
	type patch func(t *testing.T, f *fixture)
	u32 := func(where func(t *testing.T, f *fixture) int, v uint32) patch {
		return func(t *testing.T, f *fixture) { binary.BigEndian.PutUint32(f.raw[where(t, f):], v) }
	}
	at := func(off int) func(*testing.T, *fixture) int {
		return func(*testing.T, *fixture) int { return off }
	}
	mainField := func(off int) func(*testing.T, *fixture) int {
		return func(_ *testing.T, f *fixture) int { return f.mainOff + off }
	}
	entryField := func(tag int32, field int) func(*testing.T, *fixture) int {
		return func(t *testing.T, f *fixture) int { return f.entryOffset(t, tag) + field }
	}
	const typ, off, count = 4, 8, 12
	for _, tc := range []struct {
		name string
		p    patch
		want error
	}{
		{"bad lead magic", u32(at(0), 0xdeadbeef), ErrHeader},
		{"lead version 2", func(_ *testing.T, f *fixture) { f.raw[4] = 2 }, ErrHeader},
		{"signature type 0", func(_ *testing.T, f *fixture) { f.raw[79] = 0 }, ErrHeader},
		{"bad sig magic", u32(at(leadSize), 0), ErrHeader},
		{"sig index count huge", u32(at(leadSize+8), 0xffffffff), ErrHeader},
		{"sig data huge", u32(at(leadSize+12), 0xffffffff), ErrHeader},
		{"sig data beyond file", u32(at(leadSize+12), MaxHeaderData), ErrTruncated},
		{"bad main magic", u32(mainField(0), 0x8eade802), ErrHeader},
		{"main index count huge", u32(mainField(8), 0x80000000), ErrHeader},
		{"main index count beyond file", u32(mainField(8), MaxIndexEntries), ErrTruncated},
		{"main data huge", u32(mainField(12), 0xfffffff0), ErrHeader},
		{"main data beyond file", u32(mainField(12), 1<<20), ErrTruncated},
		{"unknown type", u32(entryField(tagName, typ), 12), ErrHeader},
		{"offset beyond store", u32(entryField(tagName, off), 0x7fffffff), ErrHeader},
		{"negative offset", u32(entryField(tagName, off), 0xffffffff), ErrHeader},
		{"string count 2", u32(entryField(tagName, count), 2), ErrHeader},
		{"name not a string", u32(entryField(tagName, typ), typeInt32), ErrHeader},
		{"string array count huge", u32(entryField(tagBasenames, count), 0xffffffff), ErrHeader},
		{"string array count beyond store", u32(entryField(tagBasenames, count), 0x0fffff), ErrHeader},
		{"string array count zero", u32(entryField(tagBasenames, count), 0), ErrHeader},
		{"int32 count overflow", u32(entryField(tagDirIndexes, count), 0x40000001), ErrHeader},
		{"int32 count beyond store", u32(entryField(tagDirIndexes, count), 0x1000), ErrHeader},
		{"int32 wrong type", u32(entryField(tagDirIndexes, typ), typeString), ErrHeader},
		{"dir index out of range", func(t *testing.T, f *fixture) {
			o := int(binary.BigEndian.Uint32(f.raw[f.entryOffset(t, tagDirIndexes)+off:]))
			store := f.mainOff + introSize + int(binary.BigEndian.Uint32(f.raw[f.mainOff+8:]))*entrySize
			binary.BigEndian.PutUint32(f.raw[store+o:], 0xffffffff)
		}, ErrHeader},
		{"dir index count mismatch", u32(entryField(tagDirIndexes, count), 2), ErrHeader},
		{"unterminated string", func(t *testing.T, f *fixture) {
			// Point the name at the last byte of the store, made non-NUL.
			n := int(binary.BigEndian.Uint32(f.raw[f.mainOff+8:]))
			dl := int(binary.BigEndian.Uint32(f.raw[f.mainOff+12:]))
			f.raw[f.mainOff+introSize+n*entrySize+dl-1] = 'x'
			binary.BigEndian.PutUint32(f.raw[f.entryOffset(t, tagName)+off:], uint32(dl-1))
		}, ErrHeader},
		{"trigger count huge", u32(entryField(tagTriggerScripts, count), 0xffffffff), ErrHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := synthetic()
			f.raw = append([]byte(nil), f.raw...)
			tc.p(t, &f)
			_, err := Open(bytes.NewReader(f.raw), int64(len(f.raw)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := Open(bytes.NewReader(nil), -1); !errors.Is(err, ErrHeader) {
		t.Errorf("negative size: %v", err)
	}
}

// TestFileListBomb checks that many base names pointing at one long
// directory name cannot expand into a huge file list.
func TestFileListBomb(t *testing.T) {
	const n = 200000
	base := make([]string, n)
	idx := make([]uint32, n)
	for i := range base {
		base[i] = "f"
	}
	long := "/" + strings.Repeat("d", 60000) + "/"
	f := buildRPM(4, []tv{
		str(tagName, "bomb"),
		strs(tagBasenames, base...),
		i32s(tagDirIndexes, idx...),
		strs(tagDirnames, long),
	}, nil)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, err := Open(bytes.NewReader(f.raw), int64(len(f.raw)))
	runtime.ReadMemStats(&ms1)
	if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), "file list") {
		t.Fatalf("err = %v", err)
	}
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 2*MaxFileListBytes {
		t.Fatalf("allocated %d bytes", d)
	}
}

// FuzzRPM feeds whole packages, and also bare main headers: input that does
// not start with the lead magic is wrapped in a valid lead and signature
// header, so that mutations spend their time in the header parser instead of
// failing at the lead.
func FuzzRPM(f *testing.F) {
	f.Add(synthetic().raw)
	f.Add(buildRPM(4, []tv{str(tagName, "x"), strs(tagOldFilenames, "/a")}, nil).raw)
	f.Add(buildHeader(syntheticTags()))
	f.Add(buildHeader([]tv{
		trig(tagTriggerScripts, "a", "b"), i32s(tagTriggerIndex, 1, 1), i32s(tagTriggerFlags, senseTriggerPreIn, 0),
		prog(tagTriggerScriptProg, "<lua>"),
	}))
	f.Add(buildHeader([]tv{
		i32s(tagDirIndexes, 0, 0), strs(tagBasenames, "a", "b"), strs(tagDirnames, "/"), prog(1086, "/bin/sh", "-c"),
	}))
	wrapper := buildRPM(4, nil, nil)
	prefix := wrapper.raw[:wrapper.mainOff]
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !Sniff(raw) {
			raw = append(append([]byte(nil), prefix...), raw...)
		}
		p, err := Open(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			if !errors.Is(err, ErrHeader) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("unexpected error type: %v", err)
			}
			return
		}
		if p.PayloadOffset < leadSize || p.PayloadOffset > int64(len(raw)) {
			t.Fatalf("PayloadOffset %d outside file of %d bytes", p.PayloadOffset, len(raw))
		}
		total := 0
		for _, s := range p.Scripts {
			if s.Tag == "" || s.Interpreter == "" {
				t.Fatalf("incomplete script %+v", s)
			}
		}
		for _, f := range p.Files {
			total += len(f)
		}
		if total > MaxFileListBytes {
			t.Fatalf("file list of %d bytes", total)
		}
	})
}
