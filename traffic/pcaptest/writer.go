package pcaptest

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"os"
	"time"
)

// Format is the capture file format.
type Format int

const (
	PCAP   Format = iota // classic libpcap
	PCAPNG               // pcap next generation
)

// Link is the link layer packets are framed in.
type Link int

const (
	Ethernet Link = iota // LINKTYPE_ETHERNET, with Options.VLAN tags
	SLL                  // Linux cooked capture v1 (LINKTYPE_LINUX_SLL)
	SLL2                 // Linux cooked capture v2 (LINKTYPE_LINUX_SLL2)
	RawIP                // LINKTYPE_RAW: the IP packet alone
	Null                 // BSD loopback: a 4-byte address family
)

// linkType is the number each Link is written with by default.
func (l Link) linkType() uint32 {
	switch l {
	case SLL:
		return 113
	case SLL2:
		return 276
	case RawIP:
		return 101
	case Null:
		return 0
	}
	return 1
}

// Options describe a capture (or, in pcapng, one interface).
type Options struct {
	Format Format
	// Nano writes nanosecond timestamps (the pcap nanosecond magic, or
	// if_tsresol 9 in pcapng).
	Nano bool
	Link Link
	// LinkType, when not 0, is written instead of Link's usual number
	// (e.g. 12, 14, 228 or 229 for RawIP framing).
	LinkType uint32
	// VLAN puts one 802.1Q tag with this ID in Ethernet frames; VLANs puts
	// several (outermost first, 802.1ad for all but the last).
	VLAN  uint16
	VLANs []uint16
	// BigEndian writes the file (or pcapng section) big-endian.
	BigEndian bool
	// Snaplen cuts each frame to this many bytes (0: keep all; the header
	// then says 262144).
	Snaplen int
	// TSResol is pcapng's if_tsresol byte (10^-n, or 2^-n with the top bit
	// set); 0 means 6, or 9 with Nano.
	TSResol uint8
}

// Writer accumulates a capture in memory.
type Writer struct {
	o     Options
	buf   bytes.Buffer
	order binary.ByteOrder
	iface int // current pcapng interface index
	nifc  int // interfaces described in the current pcapng section
	seq   map[[2]string]uint32
	frame []byte // scratch
}

// New starts a capture with one interface described by o.
func New(o Options) *Writer {
	w := &Writer{seq: map[[2]string]uint32{}}
	if o.Format == PCAPNG {
		w.NewSection(o)
		return w
	}
	w.o = o
	w.order = byteOrder(o.BigEndian)
	magic := uint32(0xa1b2c3d4)
	if o.Nano {
		magic = 0xa1b23c4d
	}
	var h [24]byte
	w.order.PutUint32(h[0:], magic)
	w.order.PutUint16(h[4:], 2)
	w.order.PutUint16(h[6:], 4)
	w.order.PutUint32(h[16:], snaplen(o))
	w.order.PutUint32(h[20:], linkTypeOf(o))
	w.buf.Write(h[:])
	return w
}

