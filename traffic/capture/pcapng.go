package capture

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"time"
)

// pcapng block types read; all others are skipped.
const (
	ngSHB = 0x0A0D0D0A // section header
	ngIDB = 1          // interface description
	ngPB  = 2          // obsolete packet block
	ngSPB = 3          // simple packet
	ngEPB = 6          // enhanced packet
)

// maxInterfaces bounds the interface table of one section (each IDB is at
// least 20 bytes, so this only matters for crafted files).
const maxInterfaces = 1 << 16

// ngInterface is what a section's IDB says about one interface.
type ngInterface struct {
	link    uint32
	snaplen uint32
	// Timestamps are counted in units of 1/perSec second, plus offset seconds.
	perSec uint64
	offset int64
}

// readPcapng reads a pcapng stream block by block. Each section header
// resets the byte order and the interface table.
func readPcapng(ctx context.Context, br *bufio.Reader, d *decoder) error {
	var (
		order  binary.ByteOrder = binary.LittleEndian
		ifaces []ngInterface
		offset int64
	)
	for blk := int64(1); ; blk++ {
		if blk%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		h, err := br.Peek(12)
		if len(h) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: block header cut after %d bytes", errTruncated, len(h))
			}
			return &offsetError{blk, offset, err}
		}
		if binary.LittleEndian.Uint32(h) == ngSHB {
			switch binary.LittleEndian.Uint32(h[8:]) {
			case 0x1A2B3C4D:
				order = binary.LittleEndian
			case 0x4D3C2B1A:
				order = binary.BigEndian
			default:
				return &offsetError{blk, offset, errors.New("section header with a bad byte-order magic")}
			}
			ifaces = ifaces[:0]
		} else if blk == 1 {
			return &offsetError{blk, offset, errors.New("pcapng does not start with a section header")}
		}
		typ := order.Uint32(h)
		n := order.Uint32(h[4:])
		if n < 12 || n%4 != 0 {
			return &offsetError{blk, offset, fmt.Errorf("block length %d is not a multiple of 4 of at least 12", n)}
		}
		if n > bufSize {
			switch typ {
			case ngEPB, ngSPB, ngPB, ngIDB:
				return &offsetError{blk, offset, fmt.Errorf("block of type %d claims %d bytes: corrupt", typ, n)}
			}
			// Skipped blocks (name resolution, statistics, custom, or a
			// section header with huge options) are streamed past.
			if err := discard(ctx, br, int64(n)); err != nil {
				if ctx.Err() != nil {
					return err
				}
				return &offsetError{blk, offset, err}
			}
			offset += int64(n)
			continue
		}
		b, err := peekFull(br, int(n))
		if err != nil {
			return &offsetError{blk, offset, err}
		}
		body := b[8 : n-4]
		switch typ {
		case ngIDB:
			if len(ifaces) >= maxInterfaces {
				return &offsetError{blk, offset, fmt.Errorf("more than %d interfaces in a section", maxInterfaces)}
			}
			if len(body) < 8 {
				return &offsetError{blk, offset, errors.New("interface description too short")}
			}
			ifc := ngInterface{
				link:    uint32(order.Uint16(body)),
				snaplen: order.Uint32(body[4:]),
				perSec:  1e6,
			}
			parseIDBOptions(order, body[8:], &ifc)
			ifaces = append(ifaces, ifc)
			d.noteLink(ifc.link)
		case ngEPB, ngPB:
			if len(body) < 20 {
				return &offsetError{blk, offset, errors.New("packet block too short")}
			}
			var id uint32
			if typ == ngEPB {
				id = order.Uint32(body)
			} else {
				id = uint32(order.Uint16(body))
			}
			ts := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
			capLen := order.Uint32(body[12:])
			orig := order.Uint32(body[16:])
			if uint64(capLen) > uint64(len(body)-20) {
				return &offsetError{blk, offset, fmt.Errorf("captured length %d overruns its %d-byte block", capLen, n)}
			}
			if id >= uint32(len(ifaces)) {
				d.undecodable()
				break
			}
			ifc := &ifaces[id]
			d.frame(ifc.link, ifc.time(ts), body[20:20+capLen], orig)
		case ngSPB:
			if len(body) < 4 || len(ifaces) == 0 {
				d.undecodable()
				break
			}
			orig := order.Uint32(body)
			capLen := uint32(len(body) - 4)
			if orig < capLen {
				capLen = orig
			}
			if s := ifaces[0].snaplen; s != 0 && s < capLen {
				capLen = s
			}
			// A simple packet has no timestamp.
			d.frame(ifaces[0].link, time.Time{}, body[4:4+capLen], orig)
		}
		br.Discard(int(n))
		offset += int64(n)
	}
}

// parseIDBOptions reads if_tsresol (9) and if_tsoffset (14).
func parseIDBOptions(order binary.ByteOrder, opts []byte, ifc *ngInterface) {
	for len(opts) >= 4 {
		code := order.Uint16(opts)
		l := int(order.Uint16(opts[2:]))
		if code == 0 || 4+l > len(opts) {
			return
		}
		v := opts[4 : 4+l]
		switch {
		case code == 9 && l >= 1:
			ifc.perSec = tsresol(v[0])
		case code == 14 && l >= 8:
			ifc.offset = int64(order.Uint64(v))
		}
		adv := 4 + (l+3)&^3
		if adv > len(opts) {
			return
		}
		opts = opts[adv:]
	}
}

// tsresol turns an if_tsresol byte into units per second: 10^n, or 2^n
// when the top bit is set. Values too fine to count in 64 bits are clamped.
func tsresol(v byte) uint64 {
	n := uint(v & 0x7f)
	if v&0x80 != 0 {
		if n > 63 {
			n = 63
		}
		return 1 << n
	}
	if n > 19 {
		n = 19
	}
	p := uint64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// time converts a timestamp in the interface's units.
func (ifc *ngInterface) time(ts uint64) time.Time {
	sec := ts / ifc.perSec
	rem := ts % ifc.perSec
	hi, lo := bits.Mul64(rem, 1e9)
	ns, _ := bits.Div64(hi, lo, ifc.perSec) // rem < perSec, so hi < perSec
	return time.Unix(int64(sec)+ifc.offset, int64(ns))
}
