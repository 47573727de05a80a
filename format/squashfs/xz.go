package squashfs

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"hash/crc32"
	"hash/crc64"

	"github.com/ulikunitz/xz/lzma"
)

// The xz and lzma codecs size their dictionary from the stream header. A
// hostile header can ask for gigabytes, yet a block never decodes to more
// than its cap, and a match can only reach back into output already
// produced; so the dictionary is clamped to the cap before decoding.
func dictCap(maxOut int) int {
	return max(maxOut, lzma.MinDictCap)
}

// lzmaHeaderSize is the LZMA-alone header: properties byte, 32-bit
// dictionary size, 64-bit uncompressed size (all ones when unknown).
const lzmaHeaderSize = 13

// lzmaDecompressor handles compressor "lzma": one LZMA-alone stream per
// block, as mksquashfs writes it.
type lzmaDecompressor struct{}

func (lzmaDecompressor) decompress(dst, src []byte) (int, error) {
	if len(src) < lzmaHeaderSize {
		return 0, errorf(ErrCorrupt, "lzma block of %d bytes has no header", len(src))
	}
	limit := dictCap(len(dst))
	if size := binary.LittleEndian.Uint64(src[5:13]); size != ^uint64(0) && size > uint64(len(dst)) {
		return 0, errTooLarge
	}
	if binary.LittleEndian.Uint32(src[1:5]) > uint32(limit) {
		binary.LittleEndian.PutUint32(src[1:5], uint32(limit))
	}
	r, err := lzma.ReaderConfig{DictCap: limit}.NewReader(bytes.NewReader(src))
	if err != nil {
		return 0, corrupt(err)
	}
	return readBounded(r, dst)
}

// xz container constants (see the .xz file format specification).
var xzMagic = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}

const (
	xzStreamHeaderSize = 12
	xzFilterLZMA2      = 0x21
	xzCheckNone        = 0
	xzCheckCRC32       = 1
	xzCheckCRC64       = 4
	xzCheckSHA256      = 10
)

var crc64Table = crc64.MakeTable(crc64.ECMA)

// xzDecompressor handles compressor "xz": one xz stream with a single
// block per SquashFS block. It parses the container itself and hands only
// the LZMA2 payload to the lzma package, because the xz package sizes its
// dictionary from the (hostile) block header with no upper bound, and
// supports no BCJ filters. The stream index is not parsed: the block's own
// check already covers the data, and the footer catches a cut-off stream.
type xzDecompressor struct{}

func (xzDecompressor) decompress(dst, src []byte) (int, error) {
	check, err := xzStreamHeader(src)
	if err != nil {
		return 0, err
	}
	blockStart := xzStreamHeaderSize
	if len(src) <= blockStart {
		return 0, errorf(ErrCorrupt, "xz stream has no block")
	}
	if src[blockStart] == 0 {
		// An index indicator instead of a block: an empty stream.
		return 0, xzStreamFooter(src, src[6:8])
	}
	bh, err := xzBlockHeader(src[blockStart:], len(dst))
	if err != nil {
		return 0, err
	}
	payloadStart := blockStart + bh.size
	br := bytes.NewReader(src[payloadStart:])
	r, err := lzma.Reader2Config{DictCap: dictCap(len(dst))}.NewReader2(br)
	if err != nil {
		return 0, corrupt(err)
	}
	n, err := readBounded(r, dst)
	if err != nil {
		return n, err
	}
	if bh.bcj != 0 {
		bcjDecode(bh.bcj, dst[:n], bh.bcjStart)
	}
	// The block is padded to a multiple of four bytes, then holds the check
	// of the uncompressed data.
	end := len(src) - br.Len()
	end += (4 - (end-blockStart)%4) % 4
	if err := xzVerify(check, dst[:n], src, end); err != nil {
		return n, err
	}
	if err := xzStreamFooter(src, src[6:8]); err != nil {
		return n, err
	}
	return n, nil
}

// xzStreamFooter checks the 12-byte footer that ends the stream. The index
// before it is not parsed, but a cut-off stream is caught here.
func xzStreamFooter(src, flags []byte) error {
	if len(src) < 2*xzStreamHeaderSize {
		return errorf(ErrCorrupt, "xz stream footer missing")
	}
	f := src[len(src)-xzStreamHeaderSize:]
	if string(f[10:12]) != "YZ" || !bytes.Equal(f[8:10], flags) ||
		crc32.ChecksumIEEE(f[4:10]) != binary.LittleEndian.Uint32(f[0:4]) {
		return errorf(ErrCorrupt, "xz stream footer")
	}
	return nil
}

