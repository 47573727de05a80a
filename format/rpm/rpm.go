// Package rpm reads the metadata of RPM packages (lead format v3 and v4):
// the lead, the signature header and the main header. It reports where the
// payload starts and how it is encoded, the package identity, the scriptlets
// that run at install, upgrade, removal or verification time together with
// their interpreters, and the file list.
//
// It does not decompress the payload: the caller takes
// io.NewSectionReader(r, p.PayloadOffset, size-p.PayloadOffset), picks a
// decompressor from PayloadCompressor, and hands the result (a cpio archive
// when PayloadFormat is "cpio") to a cpio reader. It does not verify
// signatures or digests either; the signature header is only measured, so
// that the main header can be found after it.
//
// github.com/cavaliergopher/rpm is not used because it imports
// golang.org/x/crypto/openpgp, which no longer exists.
//
// # Hostile input
//
// Every size and count taken from the file is checked before use: header
// index counts are capped at MaxIndexEntries, data stores at MaxHeaderData,
// and both must fit inside the size passed to Open before anything is
// allocated. Array tags are capped at MaxArrayCount elements and the
// assembled file list at MaxFileListBytes. Structural problems give errors
// wrapping ErrHeader; a file shorter than its headers say gives errors
// wrapping both ErrTruncated and io.ErrUnexpectedEOF.
package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	leadSize   = 96
	introSize  = 16 // header magic, reserved, index count, data size
	entrySize  = 16 // one index entry
	sigTypeHdr = 5  // RPMSIGTYPE_HEADERSIG: the only signature type rpm 4 reads

	// MaxIndexEntries bounds a header's index count. It is rpm's own limit
	// (HEADER_TAGS_MAX).
	MaxIndexEntries = 0xffff
	// MaxHeaderData bounds a header's data store. rpm allows 256 MiB; real
	// headers, even for packages with tens of thousands of files, stay
	// well under a tenth of that.
	MaxHeaderData = 64 << 20
	// MaxArrayCount bounds the element count of any array tag read here.
	MaxArrayCount = 1 << 20
	// MaxFileListBytes bounds the total size of Package.Files. A header
	// pointing a million base names at one long directory name would
	// otherwise expand a few megabytes into terabytes.
	MaxFileListBytes = 64 << 20
)

// Header data types used here, as stored in index entries. Types run from
// 0 (NULL) to 9 (I18NSTRING); rpm rejects anything else, and so do we.
const (
	typeInt32       = 4
	typeString      = 6
	typeStringArray = 8
	typeI18NString  = 9
)

// Header tags used here (rpmtag.h).
const (
	tagName              = 1000
	tagVersion           = 1001
	tagRelease           = 1002
	tagArch              = 1022
	tagOldFilenames      = 1027
	tagTriggerScripts    = 1065
	tagTriggerFlags      = 1068
	tagTriggerIndex      = 1069
	tagTriggerScriptProg = 1092
	tagDirIndexes        = 1116
	tagBasenames         = 1117
	tagDirnames          = 1118
	tagPayloadFormat     = 1124
	tagPayloadCompressor = 1125

	tagFileTriggerScripts      = 5066
	tagFileTriggerScriptProg   = 5067
	tagFileTriggerIndex        = 5070
	tagFileTriggerFlags        = 5072
	tagTransFileTriggerScripts = 5076
	tagTransFileTriggerProg    = 5077
	tagTransFileTriggerIndex   = 5080
	tagTransFileTriggerFlags   = 5082
	senseTriggerIn             = 1 << 16
	senseTriggerUn             = 1 << 17
	senseTriggerPostUn         = 1 << 18
	senseTriggerPreIn          = 1 << 25
)

// scriptTags lists the one-per-package scriptlets: the body tag and the
// interpreter ("prog") tag, under rpm's own names for the scriptlet kinds.
var scriptTags = []struct {
	name       string
	body, prog int32
}{
	{"pretrans", 1151, 1153},
	{"prein", 1023, 1085},
	{"postin", 1024, 1086},
	{"posttrans", 1152, 1154},
	{"preuntrans", 5103, 5105}, // rpm >= 4.20
	{"preun", 1025, 1087},
	{"postun", 1026, 1088},
	{"postuntrans", 5104, 5106}, // rpm >= 4.20
	{"verifyscript", 1079, 1091},
}

// triggerTags lists the trigger families: every element of the scripts
// array is one trigger scriptlet.
var triggerTags = []struct {
	prefix                    string
	scripts, prog, flags, idx int32
}{
	{"", tagTriggerScripts, tagTriggerScriptProg, tagTriggerFlags, tagTriggerIndex},
	{"file", tagFileTriggerScripts, tagFileTriggerScriptProg, tagFileTriggerFlags, tagFileTriggerIndex},
	{"transfile", tagTransFileTriggerScripts, tagTransFileTriggerProg, tagTransFileTriggerFlags, tagTransFileTriggerIndex},
}

