// Package lzo decompresses raw LZO1X streams, the format that SquashFS,
// UBIFS and many firmware containers use for their "lzo" compressor.
//
// Only decompression is provided. The decoder is written for hostile input:
// every read from src and every write to dst is bounds-checked, matches may
// not reach before the start of the output, and the output never grows past
// len(dst), so the caller decides the largest allocation up front.
//
// The stream format is the one understood by the Linux kernel's
// lib/lzo/lzo1x_decompress_safe.c (LZO1X-1 through LZO1X-999 all share it);
// the LZO-RLE extension used by zram is not supported.
package lzo

import (
	"errors"
)

// Errors returned by Decompress. All of them mean the input is not a valid
// LZO1X stream for the given output size.
var (
	// ErrInputOverrun means the stream ended in the middle of an instruction.
	ErrInputOverrun = errors.New("lzo: input truncated")
	// ErrOutputOverrun means the stream decodes to more than len(dst) bytes.
	ErrOutputOverrun = errors.New("lzo: output larger than buffer")
	// ErrLookBehind means a match refers to data before the start of output.
	ErrLookBehind = errors.New("lzo: match distance before start of output")
	// ErrCorrupt means a malformed end-of-stream marker or trailing bytes
	// after it.
	ErrCorrupt = errors.New("lzo: corrupt stream")
)

// Decompress decodes the LZO1X stream src into dst and returns the number of
// bytes written. It fails with ErrOutputOverrun rather than writing past
// len(dst), so len(dst) is the maximum decompressed size the caller accepts.
// src must hold exactly one stream: bytes after the end marker are an error,
// as they are for the kernel.
func Decompress(dst, src []byte) (int, error) {
	d := decoder{src: src, dst: dst}
	err := d.run()
	return d.op, err
}

// decoder holds the cursors into the input (ip) and output (op).
type decoder struct {
	src, dst []byte
	ip, op   int
}

// Instruction classes (first byte of an instruction) and the distance bases
// they use; see the kernel's Documentation/staging/lzo.rst.
const (
	m2MaxOffset  = 0x0800 // 3-byte matches after a literal run start here
	m4BaseOffset = 0x4000 // 16..31 instructions add this to their distance
)

func (d *decoder) run() error {
	// The shortest valid stream is the 3-byte end marker.
	if len(d.src) < 3 {
		return ErrInputOverrun
	}
	// state is the number of literals the previous instruction copied
	// (0..3), or 4 after a literal run of four or more; it selects how
	// instructions below 16 are read.
	state := 0
	if d.src[0] > 17 {
		// A first byte above 17 is a literal run with no preceding
		// instruction: it cannot be a match since there is no history.
		n := int(d.src[0]) - 17
		d.ip = 1
		if err := d.literals(n); err != nil {
			return err
		}
		state = min(n, 4)
	}
	for {
		t, err := d.byte()
		if err != nil {
			return err
		}
		var length, dist, next int
		switch {
		case t >= 64:
			// 010LLDDD / 1LLDDDSS: 3..8 bytes within 2 KiB.
			h, err := d.byte()
			if err != nil {
				return err
			}
			length = int(t>>5) + 1
			dist = 1 + int((t>>2)&7) + int(h)<<3
			next = int(t & 3)
		case t >= 32:
			// 001LLLLL + LE16: up to 16 KiB away, any length.
			length, err = d.length(int(t&31), 31)
			if err != nil {
				return err
			}
			length += 2
			v, err := d.le16()
			if err != nil {
				return err
			}
			dist = 1 + v>>2
			next = v & 3
		case t >= 16:
			// 0001HLLL + LE16: 16..48 KiB away; distance 0 ends the stream.
			length, err = d.length(int(t&7), 7)
			if err != nil {
				return err
			}
			length += 2
			v, err := d.le16()
			if err != nil {
				return err
			}
			far := int(t&8)<<11 + v>>2
			if far == 0 {
				return d.end(length)
			}
			dist = m4BaseOffset + far
			next = v & 3
		case state == 0:
			// 0000LLLL after a match that copied no literals: a run of
			// four or more literals.
			n, err := d.length(int(t), 15)
			if err != nil {
				return err
			}
			if err := d.literals(n + 3); err != nil {
				return err
			}
			state = 4
			continue
		default:
			// 0000DDSS + one byte: a short match whose meaning depends on
			// whether the previous instruction was a long literal run.
			h, err := d.byte()
			if err != nil {
				return err
			}
			dist = 1 + int(t>>2) + int(h)<<2
			length = 2
			if state == 4 {
				dist += m2MaxOffset
				length = 3
			}
			next = int(t & 3)
		}
		if err := d.match(dist, length); err != nil {
			return err
		}
		if err := d.literals(next); err != nil {
			return err
		}
		state = next
	}
}

// byte consumes one input byte.
func (d *decoder) byte() (byte, error) {
	if d.ip >= len(d.src) {
		return 0, ErrInputOverrun
	}
	b := d.src[d.ip]
	d.ip++
	return b, nil
}

// le16 consumes a little-endian 16-bit operand.
func (d *decoder) le16() (int, error) {
	if len(d.src)-d.ip < 2 {
		return 0, ErrInputOverrun
	}
	v := int(d.src[d.ip]) | int(d.src[d.ip+1])<<8
	d.ip += 2
	return v, nil
}

// length decodes a variable-length count: a non-zero field is the value
// itself; a zero field is followed by zero bytes worth 255 each and a final
// non-zero byte, added to the field's maximum (mask).
func (d *decoder) length(field, mask int) (int, error) {
	if field != 0 {
		return field, nil
	}
	n := mask
	for {
		b, err := d.byte()
		if err != nil {
			return 0, err
		}
		if b != 0 {
			n += int(b)
			break
		}
		n += 255
		// Each zero byte adds at most 255 output bytes, so a run of them
		// longer than the output space is already known to be bad; failing
		// here keeps long zero runs from being scanned to the end.
		if n > len(d.dst)-d.op {
			return 0, ErrOutputOverrun
		}
	}
	return n, nil
}

// literals copies n bytes from input to output.
func (d *decoder) literals(n int) error {
	if n > len(d.src)-d.ip {
		return ErrInputOverrun
	}
	if n > len(d.dst)-d.op {
		return ErrOutputOverrun
	}
	copy(d.dst[d.op:], d.src[d.ip:d.ip+n])
	d.ip += n
	d.op += n
	return nil
}

// match copies length bytes starting dist bytes back in the output. The
// source may overlap the destination (dist < length), which repeats the
// last dist bytes, so overlapping copies go forward in dist-sized chunks.
func (d *decoder) match(dist, length int) error {
	if dist > d.op {
		return ErrLookBehind
	}
	if length > len(d.dst)-d.op {
		return ErrOutputOverrun
	}
	from := d.op - dist
	for length > 0 {
		n := copy(d.dst[d.op:d.op+min(length, dist)], d.dst[from:])
		d.op += n
		from += n
		length -= n
	}
	return nil
}

// end checks the end-of-stream marker: it must use length 3 (the encoder's
// fixed "11 00 00" form) and be the last thing in src.
func (d *decoder) end(length int) error {
	if length != 3 || d.ip != len(d.src) {
		return ErrCorrupt
	}
	return nil
}
