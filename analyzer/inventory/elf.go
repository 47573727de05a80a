package inventory

import (
	"encoding/binary"
	"fmt"
)

// Binary is one executable or shared object of the "binaries" inventory.
type Binary struct {
	Path     string `json:"path"`
	Arch     string `json:"arch"`    // "mips32-le", "arm32-le", "aarch64", "x86-64"
	Type     string `json:"type"`    // "executable", "shared", "relocatable", "core"
	Linkage  string `json:"linkage"` // "dynamic" (has PT_INTERP) or "static"
	Stripped bool   `json:"stripped"`
	Size     int64  `json:"size"`
}

// Bounds on the tables read from one ELF header: real files have a few
// dozen entries; a lying header must not make us read megabytes.
const (
	maxPhnum = 512
	maxShnum = 4096
)

// machines names the e_machine values met in firmware and packages.
var machines = map[uint16]string{
	2: "sparc", 3: "x86", 8: "mips", 10: "mips-rs3", 18: "sparc32plus", 20: "ppc", 21: "ppc", 22: "s390",
	40: "arm", 42: "sh", 43: "sparc", 50: "ia64", 62: "x86-64", 83: "avr", 87: "v850", 88: "m32r", 92: "openrisc",
	94: "xtensa", 106: "blackfin", 164: "hexagon", 183: "aarch64", 189: "microblaze", 195: "arc", 243: "riscv",
	247: "bpf", 258: "loongarch",
}

// readAt is how the header parser reads the entry: bounded windows.
type readAt func(off int64, n int) []byte

// ParseELF reads what the inventory needs from an ELF file's headers:
// architecture, type, linkage (a PT_INTERP program header means the
// dynamic loader is used) and whether a symbol table (.symtab) is left.
// ok is false when the header is not a usable ELF header.
func ParseELF(read readAt, size int64) (b Binary, ok bool) {
	h := read(0, 64)
	if len(h) < 52 || string(h[:4]) != "\x7fELF" || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2) {
		return b, false
	}
	is64 := h[4] == 2
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	if is64 && len(h) < 64 {
		return b, false
	}
	etype, machine := bo.Uint16(h[16:]), bo.Uint16(h[18:])
	var phoff, shoff uint64
	var phentsize, phnum, shentsize, shnum uint16
	if is64 {
		phoff, shoff = bo.Uint64(h[32:]), bo.Uint64(h[40:])
		phentsize, phnum, shentsize, shnum = bo.Uint16(h[54:]), bo.Uint16(h[56:]), bo.Uint16(h[58:]), bo.Uint16(h[60:])
	} else {
		phoff, shoff = uint64(bo.Uint32(h[28:])), uint64(bo.Uint32(h[32:]))
		phentsize, phnum, shentsize, shnum = bo.Uint16(h[42:]), bo.Uint16(h[44:]), bo.Uint16(h[46:]), bo.Uint16(h[48:])
	}
	b = Binary{Arch: archName(machine, is64, h[5] == 2), Type: elfType(etype), Linkage: "static", Stripped: true, Size: size}
	// Program headers: p_type is the first word in both classes.
	if phoff > 0 && phentsize >= 4 && phnum > 0 && phnum <= maxPhnum && phoff < uint64(size) {
		tab := read(int64(phoff), int(phentsize)*int(phnum))
		for i := 0; i+4 <= len(tab); i += int(phentsize) {
			if bo.Uint32(tab[i:]) == 3 { // PT_INTERP
				b.Linkage = "dynamic"
				break
			}
		}
	}
	// Section headers: sh_type is the second word in both classes.
	if shoff > 0 && shentsize >= 8 && shnum > 0 && shnum <= maxShnum && shoff < uint64(size) {
		tab := read(int64(shoff), int(shentsize)*int(shnum))
		for i := 0; i+8 <= len(tab); i += int(shentsize) {
			if bo.Uint32(tab[i+4:]) == 2 { // SHT_SYMTAB
				b.Stripped = false
				break
			}
		}
	}
	return b, true
}

// archName spells an architecture as machine, word size and byte order
// ("mips32-le"); the few names that already say their word size stand
// alone ("aarch64", "x86-64", "x86").
func archName(machine uint16, is64, bigEndian bool) string {
	name, known := machines[machine]
	if !known {
		name = fmt.Sprintf("em%d", machine)
	}
	switch name {
	case "x86", "x86-64":
		return name
	case "aarch64":
		if bigEndian {
			return "aarch64-be"
		}
		return name
	}
	bits, order := 32, "le"
	if is64 {
		bits = 64
	}
	if bigEndian {
		order = "be"
	}
	return fmt.Sprintf("%s%d-%s", name, bits, order)
}

func elfType(t uint16) string {
	switch t {
	case 1:
		return "relocatable"
	case 2:
		return "executable"
	case 3:
		return "shared"
	case 4:
		return "core"
	}
	return fmt.Sprintf("type%d", t)
}
