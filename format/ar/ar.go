// Package ar reads Unix ar archives: the "!<arch>\n" container used by
// Debian packages (.deb), static libraries and Windows import libraries.
//
// The Reader is streaming, in the style of archive/tar: Next advances to the
// next member and Read returns that member's data. It understands both name
// dialects found in the wild:
//
//   - GNU/SysV: short names are terminated by "/", names longer than 15 bytes
//     live in a "//" long-name table member and are referred to as "/123"
//     (a decimal offset into that table).
//   - BSD/macOS: names longer than 16 bytes, or containing spaces, are stored
//     as "#1/N", where the N bytes of name immediately follow the member
//     header and are counted in the member's size field. Header.Size and
//     Header.Offset returned here exclude those name bytes.
//
// Symbol tables are linker indexes, not files, and Next skips them: the GNU
// "/" and "/SYM64/" members, the Windows ARM64EC "/<ECSYMBOLS>/" member and
// the BSD "__.SYMDEF" family ("__.SYMDEF", "__.SYMDEF SORTED",
// "__.SYMDEF_64", ...). The "//" long-name table is consumed internally.
// Linkers read these members only as indexes and no extractor or package
// manager installs them as files, so skipping them hides nothing that a
// consumer of the archive would unpack. Header.Offset values and
// Reader.InputOffset still count their bytes.
//
// Thin archives ("!<thin>\n") are rejected with ErrHeader: their members'
// data lives in other files.
//
// Member names are returned as stored, apart from removing the dialect's
// terminator (the GNU "/" and the space or NUL padding): no "./" stripping,
// no path cleaning. Callers must sanitise names before using them as paths.
//
// Every size and count taken from the archive is bounded: names are capped at
// MaxNameSize, the long-name table at MaxLongNameTable, and buffers grow only
// as data actually arrives, so a lying size field cannot cause a large
// allocation. Truncated input yields an error that matches both ErrTruncated
// and io.ErrUnexpectedEOF under errors.Is.
package ar

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/doorman-sec/doorman/format/unixmode"
	"io"
	"io/fs"
	"strings"
	"time"
)

// Magic is the global header that starts every (non-thin) ar archive.
const Magic = "!<arch>\n"

// thinMagic starts GNU thin archives, whose member data lives in other files.
const thinMagic = "!<thin>\n"

const (
	headerSize = 60 // fixed-size member header
	// MaxNameSize bounds a member name (GNU long name or BSD "#1/N" name).
	// Real names are a few hundred bytes at most; anything beyond is hostile.
	MaxNameSize = 64 << 10
	// MaxLongNameTable bounds the GNU "//" long-name table, which is held in
	// memory to resolve "/123" references. Large static libraries (LLVM's)
	// have tables of a few hundred KiB.
	MaxLongNameTable = 16 << 20
)

var (
	// ErrHeader reports a malformed archive: bad magic, a member header that
	// does not parse, or a name reference that points nowhere.
	ErrHeader = errors.New("ar: invalid archive header")
	// ErrTruncated reports input that ended before the archive structure
	// said it would. Errors wrapping it also wrap io.ErrUnexpectedEOF.
	ErrTruncated = errors.New("ar: truncated archive")
)

// errTruncated is what every short read turns into; joining both sentinels
// lets callers test for either.
var errTruncated = fmt.Errorf("%w: %w", ErrTruncated, io.ErrUnexpectedEOF)

func headerErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHeader, fmt.Sprintf(format, args...))
}

// Sniff reports whether head, the first bytes of a file, starts an ar
// archive. Thin archives are not matched because Reader cannot read them.
func Sniff(head []byte) bool {
	return bytes.HasPrefix(head, []byte(Magic))
}

// Header describes one archive member.
type Header struct {
	// Name is the member name as stored, without the dialect's terminator.
	Name string
	// Size is the length of the member's data in bytes.
	Size int64
	// Mode holds the permission bits (including setuid, setgid and sticky)
	// and the Go file type bits converted from the stored octal st_mode. A
	// mode without type bits, as some writers produce, is a regular file.
	Mode fs.FileMode
	// ModTime is the stored modification time (seconds resolution).
	ModTime time.Time
	// UID and GID are the stored numeric owner and group.
	UID, GID int
	// Offset is the byte offset of the member's data from the position of
	// the underlying reader when NewReader was called (normally the start
	// of the archive), so a caller with random access can take a section of
	// the file instead of copying the data through Read.
	Offset int64
}

// Reader provides sequential access to an ar archive.
type Reader struct {
	r         io.Reader
	pos       int64 // bytes consumed from r so far
	remain    int64 // unread data bytes of the current member
	pad       int64 // alignment padding after the current member
	started   bool  // global magic consumed
	longNames []byte
	err       error // sticky: once set, Next and Read return it
	noSeek    bool  // r is an io.Seeker that refused to seek
}

