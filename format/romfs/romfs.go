package romfs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Sentinel errors; every error about a bad image wraps one of them.
var (
	// ErrNotRomfs means the data does not start with a ROMFS superblock.
	ErrNotRomfs = errors.New("romfs: not a romfs image")
	// ErrTruncated means the image is shorter than its superblock says or
	// a read came back short.
	ErrTruncated = errors.New("romfs: image truncated")
	// ErrCorrupt means a structure is inconsistent: an offset outside the
	// image, a header chain that loops, a bad name.
	ErrCorrupt = errors.New("romfs: image corrupt")
	// ErrLimit means a limit from Options was reached.
	ErrLimit = errors.New("romfs: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

// Magic starts every ROMFS image.
const Magic = "-rom1fs-"

const (
	headerSize = 16
	// checksumSpan is how much of the image the superblock checksum
	// covers (less when the image is smaller), as the kernel checks it.
	checksumSpan = 512
	// maxName bounds a name; the kernel stops at 128 bytes, genromfs
	// writes what the host file system allows (255).
	maxName = 4096
)

// Sniff reports whether b starts a plausible ROMFS superblock: the magic
// and a full size that can hold the superblock and one file header. It
// does not check the checksum; Image.CheckSum does.
func Sniff(b []byte) bool {
	if len(b) < 16 || string(b[:8]) != Magic {
		return false
	}
	return binary.BigEndian.Uint32(b[8:]) >= 3*headerSize
}

// Options bounds the work done on one image. Zero fields take defaults.
type Options struct {
	// MaxFiles is the most entries Walk reports before stopping with
	// ErrLimit. Default 1,000,000.
	MaxFiles int
}

// DefaultMaxFiles is the default Options.MaxFiles.
const DefaultMaxFiles = 1_000_000

// Image is an opened ROMFS image. It is safe for concurrent use.
type Image struct {
	r      io.ReaderAt
	length int64 // full size from the superblock
	end    int64 // readable end: min(length, size given)
	volume string
	root   int64 // first file header
	opt    Options
}

// Open reads the superblock of the image held in the first size bytes of
// r. An image longer than size opens (a truncated flash dump still has its
// leading files) and reads past size fail with ErrTruncated; Length tells
// the caller how long the image claims to be.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = DefaultMaxFiles
	}
	var sb [16]byte
	if size < int64(len(sb)) {
		return nil, ErrNotRomfs
	}
	if n, err := r.ReadAt(sb[:], 0); n < len(sb) {
		return nil, readError(err, 0, len(sb), n)
	}
	if !Sniff(sb[:]) {
		return nil, ErrNotRomfs
	}
	im := &Image{r: r, length: int64(binary.BigEndian.Uint32(sb[8:])), opt: opt}
	im.end = min(im.length, size)
	name, next, err := im.name(16)
	if err != nil {
		return nil, fmt.Errorf("volume name: %w", err)
	}
	im.volume, im.root = name, next
	if _, err := im.header(im.root); err != nil {
		return nil, fmt.Errorf("first file header: %w", err)
	}
	return im, nil
}

// Length returns the image size the superblock records. A carver takes it
// as the image's end.
func (im *Image) Length() int64 { return im.length }

// Volume returns the volume name.
func (im *Image) Volume() string { return im.volume }

// CheckSum reports whether the superblock checksum holds: the big-endian
// 32-bit words of the first 512 bytes (or the whole image if smaller) sum
// to zero. The kernel refuses to mount an image that fails it, so a carver
// can rely on it to tell an image from a stray "-rom1fs-" string.
func (im *Image) CheckSum() (bool, error) {
	n := min(im.length, checksumSpan) &^ 3
	buf := make([]byte, n)
	if err := im.readAt(buf, 0); err != nil {
		return false, err
	}
	var sum uint32
	for i := 0; i < len(buf); i += 4 {
		sum += binary.BigEndian.Uint32(buf[i:])
	}
	return sum == 0, nil
}

// readAt reads exactly len(p) bytes at off.
func (im *Image) readAt(p []byte, off int64) error {
	if off < 0 || off > im.length || int64(len(p)) > im.length-off {
		return errorf(ErrCorrupt, "%d bytes at offset %d lie beyond the image end %d", len(p), off, im.length)
	}
	if int64(len(p)) > im.end-off {
		return errorf(ErrTruncated, "%d bytes at offset %d, only %d bytes available", len(p), off, im.end)
	}
	n, err := im.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	return readError(err, off, len(p), n)
}

func readError(err error, off int64, want, got int) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(ErrTruncated, "read %d of %d bytes at offset %d", got, want, off)
	}
	return fmt.Errorf("romfs: read at offset %d: %w", off, err)
}

// name reads the NUL-terminated name at off, stored in 16-byte units, and
// returns it with the offset of what follows its padding.
func (im *Image) name(off int64) (string, int64, error) {
	var buf []byte
	var chunk [headerSize]byte
	for len(buf) < maxName {
		if err := im.readAt(chunk[:], off+int64(len(buf))); err != nil {
			return "", 0, err
		}
		for i, c := range chunk {
			if c == 0 {
				buf = append(buf, chunk[:i]...)
				return string(buf), off + int64(len(buf)-i) + headerSize, nil
			}
		}
		buf = append(buf, chunk[:]...)
	}
	return "", 0, errorf(ErrCorrupt, "name at %d longer than %d bytes", off, maxName)
}
