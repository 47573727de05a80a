package exe

import "fmt"

// elfMachines names the ELF e_machine values met in firmware and packages,
// spelled as the inventory spells them (analyzer/inventory keeps its own
// copy so that neither package depends on the other).
var elfMachines = map[uint16]string{
	2: "sparc", 3: "x86", 8: "mips", 10: "mips-rs3", 18: "sparc32plus", 20: "ppc", 21: "ppc", 22: "s390",
	40: "arm", 42: "sh", 43: "sparc", 50: "ia64", 62: "x86-64", 83: "avr", 87: "v850", 88: "m32r", 92: "openrisc",
	94: "xtensa", 106: "blackfin", 164: "hexagon", 183: "aarch64", 189: "microblaze", 195: "arc", 243: "riscv",
	247: "bpf", 258: "loongarch",
}

// archName spells an architecture as machine, word size and byte order
// ("mips32-le"); the few names that already say their word size stand
// alone ("aarch64", "x86-64", "x86").
func archName(name string, is64, bigEndian bool) string {
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

// elfArch names an ELF machine.
func elfArch(machine uint16, is64, bigEndian bool) string {
	name, known := elfMachines[machine]
	if !known {
		name = fmt.Sprintf("em%d", machine)
	}
	return archName(name, is64, bigEndian)
}

// peArch names a PE (COFF) machine.
func peArch(machine uint16) string {
	switch machine {
	case 0x14c:
		return "x86"
	case 0x8664:
		return "x86-64"
	case 0xaa64:
		return "aarch64"
	case 0x1c0, 0x1c2, 0x1c4:
		return "arm32-le"
	case 0x200:
		return "ia64-64-le"
	case 0x5032:
		return "riscv32-le"
	case 0x5064:
		return "riscv64-le"
	case 0x6264:
		return "loongarch64-le"
	case 0x166:
		return "mips32-le"
	}
	return fmt.Sprintf("pe%#x", machine)
}

// Mach-O CPU types (mach/machine.h); the 64-bit ones carry CPU_ARCH_ABI64.
const (
	cpuArch64   = 0x01000000
	cpuX86      = 7
	cpuARM      = 12
	cpuPPC      = 18
	cpuX86_64   = cpuX86 | cpuArch64
	cpuARM64    = cpuARM | cpuArch64
	cpuPPC64    = cpuPPC | cpuArch64
	cpuARM64_32 = cpuARM | 0x02000000
)

// machoArch names a Mach-O CPU type; ok is false for values no Mach-O
// file uses (which is how a Java class file is told from a fat header).
func machoArch(cpu uint32) (name string, ok bool) {
	switch cpu {
	case cpuX86:
		return "x86", true
	case cpuX86_64:
		return "x86-64", true
	case cpuARM:
		return "arm32-le", true
	case cpuARM64:
		return "aarch64", true
	case cpuARM64_32:
		return "arm64_32-le", true
	case cpuPPC:
		return "ppc32-be", true
	case cpuPPC64:
		return "ppc64-be", true
	}
	return fmt.Sprintf("cpu%#x", cpu), false
}

// elfType names an ELF e_type.
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

// KnownMachOCPU reports whether a Mach-O header's CPU type is one real
// Mach-O files use (used to tell Mach-O files from look-alikes).
func KnownMachOCPU(cpu uint32) bool {
	_, ok := machoArch(cpu)
	return ok
}
