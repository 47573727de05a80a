// Package cpio reads cpio archives, as found in RPM payloads, Linux
// initramfs images and firmware.
//
// The Reader is streaming, in the style of archive/tar, and detects the
// encoding of every entry from its magic, so archives mixing encodings are
// read too:
//
//   - "070701" newc (SVR4 portable ASCII, hexadecimal fields, 4-byte aligned)
//   - "070702" newc with a checksum: the same layout, and the checksum of a
//     regular file's data is verified once the data has been read to its end
//   - "070707" odc (POSIX.1 portable ASCII, octal fields, unaligned)
//   - old binary, magic 0o070707 as a 16-bit word in either byte order
//     (2-byte aligned)
//
// The Reader stops at the "TRAILER!!!" entry and returns io.EOF, leaving the
// underlying reader just after the trailer's name (and its padding, for the
// aligned formats). Linux initramfs images concatenate several archives,
// separated by zero padding; a caller wanting the later ones can skip the
// zeros and start a new Reader. A stream that ends cleanly between two
// entries without a trailer also returns io.EOF, as archive/tar does.
//
// Names are returned as stored (no "./" stripping, no cleaning), cut at the
// first NUL byte because every extractor treats them as C strings. Callers
// must sanitise names before using them as paths.
//
// # Why not github.com/cavaliergopher/cpio
//
// That library (v1.0.1) was evaluated against hostile
// input and rejected for this scanner. It does not panic and its allocations
// are bounded (names at 4 KiB, symlink targets likewise), but:
//
//   - it reads only the newc and crc encodings: "cpio -H odc" archives (and
//     old binary ones) fail at the first header;
//   - it ignores parse errors in numeric fields, so a garbage size such as
//     "0000ZZZZ" reads as 0 and the stream silently desynchronises;
//   - a size claiming more data than the stream holds is not an error: Read
//     stops early with a clean io.EOF and the next Next returns io.EOF as if
//     the archive had ended, so a truncated or lying archive looks complete;
//   - it never verifies the crc checksum, and does not report data offsets.
//
// Fixing those means rewriting its reader, and the formats are small, so this
// package has its own.
//
// # Hostile input
//
// Every size and count taken from the archive is bounded before use: names
// are capped at MaxNameSize, symlink targets are read into memory only up to
// MaxLinkTarget, and member data is never buffered by the Reader. A size field
// that claims more data than exists yields an error wrapping ErrTruncated
// (and io.ErrUnexpectedEOF) from Read or Next, without allocating.
package cpio

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/doorman-sec/doorman/format/unixmode"
	"io"
	"io/fs"
	"time"
)

const (
	// MaxNameSize bounds an entry name, including its terminating NUL.
	// PATH_MAX is 4 KiB; the extra room tolerates odd but honest writers.
	MaxNameSize = 64 << 10
	// MaxLinkTarget bounds a symlink target read into Header.LinkTarget,
	// matching PATH_MAX: no system could create a longer symlink.
	MaxLinkTarget = 4 << 10
	// trailerName marks the end of an archive in every encoding.
	trailerName = "TRAILER!!!"
)

var (
	// ErrHeader reports a malformed entry header: unknown magic, a numeric
	// field that does not parse, or a name beyond MaxNameSize.
	ErrHeader = errors.New("cpio: invalid header")
	// ErrTruncated reports input that ended before the archive said it
	// would. Errors wrapping it also wrap io.ErrUnexpectedEOF.
	ErrTruncated = errors.New("cpio: truncated archive")
	// ErrChecksum reports a "070702" regular file whose data does not match
	// its stored checksum (other entry types are not checked: GNU cpio
	// stores 0 for them). It is returned by the Read that reaches the end
	// of the data and is not sticky: Next may still be called.
	ErrChecksum = errors.New("cpio: checksum mismatch")
)

var errTruncated = fmt.Errorf("%w: %w", ErrTruncated, io.ErrUnexpectedEOF)

func headerErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHeader, fmt.Sprintf(format, args...))
}

// Format identifies the encoding of one entry.
type Format int

// The encodings the Reader understands.
const (
	FormatNewc     Format = iota + 1 // "070701"
	FormatCRC                        // "070702"
	FormatODC                        // "070707"
	FormatBinaryLE                   // old binary, little-endian
	FormatBinaryBE                   // old binary, big-endian
)

func (f Format) String() string {
	switch f {
	case FormatNewc:
		return "newc"
	case FormatCRC:
		return "crc"
	case FormatODC:
		return "odc"
	case FormatBinaryLE:
		return "bin-le"
	case FormatBinaryBE:
		return "bin-be"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Sniff reports whether head, the first bytes of a file, starts a cpio
// archive in one of the supported encodings.
func Sniff(head []byte) bool {
	if len(head) >= 2 && (head[0] == 0xc7 && head[1] == 0x71 || head[0] == 0x71 && head[1] == 0xc7) {
		return true
	}
	if len(head) < 6 {
		return false
	}
	switch string(head[:6]) {
	case "070701", "070702", "070707":
		return true
	}
	return false
}

// Header describes one archive entry.
type Header struct {
	// Name is the entry name as stored, up to its first NUL byte.
	Name string
	// Size is the length of the entry's data as stored. For a symlink the
	// data is the link target, see LinkTarget.
	Size int64
	// Mode holds the permission bits (including setuid, setgid and sticky)
	// and the Go file type bits converted from the stored st_mode. Type bits
	// that match no Unix file type give fs.ModeIrregular.
	Mode fs.FileMode
	// ModTime is the stored modification time (seconds resolution).
	ModTime time.Time
	// UID and GID are the stored numeric owner and group.
	UID, GID int
	// LinkTarget is the target of a symlink, up to its first NUL byte. The
	// Reader reads it from the entry's data when Size <= MaxLinkTarget, and
	// Read then returns io.EOF at once. A longer target is left unread
	// (LinkTarget empty) for the caller to Read, so that one hostile entry
	// does not stop the walk.
	LinkTarget string
	// Offset is the byte offset of the entry's data from the position of the
	// underlying reader when NewReader was called (normally the start of the
	// archive), so a caller with random access can take a section of the
	// file instead of copying the data through Read.
	Offset int64
	// Format is the encoding of this entry.
	Format Format
	// Inode and Links are the stored inode number and link count. In the
	// newc encodings, hard-linked files share an inode and only the last
	// entry of the group carries the data; the others have Size 0.
	Inode int64
	Links int
}

// Reader provides sequential access to a cpio archive.
type Reader struct {
	r      io.Reader
	pos    int64 // bytes consumed from r so far
	remain int64 // unread data bytes of the current entry
	pad    int64 // alignment padding after the current entry's data
	err    error // sticky: once set, Next and Read return it
	noSeek bool  // r is an io.Seeker that refused to seek

	// Checksum state for "070702" entries; checked when remain reaches 0.
	crc     bool
	sum     uint32
	wantSum uint32
}

// NewReader returns a Reader reading a cpio archive from r. If r also
// implements io.Seeker, skipped entry data is seeked over, not read.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r}
}

// Next advances to the next entry and returns its header. Unread data of the
// previous entry is skipped. It returns io.EOF at the trailer or at a clean
// end of input. After any other error the Reader is unusable and Next keeps
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
	if err := r.skip(r.remain + r.pad); err != nil {
		return nil, err
	}
	r.remain, r.pad, r.crc = 0, 0, false

	var magic [6]byte
	n, err := io.ReadFull(r.r, magic[:2])
	r.pos += int64(n)
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case err == io.ErrUnexpectedEOF:
		return nil, errTruncated
	case err != nil:
		return nil, err
	}
	var hdr *Header
	var nameSize int64
	var align int64 // 1 (unaligned), 2 or 4
	headerStart := r.pos - 2
	switch {
	case magic[0] == 0xc7 && magic[1] == 0x71:
		hdr, nameSize, err = r.readBinary(littleEndian)
		align = 2
	case magic[0] == 0x71 && magic[1] == 0xc7:
		hdr, nameSize, err = r.readBinary(bigEndian)
		align = 2
	default:
		if err := r.readFull(magic[2:]); err != nil {
			return nil, err
		}
		switch string(magic[:]) {
		case "070701", "070702":
			hdr, nameSize, err = r.readNewc(magic[5] == '2')
			align = 4
		case "070707":
			hdr, nameSize, err = r.readODC()
			align = 1
		default:
			return nil, headerErr("unknown magic %q at offset %d", magic[:], headerStart)
		}
	}
	if err != nil {
		return nil, err
	}
	if !hdr.Mode.IsRegular() {
		// GNU cpio stores a zero checksum for everything but regular
		// files (symlink targets included), so only those are verified.
		r.crc = false
	}

	if nameSize < 1 || nameSize > MaxNameSize {
		return nil, headerErr("name size %d out of range", nameSize)
	}
	name := make([]byte, nameSize)
	if err := r.readFull(name); err != nil {
		return nil, err
	}
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	hdr.Name = string(name)
	// Padding after the name and after the data is relative to the start of
	// the entry's header, as GNU cpio and the kernel compute it.
	if p := padding(r.pos-headerStart, align); p > 0 {
		if err := r.skip(p); err != nil {
			return nil, err
		}
	}
	if hdr.Name == trailerName {
		return nil, io.EOF
	}
	hdr.Offset = r.pos
	r.remain = hdr.Size
	r.pad = padding(hdr.Size, align)

	if hdr.Mode&fs.ModeType == fs.ModeSymlink && hdr.Size <= MaxLinkTarget {
		target := make([]byte, hdr.Size)
		if _, err := io.ReadFull(r, target); err != nil {
			if err == io.ErrUnexpectedEOF {
				err = errTruncated
			}
			return nil, err
		}
		if i := bytes.IndexByte(target, 0); i >= 0 {
			target = target[:i]
		}
		hdr.LinkTarget = string(target)
	}
	return hdr, nil
}

