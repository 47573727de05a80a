// Package exe says what an executable is and what it is able to do,
// whatever its format and architecture: ELF (every machine, both byte
// orders, static or dynamic, stripped or not, shared objects and kernel
// modules), PE and Mach-O (thin and fat), with Go build information and
// linked packages where present. Capabilities come from imports, symbols,
// strings, linked Go packages and device paths, each with its evidence.
//
// The package judges nothing: deciding which combination of capabilities is
// a backdoor, given where a binary lives and what starts it, is the
// executable analyzer's job (analyzer/executable).
package exe

// Info is what Parse learned about one executable. Every list is bounded
// (a hostile file cannot make it grow without limit) and sorted.
type Info struct {
	Format string `json:"format"` // "elf", "pe", "macho", "macho-fat"
	// Arch uses the inventory's spellings: machine, word size and byte
	// order ("mips32-le", "arm32-le", "ppc32-be", "riscv64-le") or the name
	// alone where it says its size ("aarch64", "x86-64", "x86"). A fat
	// Mach-O lists its slices joined by "+".
	Arch string `json:"arch"`
	// Type is "executable", "shared", "relocatable", "kernel-module",
	// "core" (ELF); "executable", "dll", "driver" (PE); "executable",
	// "dylib", "bundle" (Mach-O).
	Type     string `json:"type"`
	Linkage  string `json:"linkage"` // "dynamic" or "static"
	Stripped bool   `json:"stripped"`
	Interp   string `json:"interp,omitempty"` // ELF PT_INTERP
	// Libraries are the shared libraries it needs (DT_NEEDED, PE import
	// DLLs lower-cased, Mach-O load commands).
	Libraries []string `json:"libraries,omitempty"`
	// Imports are the names of imported functions without decoration
	// ("socket", "execve", "CreateProcessA", "_system" is "system").
	Imports []string `json:"imports,omitempty"`
	// Go is set for Go binaries, stripped ones included.
	Go *GoInfo `json:"go,omitempty"`
	// Sections with their Shannon entropy in bits per byte (0..8).
	Sections []Section `json:"sections,omitempty"`
	// Packer names a recognised packer ("upx") or says "high-entropy"
	// when executable content is packed by something unnamed.
	Packer string `json:"packer,omitempty"`
	// Capabilities are what the binary is able to do, each with evidence.
	Capabilities []Capability `json:"capabilities,omitempty"`
	// Endpoints are hard-coded remote endpoints in its strings: URLs,
	// IPv4/IPv6 addresses and host:port pairs (documentation ranges and
	// loopback left out).
	Endpoints []string `json:"endpoints,omitempty"`
	// Warnings say what was malformed (a lying header, a truncated table);
	// parsing goes on with what could be read.
	Warnings []string `json:"warnings,omitempty"`
}

// GoInfo is what a Go binary says about its build.
type GoInfo struct {
	Version  string   `json:"version,omitempty"`  // "go1.22.3"
	Main     string   `json:"main,omitempty"`     // main module path
	Modules  []Module `json:"modules,omitempty"`  // dependencies from build info
	Packages []string `json:"packages,omitempty"` // linked packages (from pclntab), bounded
}

// Module is one Go module dependency.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
}

// Section is one section (ELF/PE/Mach-O) with its size and entropy.
type Section struct {
	Name    string  `json:"name"`
	Size    int64   `json:"size"`
	Entropy float64 `json:"entropy"`
	Exec    bool    `json:"exec,omitempty"`
}

// Capability is one thing a binary can do and why we think so.
type Capability struct {
	Name CapName `json:"name"`
	// Evidence says where each reason came from, prefixed by its source:
	// "import:socket", "symbol:bind", "string:/dev/video0",
	// "gopkg:net/http", "syscall:ptrace". At most a few per capability.
	Evidence []string `json:"evidence"`
}

// CapName is a capability from a closed list.
type CapName string

// Capabilities.
const (
	CapNetListen     CapName = "net-listen"         // bind/listen/accept, net.Listen
	CapNetConnect    CapName = "net-connect"        // connect, HTTP clients, net.Dial
	CapRawSocket     CapName = "raw-socket"         // SOCK_RAW, AF_PACKET
	CapPacketFilter  CapName = "packet-filter"      // SO_ATTACH_FILTER, BPF programs
	CapExec          CapName = "exec"               // exec*, system, popen, CreateProcess, os/exec
	CapShell         CapName = "shell"              // references a shell ("/bin/sh -c", "/bin/bash -i", cmd.exe)
	CapDupFD         CapName = "dup-fd"             // dup2/dup3: descriptors redirected (bind/reverse shells)
	CapCamera        CapName = "camera"             // V4L2 ioctls, /dev/video*, AVFoundation, DirectShow
	CapMicrophone    CapName = "microphone"         // ALSA, /dev/snd, /dev/dsp, PulseAudio, CoreAudio, waveIn
	CapScreen        CapName = "screen-capture"     // /dev/fb0 reads, XGetImage, BitBlt, CGDisplay
	CapInput         CapName = "input-capture"      // /dev/input/event*, keyboard hooks
	CapCredentials   CapName = "credential-read"    // /etc/shadow, keychains, browser stores
	CapPersistence   CapName = "persistence"        // init scripts, cron, rc.local, systemd units, Run keys
	CapSelfUpdate    CapName = "self-update"        // download + chmod + exec
	CapMasquerade    CapName = "process-masquerade" // prctl(PR_SET_NAME), argv[0] rewriting
	CapAntiDebug     CapName = "anti-debug"         // ptrace(PTRACE_TRACEME), IsDebuggerPresent
	CapStringCompare CapName = "string-compare"     // strcmp/strncmp/memcmp imports (for hidden-credential shapes)
)
