package capture

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Classic pcap magics as they appear in the first four bytes.
var pcapMagics = [...]struct {
	b     [4]byte
	order binary.ByteOrder
	nano  bool
}{
	{[4]byte{0xd4, 0xc3, 0xb2, 0xa1}, binary.LittleEndian, false},
	{[4]byte{0xa1, 0xb2, 0xc3, 0xd4}, binary.BigEndian, false},
	{[4]byte{0x4d, 0x3c, 0xb2, 0xa1}, binary.LittleEndian, true},
	{[4]byte{0xa1, 0xb2, 0x3c, 0x4d}, binary.BigEndian, true},
}

func isPcapMagic(b []byte) bool {
	for _, m := range pcapMagics {
		if string(b[:4]) == string(m.b[:]) {
			return true
		}
	}
	return false
}

// readPcap reads a classic pcap file: a 24-byte header, then records of a
// 16-byte header and the captured bytes. The header's snap length is not
// trusted (writers get it wrong); a record is only refused when it claims
// more than MaxRecord bytes, since everything after it would be misread.
func readPcap(ctx context.Context, br *bufio.Reader, d *decoder) error {
	hdr, err := peekFull(br, 24)
	if err != nil {
		return fmt.Errorf("pcap header: %w", err)
	}
	var order binary.ByteOrder = binary.LittleEndian
	nano := false
	for _, m := range pcapMagics {
		if string(hdr[:4]) == string(m.b[:]) {
			order, nano = m.order, m.nano
		}
	}
	// The link type's low 16 bits; the upper bits may carry FCS flags.
	link := order.Uint32(hdr[20:24]) & 0xffff
	d.noteLink(link)
	br.Discard(24)
	offset := int64(24)
	for rec := int64(1); ; rec++ {
		if rec%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rh, err := br.Peek(16)
		if len(rh) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: record header cut after %d of 16 bytes", errTruncated, len(rh))
			}
			return &offsetError{rec, offset, err}
		}
		sec := int64(order.Uint32(rh[0:4]))
		frac := int64(order.Uint32(rh[4:8]))
		incl := order.Uint32(rh[8:12])
		orig := order.Uint32(rh[12:16])
		if incl > MaxRecord {
			return &offsetError{rec, offset, fmt.Errorf("captured length %d exceeds %d bytes: corrupt record", incl, MaxRecord)}
		}
		b, err := peekFull(br, 16+int(incl))
		if err != nil {
			return &offsetError{rec, offset, err}
		}
		var t time.Time
		if nano {
			t = time.Unix(sec, frac)
		} else {
			t = time.Unix(sec, frac*1000)
		}
		d.frame(link, t, b[16:], orig)
		br.Discard(16 + int(incl))
		offset += 16 + int64(incl)
	}
}
