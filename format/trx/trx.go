// Package trx reads the TRX header of Broadcom-based router firmware
// (Linksys, Asus, Netgear; OpenWrt's brcm47xx/bcm53xx images): "HDR0", the
// image length, a CRC-32 from the flags word to the end, flags and
// version, and three (version 1) or four (version 2) partition offsets,
// typically the loader or kernel and the root filesystem.
//
// The layout follows OpenWrt's firmware-utils trx.c
// (https://git.openwrt.org/?p=project/firmware-utils.git;a=blob;f=src/trx.c).
package trx

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// Magic is "HDR0" as it starts every image.
const Magic = "HDR0"

// ErrNotTRX means the data does not start with a plausible TRX header.
var ErrNotTRX = errors.New("trx: not a trx image")

// Header is a decoded TRX header.
type Header struct {
	Len     uint32 // the whole image, header included
	CRC     uint32
	Flags   uint16
	Version uint16
	Offsets []uint32 // from the start of the header; 0 means unused
}

// Size is how many bytes the header itself takes.
func (h *Header) Size() int { return 16 + 4*len(h.Offsets) }

// Parse decodes the header at the start of b (at least 32 bytes for
// version 2). It checks that the offsets lie inside the image and grow.
func Parse(b []byte) (*Header, error) {
	if len(b) < 28 || string(b[:4]) != Magic {
		return nil, ErrNotTRX
	}
	le := binary.LittleEndian
	fv := le.Uint32(b[12:])
	h := &Header{Len: le.Uint32(b[4:]), CRC: le.Uint32(b[8:]), Flags: uint16(fv), Version: uint16(fv >> 16)}
	n := 3
	switch h.Version {
	case 1:
	case 2:
		n = 4
		if len(b) < 32 {
			return nil, ErrNotTRX
		}
	default:
		return nil, ErrNotTRX
	}
	if h.Len < uint32(16+4*n) {
		return nil, ErrNotTRX
	}
	prev := uint32(0)
	for i := range n {
		o := le.Uint32(b[16+4*i:])
		h.Offsets = append(h.Offsets, o)
		if o == 0 {
			continue
		}
		if o < uint32(16+4*n) || o >= h.Len || o <= prev {
			return nil, ErrNotTRX
		}
		prev = o
	}
	if prev == 0 {
		return nil, ErrNotTRX // no partition at all
	}
	return h, nil
}

// Partition is one region of the image.
type Partition struct {
	Index        int // position in the offset table
	Offset, Size int64
}

// Partitions returns the used partitions: each runs to the next used
// offset or to the end of the image (limited to size bytes available).
func (h *Header) Partitions(size int64) []Partition {
	end := min(int64(h.Len), size)
	var out []Partition
	for i, o := range h.Offsets {
		if o == 0 || int64(o) >= end {
			continue
		}
		stop := end
		for _, n := range h.Offsets[i+1:] {
			if n != 0 {
				stop = min(stop, int64(n))
				break
			}
		}
		out = append(out, Partition{i, int64(o), stop - int64(o)})
	}
	return out
}

// CheckCRC reports whether the CRC matches the bytes from the flags word
// to Len. Tools store the CRC-32 without its final inversion (trx.c's
// crc32buf); the inverted form is accepted too. It fails when r holds
// fewer than Len bytes.
func (h *Header) CheckCRC(r io.ReaderAt) (bool, error) {
	c := crc32.NewIEEE()
	if _, err := io.Copy(c, io.NewSectionReader(r, 12, int64(h.Len)-12)); err != nil {
		return false, err
	}
	var b [4]byte
	if n, _ := r.ReadAt(b[:], int64(h.Len)-1); n < 1 {
		return false, io.ErrUnexpectedEOF
	}
	sum := c.Sum32()
	return h.CRC == ^sum || h.CRC == sum, nil
}