// NewReader returns a Reader reading an ar archive from r. If r also
// implements io.Seeker, skipped member data is seeked over, not read.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r}
}

// Next advances to the next member and returns its header. Unread data of
// the previous member is skipped. It returns io.EOF at the end of the
// archive. After any other error the Reader is unusable and Next keeps
// returning that error.
func (r *Reader) Next() (*Header, error) {
	if r.err != nil {
		return nil, r.err
	}
	hdr, err := r.next()
	if err != nil {
		r.err = err
	}
	return hdr, err
}

func (r *Reader) next() (*Header, error) {
	if !r.started {
		if err := r.readMagic(); err != nil {
			return nil, err
		}
		r.started = true
	}
	// Each iteration consumes at least one 60-byte header, so skipping
	// symbol tables and long-name tables cannot loop forever.
	for {
		if err := r.skip(r.remain); err != nil {
			return nil, err
		}
		r.remain = 0
		if r.pad > 0 {
			// Some writers omit the final padding byte; a missing one at
			// the very end is a clean end of archive, not truncation.
			var b [1]byte
			n, err := io.ReadFull(r.r, b[:])
			r.pos += int64(n)
			if err == io.EOF {
				return nil, io.EOF
			}
			if err != nil {
				return nil, err
			}
			r.pad = 0
		}

		var raw [headerSize]byte
		n, err := io.ReadFull(r.r, raw[:])
		r.pos += int64(n)
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case err == io.ErrUnexpectedEOF:
			return nil, errTruncated
		case err != nil:
			return nil, err
		}
		hdr, err := r.parseHeader(&raw)
		if err != nil {
			return nil, err
		}
		if hdr != nil {
			return hdr, nil
		}
		// nil header: an internal member (symbol or name table); go on.
	}
}

func (r *Reader) readMagic() error {
	var m [len(Magic)]byte
	n, err := io.ReadFull(r.r, m[:])
	r.pos += int64(n)
	got := m[:n]
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return err
	}
	if n < len(m) {
		if bytes.HasPrefix([]byte(Magic), got) {
			return errTruncated
		}
		return headerErr("bad magic")
	}
	switch string(got) {
	case Magic:
		return nil
	case thinMagic:
		return headerErr("thin archives are not supported")
	}
	return headerErr("bad magic")
}

// parseHeader decodes a member header and, depending on its name, either
// returns it (data positioned for Read), or consumes an internal member and
// returns nil.
func (r *Reader) parseHeader(raw *[headerSize]byte) (*Header, error) {
	if raw[58] != '`' || raw[59] != '\n' {
		return nil, headerErr("bad member header terminator at offset %d", r.pos-headerSize)
	}
	size, ok, err := parseNum(raw[48:58], 10)
	if err != nil {
		return nil, headerErr("size: %v", err)
	}
	if !ok {
		return nil, headerErr("empty size field")
	}
	mtime, _, err := parseNum(raw[16:28], 10)
	if err != nil {
		return nil, headerErr("mtime: %v", err)
	}
	uid, _, err := parseNum(raw[28:34], 10)
	if err != nil {
		return nil, headerErr("uid: %v", err)
	}
	gid, _, err := parseNum(raw[34:40], 10)
	if err != nil {
		return nil, headerErr("gid: %v", err)
	}
	mode, _, err := parseNum(raw[40:48], 8)
	if err != nil {
		return nil, headerErr("mode: %v", err)
	}

	r.remain = size
	r.pad = size & 1
	field := strings.TrimRight(string(raw[0:16]), " ")

	var name string
	switch {
	case field == "//":
		// GNU long-name table. A second one replaces the first, which is
		// what a reader resolving names front to back would see anyway.
		if size > MaxLongNameTable {
			return nil, headerErr("long-name table of %d bytes exceeds limit", size)
		}
		tab, err := r.readBytes(size)
		if err != nil {
			return nil, err
		}
		r.remain = 0
		r.longNames = tab
		return nil, nil
	case field == "/" || field == "/SYM64/" || field == "/<ECSYMBOLS>/":
		return nil, nil // symbol table: skipped by the next loop iteration
	case strings.HasPrefix(field, "#1/"):
		n, ok, err := parseNum([]byte(field[3:]), 10)
		if err != nil || !ok {
			return nil, headerErr("bad BSD name length %q", field[3:])
		}
		if n > size {
			return nil, headerErr("BSD name length %d exceeds member size %d", n, size)
		}
		if n > MaxNameSize {
			return nil, headerErr("BSD name length %d exceeds limit", n)
		}
		b, err := r.readBytes(n)
		if err != nil {
			return nil, err
		}
		r.remain = size - n
		// BSD ar pads the name with NULs; the name is a C string.
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		name = string(b)
	case strings.HasPrefix(field, "/"):
		off, ok, err := parseNum([]byte(field[1:]), 10)
		if err != nil || !ok {
			return nil, headerErr("unknown special member %q", field)
		}
		if r.longNames == nil {
			return nil, headerErr("long name reference %q without a // table", field)
		}
		if off >= int64(len(r.longNames)) {
			return nil, headerErr("long name reference %q beyond table of %d bytes", field, len(r.longNames))
		}
		rest := r.longNames[off:]
		// GNU terminates entries with "/\n"; Microsoft's tools with NUL.
		if i := bytes.IndexAny(rest, "\n\x00"); i >= 0 {
			rest = rest[:i]
		}
		rest = bytes.TrimSuffix(rest, []byte("/"))
		if len(rest) > MaxNameSize {
			return nil, headerErr("long name exceeds limit")
		}
		name = string(rest)
	default:
		// GNU short names end in "/"; BSD ones are just space padded.
		name = strings.TrimSuffix(field, "/")
	}

	if strings.HasPrefix(name, "__.SYMDEF") {
		return nil, nil // BSD symbol table
	}
	return &Header{
		Name:    name,
		Size:    r.remain,
		Mode:    fileMode(uint32(mode)),
		ModTime: time.Unix(mtime, 0),
		UID:     int(uid),
		GID:     int(gid),
		Offset:  r.pos,
	}, nil
}

