package inventory

import (
	"encoding/binary"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

// elfSpec describes a synthetic ELF file: just the headers the inventory
// reads, then data (strings as in .rodata).
type elfSpec struct {
	is64, big bool
	machine   uint16
	etype     uint16
	interp    bool // a PT_INTERP program header
	symtab    bool // a SHT_SYMTAB section
	data      string
}

// build lays out: ELF header, program headers (PT_LOAD [+ PT_INTERP]),
// data, section headers (NULL, PROGBITS [+ SYMTAB]).
func (s elfSpec) build() []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	if s.big {
		bo = binary.BigEndian
	}
	ehsize, phentsize, shentsize := 52, 32, 40
	if s.is64 {
		ehsize, phentsize, shentsize = 64, 56, 64
	}
	phs := []uint32{1} // PT_LOAD
	if s.interp {
		phs = append(phs, 3)
	}
	shs := []uint32{0, 1} // NULL, PROGBITS
	if s.symtab {
		shs = append(shs, 2)
	}
	phoff := ehsize
	dataOff := phoff + len(phs)*phentsize
	shoff := dataOff + len(s.data)
	shoff += (8 - shoff%8) % 8
	out := make([]byte, shoff+len(shs)*shentsize)
	copy(out, "\x7fELF")
	out[4], out[5], out[6] = 1, 1, 1
	if s.is64 {
		out[4] = 2
	}
	if s.big {
		out[5] = 2
	}
	bo.PutUint16(out[16:], s.etype)
	bo.PutUint16(out[18:], s.machine)
	bo.PutUint32(out[20:], 1)
	if s.is64 {
		bo.PutUint64(out[32:], uint64(phoff))
		bo.PutUint64(out[40:], uint64(shoff))
		bo.PutUint16(out[52:], uint16(ehsize))
		bo.PutUint16(out[54:], uint16(phentsize))
		bo.PutUint16(out[56:], uint16(len(phs)))
		bo.PutUint16(out[58:], uint16(shentsize))
		bo.PutUint16(out[60:], uint16(len(shs)))
	} else {
		bo.PutUint32(out[28:], uint32(phoff))
		bo.PutUint32(out[32:], uint32(shoff))
		bo.PutUint16(out[40:], uint16(ehsize))
		bo.PutUint16(out[42:], uint16(phentsize))
		bo.PutUint16(out[44:], uint16(len(phs)))
		bo.PutUint16(out[46:], uint16(shentsize))
		bo.PutUint16(out[48:], uint16(len(shs)))
	}
	for i, t := range phs {
		bo.PutUint32(out[phoff+i*phentsize:], t)
	}
	copy(out[dataOff:], s.data)
	for i, t := range shs {
		bo.PutUint32(out[shoff+i*shentsize+4:], t)
	}
	return out
}

func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, files)
}

// inv returns an inventory list from an in-process report.
func inv[T any](t *testing.T, r *finding.Report, key string) []T {
	t.Helper()
	v, ok := r.Inventory[key].([]T)
	if !ok {
		t.Fatalf("inventory %q is %T", key, r.Inventory[key])
	}
	return v
}