var (
	leadMagic   = []byte{0xed, 0xab, 0xee, 0xdb}
	headerMagic = []byte{0x8e, 0xad, 0xe8, 0x01}
)

var (
	// ErrHeader reports a malformed lead or header.
	ErrHeader = errors.New("rpm: invalid package")
	// ErrTruncated reports a file shorter than its headers say. Errors
	// wrapping it also wrap io.ErrUnexpectedEOF.
	ErrTruncated = errors.New("rpm: truncated package")
)

var errTruncated = fmt.Errorf("%w: %w", ErrTruncated, io.ErrUnexpectedEOF)

func headerErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHeader, fmt.Sprintf(format, args...))
}

// Sniff reports whether head, the first bytes of a file, starts an RPM
// package.
func Sniff(head []byte) bool {
	return bytes.HasPrefix(head, leadMagic)
}

// Script is one scriptlet: code that rpm runs on the target system.
type Script struct {
	// Tag names the scriptlet kind, as rpm spells it: "pretrans", "prein",
	// "postin", "posttrans", "preuntrans", "preun", "postun",
	// "postuntrans", "verifyscript", and for triggers "triggerprein",
	// "triggerin", "triggerun", "triggerpostun", the file-trigger variants
	// prefixed "file" or "transfile" ("filetriggerin"), or a bare
	// "trigger", "filetrigger", "transfiletrigger" when the trigger's
	// condition cannot be resolved.
	Tag string
	// Interpreter is the program rpm runs: the stored interpreter with its
	// arguments joined by spaces (for example "/bin/sh", "<lua>",
	// "/sbin/ldconfig"), or "/bin/sh", rpm's default, when the package
	// stores a body but no interpreter.
	Interpreter string
	// Body is the script text. It is empty for "-p /program" scriptlets,
	// where rpm runs the interpreter alone: those are reported too.
	Body string
}

// Package is the metadata of one RPM package.
type Package struct {
	// Name, Version, Release and Arch identify the package; empty when the
	// header lacks the tag.
	Name, Version, Release, Arch string
	// PayloadOffset is the byte offset of the payload from the start of the
	// file: the end of the main header.
	PayloadOffset int64
	// PayloadCompressor names the payload compression as stored ("gzip",
	// "bzip2", "xz", "lzma", "zstd", ...). It is "gzip", rpm's default,
	// when the tag is absent (old packages).
	PayloadCompressor string
	// PayloadFormat names the archive format of the decompressed payload as
	// stored, "cpio" (rpm's default when the tag is absent) in practice.
	PayloadFormat string
	// Scripts lists the scriptlets in the order rpm would run them on
	// install, then removal, then verification, then triggers.
	Scripts []Script
	// Files lists the installed paths as stored (normally absolute), built
	// from the directory and base name tags, or from the old file-name tag
	// in packages that predate them.
	Files []string
}

// Open reads the package metadata from r, which holds size bytes.
func Open(r io.ReaderAt, size int64) (*Package, error) {
	if size < 0 {
		return nil, headerErr("negative size %d", size)
	}
	lead, err := readAt(r, 0, leadSize, size)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(lead, leadMagic) {
		return nil, headerErr("bad lead magic")
	}
	if major := lead[4]; major != 3 && major != 4 {
		return nil, headerErr("unsupported lead version %d", major)
	}
	if st := binary.BigEndian.Uint16(lead[78:80]); st != sigTypeHdr {
		return nil, headerErr("unsupported signature type %d", st)
	}

	// The signature header is only measured: nothing in it is needed.
	sigLen, err := headerLength(r, leadSize, size)
	if err != nil {
		return nil, fmt.Errorf("signature header: %w", err)
	}
	// The main header starts at the next 8-byte boundary.
	hdrOff := leadSize + sigLen
	hdrOff += (8 - hdrOff%8) % 8
	h, hdrLen, err := readHeader(r, hdrOff, size)
	if err != nil {
		return nil, fmt.Errorf("main header: %w", err)
	}

	p := &Package{PayloadOffset: hdrOff + hdrLen}
	for _, f := range []struct {
		dst *string
		tag int32
	}{
		{&p.Name, tagName}, {&p.Version, tagVersion}, {&p.Release, tagRelease}, {&p.Arch, tagArch},
		{&p.PayloadCompressor, tagPayloadCompressor}, {&p.PayloadFormat, tagPayloadFormat},
	} {
		if *f.dst, err = h.firstString(f.tag); err != nil {
			return nil, err
		}
	}
	if p.PayloadCompressor == "" {
		p.PayloadCompressor = "gzip"
	}
	if p.PayloadFormat == "" {
		p.PayloadFormat = "cpio"
	}
	if p.Scripts, err = h.scripts(); err != nil {
		return nil, err
	}
	if p.Files, err = h.files(); err != nil {
		return nil, err
	}
	return p, nil
}