// InputOffset returns the number of bytes consumed from the underlying
// reader so far. After Next has returned io.EOF it is the end of the
// archive.
func (r *Reader) InputOffset() int64 {
	return r.pos
}

// Read reads from the current member's data. It returns io.EOF at the end of
// the member, and an error wrapping ErrTruncated if the archive ends first.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.remain {
		p = p[:r.remain]
	}
	n, err := r.r.Read(p)
	r.pos += int64(n)
	r.remain -= int64(n)
	if err == io.EOF {
		if r.remain > 0 {
			r.err = errTruncated
			return n, r.err
		}
		err = nil
	}
	if err != nil {
		r.err = err
	}
	return n, err
}

// readBytes reads exactly n bytes. The buffer grows only as data arrives, so
// a size field that lies cannot make it allocate more than the input holds.
func (r *Reader) readBytes(n int64) ([]byte, error) {
	var buf bytes.Buffer
	if n <= 64<<10 {
		buf.Grow(int(n))
	}
	m, err := buf.ReadFrom(io.LimitReader(r.r, n))
	r.pos += m
	if err != nil {
		return nil, err
	}
	if m < n {
		return nil, errTruncated
	}
	return buf.Bytes(), nil
}

// skip discards n bytes of input, failing with ErrTruncated if fewer exist.
func (r *Reader) skip(n int64) error {
	if n <= 0 {
		return nil
	}
	if s, ok := r.r.(io.Seeker); ok && !r.noSeek {
		// Seek to one byte short and read that byte: seeking past the end
		// succeeds silently, the read proves the data was really there.
		if _, err := s.Seek(n-1, io.SeekCurrent); err == nil {
			r.pos += n - 1
			var b [1]byte
			m, err := io.ReadFull(r.r, b[:])
			r.pos += int64(m)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return errTruncated
			}
			return err
		}
		// Pipes and the like implement Seek but fail; remember and copy.
		r.noSeek = true
	}
	m, err := io.CopyN(io.Discard, r.r, n)
	r.pos += m
	if err == io.EOF {
		return errTruncated
	}
	return err
}

// parseNum parses a space-padded unsigned decimal or octal header field. ok
// is false for an all-blank field, which some writers use for zero (the
// Windows "//" member has blank mtime, owner and mode).
func parseNum(field []byte, base int64) (v int64, ok bool, err error) {
	s := bytes.Trim(field, " ")
	if len(s) == 0 {
		return 0, false, nil
	}
	for _, c := range s {
		d := int64(c) - '0'
		if d < 0 || d >= base {
			return 0, false, fmt.Errorf("invalid digit in %q", s)
		}
		// Fields are at most 12 digits, but check anyway: the cost is nil.
		if v > (1<<63-1-d)/base {
			return 0, false, fmt.Errorf("overflow in %q", s)
		}
		v = v*base + d
	}
	return v, true, nil
}

// fileMode converts a Unix st_mode to an fs.FileMode.
func fileMode(m uint32) fs.FileMode {
	if m&unixmode.TypeMask == 0 { // no type bits at all is common in ar: a plain file
		m |= unixmode.Regular
	}
	return unixmode.FileMode(m)
}
