package exe

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// A classic BPF program in read-only data is a constant a disassembler
// would show as the argument of setsockopt(SO_ATTACH_FILTER): BPFDoor and
// other magic-packet listeners carry one. One that starts by loading the
// Ethernet type (ldh [12]) filters link-layer frames, which only an
// AF_PACKET raw socket receives; one that starts by loading the IP
// protocol (ldb [9]) filters a raw IP socket.

// bpfFound is what the BPF scan saw.
type bpfFound struct {
	evidence  string
	linkLayer bool
}

const (
	maxBPFScan  = 16 << 20
	maxBPFInsns = 256
	minBPFInsns = 4
)

// bpf opcodes used to recognise a program.
const (
	bpfLdhAbs = 0x28
	bpfLdbAbs = 0x30
	bpfRetK   = 0x06
	bpfRetA   = 0x16
)

// bpfOrders are the byte orders a program is looked for in, in order.
var bpfOrders = []binary.ByteOrder{binary.LittleEndian, binary.BigEndian}

func bpfEvidence(asm string, n int) string {
	return fmt.Sprintf("constant:bpf-program(%s, %d instructions)", asm, n)
}

// scanBPF reads the data ranges and looks for a program; the string scan
// does the same without reading again when the ranges lie in the part it
// scanned (see bpfMatch).
func (p *parser) scanBPF() *bpfFound {
	budget := int64(maxBPFScan)
	for _, r := range p.dataRanges {
		n := min(r.n, budget)
		if n <= 0 {
			break
		}
		budget -= n
		b, bp, err := p.readTemp(r.off, n)
		if err != nil {
			putTemp(bp)
			continue
		}
		for _, bo := range bpfOrders {
			for _, first := range bpfFirst {
				var pat [8]byte
				bo.PutUint16(pat[:], first.code)
				bo.PutUint32(pat[4:], first.k)
				for from := 0; ; {
					i := bytes.Index(b[from:], pat[:])
					if i < 0 {
						break
					}
					at := from + i
					from = at + 1
					if at%4 != 0 {
						continue // arrays of sock_filter are 4-aligned
					}
					if n, ok := bpfProgram(b[at:], bo); ok {
						putTemp(bp)
						return &bpfFound{evidence: bpfEvidence(first.asm, n), linkLayer: first.link}
					}
				}
			}
		}
		putTemp(bp)
	}
	return nil
}

// bpfProgram checks that b starts with a plausible classic BPF program:
// known instruction classes, jumps that land inside it, and a return
// within maxBPFInsns. It returns the instruction count up to the last
// return that every jump reaches.
func bpfProgram(b []byte, bo binary.ByteOrder) (int, bool) {
	farthest := 0
	for i := 0; i < maxBPFInsns && 8*i+8 <= len(b); i++ {
		e := b[8*i:]
		code, jt, jf := bo.Uint16(e), int(e[2]), int(e[3])
		if code > 0xff {
			break
		}
		switch code & 0x07 {
		case 0x05: // jmp
			if code != 0x05 {
				farthest = max(farthest, i+1+max(jt, jf))
			}
		case 0x06: // ret
			if code != bpfRetK && code != bpfRetA {
				return 0, false
			}
			if jt != 0 || jf != 0 {
				return 0, false
			}
			if farthest <= i && i+1 >= minBPFInsns {
				return i + 1, true
			}
		default:
			if code&0x07 != 0x05 && (jt != 0 || jf != 0) {
				return 0, false
			}
		}
	}
	return 0, false
}
