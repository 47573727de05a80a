package squashfs3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/klauspost/compress/zlib"
	"github.com/ulikunitz/xz/lzma"
)

// Codecs a block was found to use; Image.Compression reports them.
const (
	codecZlib = 1 << iota
	codecLZMA
	codecRawLZMA
)

// rawLZMAProps is the properties byte of the fixed lc=3 lp=0 pb=2 that
// the raw-LZMA squashfs patches use: (pb*5+lp)*9+lc.
const rawLZMAProps = (2*5+0)*9 + 3

// lzmaHeaderSize is the LZMA-alone header: properties, 32-bit dictionary
// size, 64-bit uncompressed size (all ones when unknown).
const lzmaHeaderSize = 13

var errTooLarge = errorf(ErrCorrupt, "block decompresses to more than its size limit")

// decoder decodes one block, trying each codec the 3.x forks use. It is
// not safe for concurrent use; Image serialises calls.
type decoder struct {
	blockSize int
	zsrc      bytes.Reader
	z         io.ReadCloser
	hdr       []byte // scratch for a rebuilt LZMA header + stream
	seen      atomic.Uint32
}

// decode decodes src into dst (len(dst) is the cap). want is the exact
// size the block must have if known (data blocks), or 0; a raw LZMA
// stream, which records no length, is cut there.
func (d *decoder) decode(dst, src []byte, want int) (int, error) {
	if len(src) == 0 {
		return 0, errorf(ErrCorrupt, "empty compressed block")
	}
	var errs []error
	if zlibHeader(src) {
		n, err := d.zlib(dst, src)
		if err == nil {
			d.seen.Or(codecZlib)
			return n, nil
		}
		errs = append(errs, fmt.Errorf("zlib: %w", err))
	}
	if lzmaAloneHeader(src, len(dst)) {
		n, err := d.lzmaAlone(dst, src)
		if err == nil {
			d.seen.Or(codecLZMA)
			return n, nil
		}
		errs = append(errs, fmt.Errorf("lzma: %w", err))
	}
	n, err := d.rawLZMA(dst, src, want)
	if err == nil {
		d.seen.Or(codecRawLZMA)
		return n, nil
	}
	errs = append(errs, fmt.Errorf("raw lzma: %w", err))
	return 0, fmt.Errorf("%w: block decodes as none of zlib, lzma, raw lzma: %w", ErrCorrupt, errors.Join(errs...))
}

// zlibHeader reports whether b starts with a valid zlib header using
// deflate (RFC 1950: CM 8, CINFO <= 7, FCHECK).
func zlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

// lzmaAloneHeader reports whether b starts with a plausible LZMA-alone
// header for a block of at most maxOut bytes.
func lzmaAloneHeader(b []byte, maxOut int) bool {
	if len(b) <= lzmaHeaderSize || b[0] >= 9*5*5 {
		return false
	}
	size := binary.LittleEndian.Uint64(b[5:])
	return size == ^uint64(0) || size <= uint64(maxOut)
}

func (d *decoder) zlib(dst, src []byte) (int, error) {
	d.zsrc.Reset(src)
	if d.z == nil {
		r, err := zlib.NewReader(&d.zsrc)
		if err != nil {
			return 0, err
		}
		d.z = r
	} else if err := d.z.(zlib.Resetter).Reset(&d.zsrc, nil); err != nil {
		return 0, err
	}
	return readBounded(d.z, dst)
}

// dictCap bounds the dictionary an LZMA header may ask for: no distance
// in a block reaches past the block, so the block size is enough, and a
// hostile header cannot make the decoder allocate more.
func dictCap(maxOut int) int { return max(maxOut, lzma.MinDictCap) }

func (d *decoder) lzmaAlone(dst, src []byte) (int, error) {
	d.hdr = append(d.hdr[:0], src...)
	limit := dictCap(len(dst))
	if binary.LittleEndian.Uint32(d.hdr[1:5]) > uint32(limit) {
		binary.LittleEndian.PutUint32(d.hdr[1:5], uint32(limit))
	}
	r, err := lzma.ReaderConfig{DictCap: limit}.NewReader(bytes.NewReader(d.hdr))
	if err != nil {
		return 0, err
	}
	return readBounded(r, dst)
}

// rawLZMA decodes a headerless stream with the fixed properties. Such a
// stream has neither a length nor (as the vendor encoders write it) an
// end marker, so decoding runs until the input is used up; the output is
// accepted if all input was consumed, and cut at want when known.
func (d *decoder) rawLZMA(dst, src []byte, want int) (int, error) {
	limit := dictCap(max(d.blockSize, len(dst)))
	d.hdr = append(d.hdr[:0], rawLZMAProps, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	binary.LittleEndian.PutUint32(d.hdr[1:5], uint32(limit))
	d.hdr = append(d.hdr, src...)
	in := &countingReader{r: bytes.NewReader(d.hdr)}
	r, err := lzma.ReaderConfig{DictCap: limit}.NewReader(in)
	if err != nil {
		return 0, err
	}
	n := 0
	var last error
	for idle := 0; n < len(dst); {
		k, err := r.Read(dst[n:])
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			// The decoder reports running out of input as
			// ErrUnexpectedEOF and keeps what it decoded for the
			// next Read; other errors end the stream.
			if last != nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				last = err
				break
			}
			last = err
			continue
		}
		if k == 0 {
			if idle++; idle > 100 {
				return 0, io.ErrNoProgress
			}
		}
	}
	if in.n < int64(len(d.hdr)) && last != nil {
		return 0, last
	}
	if want > 0 {
		if n < want {
			return 0, fmt.Errorf("raw lzma block gave %d bytes, want %d", n, want)
		}
		n = want
	}
	if n == 0 {
		return 0, errors.New("raw lzma block decodes to nothing")
	}
	return n, nil
}

// countingReader counts the bytes the decoder took. It reads byte by
// byte, as the decoder asks, so the count is exact.
type countingReader struct {
	r *bytes.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// readBounded fills dst from a streaming decoder and then requires the
// stream to end: more output than len(dst) is errTooLarge. Only io.EOF
// counts as the end; a cut-off stream reports io.ErrUnexpectedEOF.
func readBounded(r io.Reader, dst []byte) (int, error) {
	n, idle := 0, 0
	for n < len(dst) {
		k, err := r.Read(dst[n:])
		n += k
		switch {
		case err == io.EOF:
			return n, nil
		case err != nil:
			return n, err
		case k == 0:
			if idle++; idle > 100 {
				return n, io.ErrNoProgress
			}
		}
	}
	var probe [1]byte
	for range 100 {
		k, err := r.Read(probe[:])
		switch {
		case k > 0:
			return n, errTooLarge
		case err == io.EOF:
			return n, nil
		case err != nil:
			return n, err
		}
	}
	return n, io.ErrNoProgress
}
