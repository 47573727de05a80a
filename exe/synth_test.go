package exe

import (
	"bytes"
	"encoding/binary"
	"math/rand"
)

// Files built byte by byte for what no Debian toolchain makes: Mach-O
// (no macOS linker), UPX-packed ELF (UPX is not in Debian 12) and lying
// headers.

// synthELF is a section-less ELF64 x86-64 executable (as sstrip and UPX
// leave them): one PT_LOAD R+X segment covering body.
func synthELF(body []byte) []byte {
	var b bytes.Buffer
	h := make([]byte, 64)
	copy(h, "\x7fELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(h[16:], 2)  // ET_EXEC
	le.PutUint16(h[18:], 62) // x86-64
	le.PutUint32(h[20:], 1)
	le.PutUint64(h[24:], 0x400000+120)
	le.PutUint64(h[32:], 64) // phoff
	le.PutUint16(h[52:], 64)
	le.PutUint16(h[54:], 56)
	le.PutUint16(h[56:], 1)
	b.Write(h)
	ph := make([]byte, 56)
	total := uint64(64 + 56 + len(body))
	le.PutUint32(ph[0:], 1) // PT_LOAD
	le.PutUint32(ph[4:], 5) // R+X
	le.PutUint64(ph[16:], 0x400000)
	le.PutUint64(ph[24:], 0x400000)
	le.PutUint64(ph[32:], total)
	le.PutUint64(ph[40:], total)
	b.Write(ph)
	b.Write(body)
	return b.Bytes()
}

func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// synthUPX has UPX's real markers: the l_info block with "UPX!" right
// after the program headers, the notice string, a compressed (random)
// body and the trailing pack header with "UPX!" again.
func synthUPX() []byte {
	var body bytes.Buffer
	body.Write([]byte{0, 0, 0, 0})
	body.WriteString("UPX!")
	body.Write(make([]byte, 4))
	body.Write(randomBytes(64<<10, 1))
	body.WriteString("$Info: This file is packed with the UPX executable packer http://upx.sf.net $\n")
	body.Write(randomBytes(16<<10, 2))
	body.WriteString("UPX!")
	body.Write(make([]byte, 28))
	return synthELF(body.Bytes())
}

// machoThin is a 64-bit little-endian Mach-O executable with a __text
// section, the dynamic linker, libSystem and undefined symbols (the
// imports, with the C underscore).
func machoThin(cpu uint32, imports []string, text []byte) []byte {
	le := binary.LittleEndian
	var cmds bytes.Buffer
	ncmds := 0
	cmd := func(b []byte) { cmds.Write(b); ncmds++ }
	pad8 := func(s string, fixed int) []byte {
		b := append([]byte(s), 0)
		for (fixed+len(b))%8 != 0 {
			b = append(b, 0)
		}
		return b
	}
	// Sizes first, then offsets.
	dyld := pad8("/usr/lib/dyld", 12)
	lib := pad8("/usr/lib/libSystem.B.dylib", 24)
	cmdsSize := (72 + 80) + (12 + len(dyld)) + (24 + len(lib)) + 24
	textOff := uint32(32 + cmdsSize)
	symOff := textOff + uint32(len(text))
	var strtab bytes.Buffer
	strtab.WriteByte(0)
	var syms bytes.Buffer
	for _, name := range imports {
		e := make([]byte, 16)
		le.PutUint32(e, uint32(strtab.Len()))
		e[4] = 0x01 // N_UNDF | N_EXT
		syms.Write(e)
		strtab.WriteString("_" + name)
		strtab.WriteByte(0)
	}
	strOff := symOff + uint32(syms.Len())

	seg := make([]byte, 72+80)
	le.PutUint32(seg[0:], 0x19)
	le.PutUint32(seg[4:], 72+80)
	copy(seg[8:], "__TEXT")
	le.PutUint64(seg[24:], 0x100000000)
	le.PutUint64(seg[32:], 0x4000)
	le.PutUint64(seg[40:], 0)
	le.PutUint64(seg[48:], uint64(strOff)+uint64(strtab.Len()))
	le.PutUint32(seg[56:], 5)
	le.PutUint32(seg[60:], 5)
	le.PutUint32(seg[64:], 1)
	s := seg[72:]
	copy(s[0:], "__text")
	copy(s[16:], "__TEXT")
	le.PutUint64(s[32:], 0x100000000+uint64(textOff))
	le.PutUint64(s[40:], uint64(len(text)))
	le.PutUint32(s[48:], textOff)
	le.PutUint32(s[64:], 0x80000400)
	cmd(seg)

	d := make([]byte, 12)
	le.PutUint32(d[0:], 0xe)
	le.PutUint32(d[4:], uint32(12+len(dyld)))
	le.PutUint32(d[8:], 12)
	cmd(append(d, dyld...))

	l := make([]byte, 24)
	le.PutUint32(l[0:], 0xc)
	le.PutUint32(l[4:], uint32(24+len(lib)))
	le.PutUint32(l[8:], 24)
	cmd(append(l, lib...))

	st := make([]byte, 24)
	le.PutUint32(st[0:], 0x2)
	le.PutUint32(st[4:], 24)
	le.PutUint32(st[8:], symOff)
	le.PutUint32(st[12:], uint32(len(imports)))
	le.PutUint32(st[16:], strOff)
	le.PutUint32(st[20:], uint32(strtab.Len()))
	cmd(st)

	h := make([]byte, 32)
	le.PutUint32(h[0:], 0xfeedfacf)
	le.PutUint32(h[4:], cpu)
	le.PutUint32(h[8:], 3)
	le.PutUint32(h[12:], 2) // MH_EXECUTE
	le.PutUint32(h[16:], uint32(ncmds))
	le.PutUint32(h[20:], uint32(cmds.Len()))
	out := append(h, cmds.Bytes()...)
	out = append(out, text...)
	out = append(out, syms.Bytes()...)
	return append(out, strtab.Bytes()...)
}

// machoFat wraps thin files in a universal header, 4 KiB aligned.
func machoFat(cpus []uint32, slices [][]byte) []byte {
	be := binary.BigEndian
	h := make([]byte, 8+20*len(slices))
	be.PutUint32(h, 0xcafebabe)
	be.PutUint32(h[4:], uint32(len(slices)))
	out := h
	off := 4096
	for i, s := range slices {
		for len(out) < off {
			out = append(out, 0)
		}
		e := h[8+20*i:]
		be.PutUint32(e, cpus[i])
		be.PutUint32(e[8:], uint32(off))
		be.PutUint32(e[12:], uint32(len(s)))
		be.PutUint32(e[16:], 12)
		out = append(out, s...)
		off = (len(out) + 4095) &^ 4095
	}
	// h was copied into out before the entries were filled in.
	copy(out, h)
	return out
}