// readAt reads n bytes at off, all of which must lie within size.
func readAt(r io.ReaderAt, off, n, size int64) ([]byte, error) {
	if off < 0 || n < 0 || off > size || n > size-off {
		return nil, errTruncated
	}
	buf := make([]byte, n)
	m, err := r.ReadAt(buf, off)
	if m == len(buf) {
		return buf, nil // ReadAt may report io.EOF along with a full read
	}
	if err == nil || err == io.EOF || err == io.ErrUnexpectedEOF {
		// size promised more than r holds.
		return nil, errTruncated
	}
	return nil, err
}

// intro reads and checks a header's 16-byte introduction and returns its
// index count and data store size.
func intro(r io.ReaderAt, off, size int64) (nindex, dsize int64, err error) {
	b, err := readAt(r, off, introSize, size)
	if err != nil {
		return 0, 0, err
	}
	if !bytes.Equal(b[:4], headerMagic) {
		return 0, 0, headerErr("bad header magic at offset %d", off)
	}
	nindex = int64(binary.BigEndian.Uint32(b[8:12]))
	dsize = int64(binary.BigEndian.Uint32(b[12:16]))
	if nindex > MaxIndexEntries {
		return 0, 0, headerErr("%d index entries exceed limit", nindex)
	}
	if dsize > MaxHeaderData {
		return 0, 0, headerErr("data store of %d bytes exceeds limit", dsize)
	}
	// Checked against the file before the caller allocates anything.
	if introSize+nindex*entrySize+dsize > size-off {
		return 0, 0, errTruncated
	}
	return nindex, dsize, nil
}

// headerLength returns the length of the header at off without reading its
// index or data.
func headerLength(r io.ReaderAt, off, size int64) (int64, error) {
	nindex, dsize, err := intro(r, off, size)
	if err != nil {
		return 0, err
	}
	return introSize + nindex*entrySize + dsize, nil
}

type entry struct {
	typ        uint32
	off, count uint32
}

// header is a parsed header: the index by tag (first entry wins, as in
// rpm's own lookups of a sorted index) and the data store.
type header struct {
	index map[int32]entry
	store []byte
}

func readHeader(r io.ReaderAt, off, size int64) (*header, int64, error) {
	nindex, dsize, err := intro(r, off, size)
	if err != nil {
		return nil, 0, err
	}
	length := introSize + nindex*entrySize + dsize
	b, err := readAt(r, off+introSize, nindex*entrySize+dsize, size)
	if err != nil {
		return nil, 0, err
	}
	h := &header{index: make(map[int32]entry, nindex), store: b[nindex*entrySize:]}
	for i := int64(0); i < nindex; i++ {
		e := b[i*entrySize : (i+1)*entrySize]
		tag := int32(binary.BigEndian.Uint32(e[0:4]))
		ent := entry{
			typ:   binary.BigEndian.Uint32(e[4:8]),
			off:   binary.BigEndian.Uint32(e[8:12]),
			count: binary.BigEndian.Uint32(e[12:16]),
		}
		if ent.typ > typeI18NString {
			return nil, 0, headerErr("tag %d: unknown type %d", tag, ent.typ)
		}
		if int64(ent.off) > dsize {
			return nil, 0, headerErr("tag %d: offset %d beyond data store of %d bytes", tag, ent.off, dsize)
		}
		if _, dup := h.index[tag]; !dup {
			h.index[tag] = ent
		}
	}
	return h, length, nil
}

// strings returns the strings of a string-typed tag, or nil if the tag is
// absent.
func (h *header) strings(tag int32) ([]string, error) {
	e, ok := h.index[tag]
	if !ok {
		return nil, nil
	}
	count := int64(e.count)
	switch e.typ {
	case typeString:
		if count != 1 {
			return nil, headerErr("tag %d: string with count %d", tag, count)
		}
	case typeStringArray, typeI18NString:
	default:
		return nil, headerErr("tag %d: type %d where a string was expected", tag, e.typ)
	}
	rest := h.store[e.off:]
	// Each string takes at least its NUL byte: a count beyond the
	// remaining bytes is a lie, caught before anything is allocated.
	if count == 0 || count > MaxArrayCount || count > int64(len(rest)) {
		return nil, headerErr("tag %d: bad string count %d", tag, count)
	}
	out := make([]string, 0, count)
	for i := int64(0); i < count; i++ {
		n := bytes.IndexByte(rest, 0)
		if n < 0 {
			return nil, headerErr("tag %d: unterminated string", tag)
		}
		out = append(out, string(rest[:n]))
		rest = rest[n+1:]
	}
	return out, nil
}

