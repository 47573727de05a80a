package squashfs

import "encoding/binary"

// BCJ ("branch/call/jump") filters rewrite the relative addresses of call
// instructions into absolute ones before compression, which makes machine
// code compress better; mksquashfs -Xbcj applies them per block, and
// OpenWrt builds its images that way. Decoding converts back. Each
// SquashFS block is its own xz stream, so a whole block is converted in
// one call, with positions counted from the block start; the last bytes
// that cannot hold an instruction stay as they are, as in liblzma.
//
// The conversions follow the public-domain xz-embedded decoder.

// xz filter IDs of the BCJ filters that mksquashfs offers.
const (
	bcjX86      = 0x04
	bcjPowerPC  = 0x05
	bcjIA64     = 0x06
	bcjARM      = 0x07
	bcjARMThumb = 0x08
	bcjSPARC    = 0x09
)

func isBCJ(id uint64) bool { return id >= bcjX86 && id <= bcjSPARC }

// bcjDecode converts buf in place; pos is the stream position of buf[0]
// (the filter's start offset, normally 0).
func bcjDecode(id uint64, buf []byte, pos uint32) {
	switch id {
	case bcjX86:
		bcjDecodeX86(buf, pos)
	case bcjPowerPC:
		for i := 0; i+4 <= len(buf); i += 4 {
			instr := binary.BigEndian.Uint32(buf[i:])
			if instr&0xfc000003 == 0x48000001 { // bl
				addr := (instr&0x03fffffc - (pos + uint32(i))) & 0x03fffffc
				binary.BigEndian.PutUint32(buf[i:], addr|0x48000001)
			}
		}
	case bcjIA64:
		bcjDecodeIA64(buf, pos)
	case bcjARM:
		for i := 0; i+4 <= len(buf); i += 4 {
			if buf[i+3] == 0xeb { // bl
				addr := uint32(buf[i]) | uint32(buf[i+1])<<8 | uint32(buf[i+2])<<16
				addr = (addr<<2 - (pos + uint32(i) + 8)) >> 2
				buf[i], buf[i+1], buf[i+2] = byte(addr), byte(addr>>8), byte(addr>>16)
			}
		}
	case bcjARMThumb:
		for i := 0; i+4 <= len(buf); i += 2 {
			if buf[i+1]&0xf8 == 0xf0 && buf[i+3]&0xf8 == 0xf8 { // bl pair
				addr := uint32(buf[i+1]&7)<<19 | uint32(buf[i])<<11 | uint32(buf[i+3]&7)<<8 | uint32(buf[i+2])
				addr = (addr<<1 - (pos + uint32(i) + 4)) >> 1
				buf[i+1] = 0xf0 | byte(addr>>19)&7
				buf[i] = byte(addr >> 11)
				buf[i+3] = 0xf8 | byte(addr>>8)&7
				buf[i+2] = byte(addr)
				i += 2
			}
		}
	case bcjSPARC:
		for i := 0; i+4 <= len(buf); i += 4 {
			instr := binary.BigEndian.Uint32(buf[i:])
			if instr>>22 == 0x100 || instr>>22 == 0x1ff { // call
				instr = (instr<<2 - (pos + uint32(i))) >> 2
				instr = (0x40000000 - instr&0x400000) | 0x40000000 | instr&0x3fffff
				binary.BigEndian.PutUint32(buf[i:], instr)
			}
		}
	}
}

// x86 calls and jumps (E8/E9) carry a 32-bit operand; the filter only
// converts operands whose top byte is 0x00 or 0xFF (plausible near
// addresses) and tracks recent E8/E9 bytes to skip false matches.
func bcjDecodeX86(buf []byte, pos uint32) {
	allowed := [8]bool{true, true, true, false, true, false, false, false}
	bitNum := [8]uint32{0, 1, 2, 2, 3, 3, 3, 3}
	nearByte := func(b byte) bool { return b == 0x00 || b == 0xff }
	if len(buf) <= 4 {
		return
	}
	prevPos, prevMask := -1, uint32(0)
	for i := 0; i < len(buf)-4; i++ {
		if buf[i]&0xfe != 0xe8 {
			continue
		}
		if d := i - prevPos; d > 3 {
			prevMask = 0
		} else {
			prevMask = (prevMask << (d - 1)) & 7
			if prevMask != 0 && (!allowed[prevMask] || nearByte(buf[i+4-int(bitNum[prevMask])])) {
				prevPos = i
				prevMask = prevMask<<1 | 1
				continue
			}
		}
		prevPos = i
		if !nearByte(buf[i+4]) {
			prevMask = prevMask<<1 | 1
			continue
		}
		src := binary.LittleEndian.Uint32(buf[i+1:])
		var dest uint32
		// Converges in a step or two on any input; the bound only makes
		// that evident.
		for range 8 {
			dest = src - (pos + uint32(i) + 5)
			if prevMask == 0 {
				break
			}
			j := bitNum[prevMask] * 8
			if !nearByte(byte(dest >> (24 - j))) {
				break
			}
			src = dest ^ (1<<(32-j) - 1)
		}
		dest &= 0x01ffffff
		dest |= 0 - dest&0x01000000
		binary.LittleEndian.PutUint32(buf[i+1:], dest)
		i += 4
	}
}

// IA-64 code comes in 16-byte bundles of three 41-bit slots; the template
// (low 5 bits) says which slots may hold branches.
func bcjDecodeIA64(buf []byte, pos uint32) {
	branchTable := [32]uint32{
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		4, 4, 6, 6, 0, 0, 7, 7,
		4, 4, 0, 0, 4, 4, 0, 0,
	}
	for i := 0; i+16 <= len(buf); i += 16 {
		mask := branchTable[buf[i]&0x1f]
		for slot, bitPos := uint32(0), uint32(5); slot < 3; slot, bitPos = slot+1, bitPos+41 {
			if (mask>>slot)&1 == 0 {
				continue
			}
			bytePos, bitRes := int(bitPos>>3), bitPos&7
			var instr uint64
			for j := range 6 {
				instr |= uint64(buf[i+j+bytePos]) << (8 * j)
			}
			norm := instr >> bitRes
			if (norm>>37)&0x0f != 0x05 || (norm>>9)&0x07 != 0 {
				continue
			}
			addr := uint32((norm >> 13) & 0x0fffff)
			addr |= uint32((norm>>36)&1) << 20
			addr = (addr<<4 - (pos + uint32(i))) >> 4
			norm &^= uint64(0x8fffff) << 13
			norm |= uint64(addr&0x0fffff) << 13
			norm |= uint64(addr&0x100000) << (36 - 20)
			instr &= 1<<bitRes - 1
			instr |= norm << bitRes
			for j := range 6 {
				buf[i+j+bytePos] = byte(instr >> (8 * j))
			}
		}
	}
}