// xzStreamHeader validates the stream header and returns the check type.
func xzStreamHeader(src []byte) (byte, error) {
	if len(src) < xzStreamHeaderSize || !bytes.Equal(src[:6], xzMagic) {
		return 0, errorf(ErrCorrupt, "missing xz stream header")
	}
	flags := src[6:8]
	if crc32.ChecksumIEEE(flags) != binary.LittleEndian.Uint32(src[8:12]) {
		return 0, errorf(ErrCorrupt, "xz stream header checksum")
	}
	if flags[0] != 0 || flags[1]&0xf0 != 0 {
		return 0, errorf(ErrUnsupported, "xz stream flags %#x", flags)
	}
	return flags[1], nil
}

// xzBlock is what the reader needs from a block header.
type xzBlock struct {
	size     int    // header length
	bcj      uint64 // BCJ filter applied before LZMA2, or 0
	bcjStart uint32 // the BCJ filter's start offset
}

// xzBlockHeader parses the block header at the start of b. It accepts the
// filter chains mksquashfs writes: LZMA2 alone, or one BCJ filter followed
// by LZMA2.
func xzBlockHeader(b []byte, maxOut int) (xzBlock, error) {
	var bh xzBlock
	bh.size = (int(b[0]) + 1) * 4
	if len(b) < bh.size {
		return bh, errorf(ErrCorrupt, "xz block header truncated")
	}
	h := b[:bh.size]
	if crc32.ChecksumIEEE(h[:bh.size-4]) != binary.LittleEndian.Uint32(h[bh.size-4:]) {
		return bh, errorf(ErrCorrupt, "xz block header checksum")
	}
	flags := h[1]
	if flags&0x3c != 0 {
		return bh, errorf(ErrUnsupported, "xz block flags %#x", flags)
	}
	p := xzVarints{b: h[:bh.size-4], pos: 2}
	if flags&0x40 != 0 {
		p.next() // compressed size: the LZMA2 chunks carry their own sizes
	}
	if flags&0x80 != 0 {
		if u := p.next(); u > uint64(maxOut) {
			return bh, errTooLarge
		}
	}
	filters := int(flags&3) + 1
	if filters > 2 {
		return bh, errorf(ErrUnsupported, "xz block with %d filters", filters)
	}
	if filters == 2 {
		id, propSize := p.next(), p.next()
		switch {
		case p.bad:
			return bh, errorf(ErrCorrupt, "xz block header fields")
		case !isBCJ(id):
			return bh, errorf(ErrUnsupported, "xz filter %#x", id)
		case propSize == 4 && p.pos+4 <= len(p.b):
			bh.bcjStart = binary.LittleEndian.Uint32(p.b[p.pos:])
			p.pos += 4
		case propSize != 0:
			return bh, errorf(ErrCorrupt, "xz BCJ filter properties")
		}
		bh.bcj = id
	}
	id, propSize := p.next(), p.next()
	if p.bad {
		return bh, errorf(ErrCorrupt, "xz block header fields")
	}
	if id != xzFilterLZMA2 {
		return bh, errorf(ErrUnsupported, "xz filter %#x", id)
	}
	if propSize != 1 || p.pos >= len(p.b) || p.b[p.pos]&0x3f > 40 {
		return bh, errorf(ErrCorrupt, "xz LZMA2 filter properties")
	}
	return bh, nil
}

// xzVarints reads the xz multibyte integers of a block header; bad records
// any overrun so callers check once.
type xzVarints struct {
	b   []byte
	pos int
	bad bool
}

func (v *xzVarints) next() uint64 {
	var x uint64
	for i := 0; i < 9; i++ {
		if v.pos >= len(v.b) {
			v.bad = true
			return 0
		}
		c := v.b[v.pos]
		v.pos++
		x |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return x
		}
	}
	v.bad = true
	return 0
}

// xzVerify compares the block check stored at src[at:] with the check of
// the decoded data.
func xzVerify(check byte, data, src []byte, at int) error {
	var h hash.Hash
	switch check {
	case xzCheckNone:
		return nil
	case xzCheckCRC32:
		h = crc32.NewIEEE()
	case xzCheckCRC64:
		h = crc64.New(crc64Table)
	case xzCheckSHA256:
		h = sha256.New()
	default:
		return errorf(ErrUnsupported, "xz check type %d", check)
	}
	h.Write(data)
	sum := h.Sum(nil)
	// CRCs are stored little-endian; hash.Hash gives them big-endian.
	if check != xzCheckSHA256 {
		for i, j := 0, len(sum)-1; i < j; i, j = i+1, j-1 {
			sum[i], sum[j] = sum[j], sum[i]
		}
	}
	if at < 0 || at+len(sum) > len(src) || !bytes.Equal(src[at:at+len(sum)], sum) {
		return errorf(ErrCorrupt, "xz block check mismatch")
	}
	return nil
}