func padding(n, align int64) int64 {
	return (align - n%align) % align
}

// readNewc decodes the 104 bytes that follow a newc or crc magic.
func (r *Reader) readNewc(crc bool) (*Header, int64, error) {
	var b [104]byte
	if err := r.readFull(b[:]); err != nil {
		return nil, 0, err
	}
	var f [13]int64 // ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check
	for i := range f {
		v, err := parseField(b[i*8:i*8+8], 16)
		if err != nil {
			return nil, 0, err
		}
		f[i] = v
	}
	hdr := &Header{
		Format:  FormatNewc,
		Inode:   f[0],
		Mode:    fileMode(uint32(f[1])),
		UID:     int(f[2]),
		GID:     int(f[3]),
		Links:   int(f[4]),
		ModTime: time.Unix(f[5], 0),
		Size:    f[6],
	}
	if crc {
		hdr.Format = FormatCRC
		r.crc, r.sum, r.wantSum = true, 0, uint32(f[12])
	}
	return hdr, f[11], nil
}

// readODC decodes the 70 bytes that follow an odc magic.
func (r *Reader) readODC() (*Header, int64, error) {
	var b [70]byte
	if err := r.readFull(b[:]); err != nil {
		return nil, 0, err
	}
	// dev(6) ino(6) mode(6) uid(6) gid(6) nlink(6) rdev(6) mtime(11) namesize(6) filesize(11)
	widths := [...]int{6, 6, 6, 6, 6, 6, 6, 11, 6, 11}
	var f [len(widths)]int64
	off := 0
	for i, w := range widths {
		v, err := parseField(b[off:off+w], 8)
		if err != nil {
			return nil, 0, err
		}
		f[i] = v
		off += w
	}
	return &Header{
		Format:  FormatODC,
		Inode:   f[1],
		Mode:    fileMode(uint32(f[2])),
		UID:     int(f[3]),
		GID:     int(f[4]),
		Links:   int(f[5]),
		ModTime: time.Unix(f[7], 0),
		Size:    f[9],
	}, f[8], nil
}