func byteOrder(big bool) binary.ByteOrder {
	if big {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func snaplen(o Options) uint32 {
	if o.Snaplen > 0 {
		return uint32(o.Snaplen)
	}
	return 262144
}

func linkTypeOf(o Options) uint32 {
	if o.LinkType != 0 {
		return o.LinkType
	}
	return o.Link.linkType()
}

// NewSection (pcapng only) starts a section in o's byte order with one
// interface described by o; later packets go through it.
func (w *Writer) NewSection(o Options) {
	if o.Format != PCAPNG {
		panic("pcaptest: NewSection on a pcap capture")
	}
	w.order = byteOrder(o.BigEndian)
	w.nifc = 0
	var b [28]byte
	w.order.PutUint32(b[0:], 0x0A0D0D0A)
	w.order.PutUint32(b[4:], 28)
	w.order.PutUint32(b[8:], 0x1A2B3C4D)
	w.order.PutUint16(b[12:], 1)
	w.order.PutUint64(b[16:], ^uint64(0)) // section length unknown
	w.order.PutUint32(b[24:], 28)
	w.buf.Write(b[:])
	w.NewInterface(o)
}

// NewInterface (pcapng only) describes another interface in the current
// section (its link, snap length and timestamp resolution from o; the
// byte order stays the section's) and sends later packets through it.
func (w *Writer) NewInterface(o Options) {
	if o.Format != PCAPNG {
		panic("pcaptest: NewInterface on a pcap capture")
	}
	o.BigEndian = w.order == binary.BigEndian
	w.o = o
	var b [32]byte
	w.order.PutUint32(b[0:], 1)
	w.order.PutUint32(b[4:], 32)
	w.order.PutUint16(b[8:], uint16(linkTypeOf(o)))
	w.order.PutUint32(b[12:], snaplen(o))
	w.order.PutUint16(b[16:], 9) // if_tsresol
	w.order.PutUint16(b[18:], 1)
	b[20] = w.tsresol()
	// b[24:28]: opt_endofopt
	w.order.PutUint32(b[28:], 32)
	w.buf.Write(b[:])
	w.iface = w.nifc
	w.nifc++
}

func (w *Writer) tsresol() uint8 {
	switch {
	case w.o.TSResol != 0:
		return w.o.TSResol
	case w.o.Nano:
		return 9
	}
	return 6
}

// Frame writes one link-layer frame as it is (for hand-made or hostile
// frames), cut to the snap length.
func (w *Writer) Frame(t time.Time, frame []byte) {
	incl := frame
	if w.o.Snaplen > 0 && len(incl) > w.o.Snaplen {
		incl = incl[:w.o.Snaplen]
	}
	if w.o.Format == PCAPNG {
		w.epb(t, incl, len(frame))
		return
	}
	var h [16]byte
	frac := t.Nanosecond() / 1000
	if w.o.Nano {
		frac = t.Nanosecond()
	}
	w.order.PutUint32(h[0:], uint32(t.Unix()))
	w.order.PutUint32(h[4:], uint32(frac))
	w.order.PutUint32(h[8:], uint32(len(incl)))
	w.order.PutUint32(h[12:], uint32(len(frame)))
	w.buf.Write(h[:])
	w.buf.Write(incl)
}

// epb writes an enhanced packet block.
func (w *Writer) epb(t time.Time, data []byte, orig int) {
	pad := (4 - len(data)%4) % 4
	n := 32 + len(data) + pad
	var h [28]byte
	w.order.PutUint32(h[0:], 6)
	w.order.PutUint32(h[4:], uint32(n))
	w.order.PutUint32(h[8:], uint32(w.iface))
	ts := units(t, w.tsresol())
	w.order.PutUint32(h[12:], uint32(ts>>32))
	w.order.PutUint32(h[16:], uint32(ts))
	w.order.PutUint32(h[20:], uint32(len(data)))
	w.order.PutUint32(h[24:], uint32(orig))
	w.buf.Write(h[:])
	w.buf.Write(data)
	w.buf.Write(make([]byte, pad))
	var tail [4]byte
	w.order.PutUint32(tail[:], uint32(n))
	w.buf.Write(tail[:])
}

// units counts t (after 1970) in if_tsresol units.
func units(t time.Time, res uint8) uint64 {
	var per uint64 = 1
	if res&0x80 != 0 {
		per <<= res & 0x7f
	} else {
		for i := uint8(0); i < res; i++ {
			per *= 10
		}
	}
	hi, lo := bits.Mul64(uint64(t.Nanosecond()), per)
	frac, _ := bits.Div64(hi, lo, 1e9)
	return uint64(t.Unix())*per + frac
}

// Bytes returns the capture so far.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// WriteFile writes the capture to path.
func (w *Writer) WriteFile(path string) error { return os.WriteFile(path, w.buf.Bytes(), 0o644) }

// Reset drops the bytes accumulated so far (after the caller has saved
// them from Bytes) and keeps the writer's state, so a long capture can be
// written out in pieces without holding it in memory.
func (w *Writer) Reset() { w.buf.Reset() }

// Len is how many bytes are waiting in the writer.
func (w *Writer) Len() int { return w.buf.Len() }