// firstString returns the first string of a string-typed tag, or "" if the
// tag is absent. An I18N string's first element is the untranslated one.
func (h *header) firstString(tag int32) (string, error) {
	s, err := h.strings(tag)
	if err != nil || len(s) == 0 {
		return "", err
	}
	return s[0], nil
}

// int32s returns the values of an INT32 tag, or nil if the tag is absent.
func (h *header) int32s(tag int32) ([]uint32, error) {
	e, ok := h.index[tag]
	if !ok {
		return nil, nil
	}
	if e.typ != typeInt32 {
		return nil, headerErr("tag %d: type %d where int32 was expected", tag, e.typ)
	}
	rest := h.store[e.off:]
	count := int64(e.count)
	if count == 0 || count > MaxArrayCount || count > int64(len(rest))/4 {
		return nil, headerErr("tag %d: bad int32 count %d", tag, count)
	}
	out := make([]uint32, count)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(rest[i*4:])
	}
	return out, nil
}

func (h *header) scripts() ([]Script, error) {
	var out []Script
	for _, st := range scriptTags {
		body, err := h.firstString(st.body)
		if err != nil {
			return nil, err
		}
		prog, err := h.strings(st.prog)
		if err != nil {
			return nil, err
		}
		_, hasBody := h.index[st.body]
		if !hasBody && prog == nil {
			continue
		}
		interp := strings.Join(prog, " ")
		if interp == "" {
			interp = "/bin/sh"
		}
		out = append(out, Script{Tag: st.name, Interpreter: interp, Body: body})
	}
	for _, tt := range triggerTags {
		bodies, err := h.strings(tt.scripts)
		if err != nil {
			return nil, err
		}
		if bodies == nil {
			continue
		}
		progs, err := h.strings(tt.prog)
		if err != nil {
			return nil, err
		}
		flags, err := h.int32s(tt.flags)
		if err != nil {
			return nil, err
		}
		idx, err := h.int32s(tt.idx)
		if err != nil {
			return nil, err
		}
		// A trigger's kind lives in the flags of the conditions that point
		// at its script; find the first such condition per script. Built as
		// a map so that hostile headers with many of each stay linear.
		kind := make(map[uint32]string)
		for i := 0; i < len(idx) && i < len(flags); i++ {
			if _, seen := kind[idx[i]]; seen {
				continue
			}
			switch f := flags[i]; {
			case f&senseTriggerPreIn != 0:
				kind[idx[i]] = "triggerprein"
			case f&senseTriggerIn != 0:
				kind[idx[i]] = "triggerin"
			case f&senseTriggerUn != 0:
				kind[idx[i]] = "triggerun"
			case f&senseTriggerPostUn != 0:
				kind[idx[i]] = "triggerpostun"
			}
		}
		for j, body := range bodies {
			k, ok := kind[uint32(j)]
			if !ok {
				k = "trigger"
			}
			interp := "/bin/sh"
			if j < len(progs) && progs[j] != "" {
				interp = progs[j]
			}
			out = append(out, Script{Tag: tt.prefix + k, Interpreter: interp, Body: body})
		}
	}
	return out, nil
}

func (h *header) files() ([]string, error) {
	base, err := h.strings(tagBasenames)
	if err != nil {
		return nil, err
	}
	if base == nil {
		// Packages older than rpm 4 store whole paths.
		return h.strings(tagOldFilenames)
	}
	dirs, err := h.strings(tagDirnames)
	if err != nil {
		return nil, err
	}
	idx, err := h.int32s(tagDirIndexes)
	if err != nil {
		return nil, err
	}
	if len(idx) != len(base) {
		return nil, headerErr("%d base names but %d directory indexes", len(base), len(idx))
	}
	out := make([]string, len(base))
	total := 0
	for i, b := range base {
		if int64(idx[i]) >= int64(len(dirs)) {
			return nil, headerErr("directory index %d out of range", idx[i])
		}
		d := dirs[idx[i]]
		total += len(d) + len(b)
		if total > MaxFileListBytes {
			return nil, headerErr("file list exceeds %d bytes", MaxFileListBytes)
		}
		out[i] = d + b
	}
	return out, nil
}