type byteOrder bool

const (
	littleEndian byteOrder = false
	bigEndian    byteOrder = true
)

func (o byteOrder) u16(b []byte) int64 {
	if o == bigEndian {
		return int64(b[0])<<8 | int64(b[1])
	}
	return int64(b[1])<<8 | int64(b[0])
}

// readBinary decodes the 24 bytes that follow an old binary magic. The
// 32-bit mtime and size are stored as two 16-bit words, most significant
// word first, each in the archive's byte order.
func (r *Reader) readBinary(o byteOrder) (*Header, int64, error) {
	var b [24]byte
	if err := r.readFull(b[:]); err != nil {
		return nil, 0, err
	}
	w := func(i int) int64 { return o.u16(b[i*2 : i*2+2]) }
	// dev ino mode uid gid nlink rdev mtime[2] namesize filesize[2]
	f := FormatBinaryLE
	if o == bigEndian {
		f = FormatBinaryBE
	}
	return &Header{
		Format:  f,
		Inode:   w(1),
		Mode:    fileMode(uint32(w(2))),
		UID:     int(w(3)),
		GID:     int(w(4)),
		Links:   int(w(5)),
		ModTime: time.Unix(w(7)<<16|w(8), 0),
		Size:    w(10)<<16 | w(11),
	}, w(9), nil
}

// InputOffset returns the number of bytes consumed from the underlying
// reader so far. After Next has returned io.EOF at the trailer, it is the end
// of the archive proper: just after the trailer's name and its alignment
// padding, before any block padding a writer added (GNU cpio pads to 512
// bytes with zeros).
func (r *Reader) InputOffset() int64 {
	return r.pos
}

// Read reads from the current entry's data. It returns io.EOF at the end of
// the entry, an error wrapping ErrTruncated if the archive ends first, and
// ErrChecksum from the read that completes a "070702" entry whose checksum
// does not match.
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
	if r.crc {
		for _, c := range p[:n] {
			r.sum += uint32(c)
		}
	}
	if err == io.EOF {
		if r.remain > 0 {
			r.err = errTruncated
			return n, r.err
		}
		err = nil
	}
	if err != nil {
		r.err = err
		return n, err
	}
	if r.remain == 0 && r.crc {
		r.crc = false
		if r.sum != r.wantSum {
			return n, fmt.Errorf("%w: stored %#x, computed %#x", ErrChecksum, r.wantSum, r.sum)
		}
	}
	return n, nil
}

// readFull fills p, turning any short read into a truncation error.
func (r *Reader) readFull(p []byte) error {
	n, err := io.ReadFull(r.r, p)
	r.pos += int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errTruncated
	}
	return err
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
			return r.readFull(b[:])
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

// parseField parses a fixed-width hexadecimal or octal header field. Every
// byte must be a digit: lenient parsing would let a corrupt field read as 0
// and silently desynchronise the stream.
func parseField(b []byte, base int64) (int64, error) {
	var v int64
	for _, c := range b {
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		default:
			d = base // invalid
		}
		if d >= base {
			return 0, headerErr("invalid digit in field %q", b)
		}
		// At most 11 octal or 8 hex digits: far from overflowing int64.
		v = v*base + d
	}
	return v, nil
}

// fileMode converts a Unix st_mode to an fs.FileMode. A missing type (0)
// is irregular: cpio always records the type.
func fileMode(m uint32) fs.FileMode { return unixmode.FileMode(m) }
