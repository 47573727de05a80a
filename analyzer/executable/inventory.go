package executable

import "sort"

// Binary is one entry of the "binaries" inventory. The first fields keep
// the names the inventory has always had (README "Report inventory").
type Binary struct {
	Path         string   `json:"path"`
	Format       string   `json:"format"`  // "elf", "pe", "macho", "macho-fat"
	Arch         string   `json:"arch"`    // "mips32-le", "arm32-le", "aarch64", "x86-64"
	Type         string   `json:"type"`    // "executable", "shared", "relocatable", "kernel-module", "dll"…
	Linkage      string   `json:"linkage"` // "dynamic" or "static"
	Stripped     bool     `json:"stripped"`
	Size         int64    `json:"size"`
	Capabilities []string `json:"capabilities"` // capability names, sorted; [] when none (so a reader knows they were looked for)
	Packer       string   `json:"packer,omitempty"`
	Go           *GoBuild `json:"go,omitempty"`
	Interp       string   `json:"interp,omitempty"`
	Libraries    int      `json:"libraries,omitempty"` // how many shared libraries it needs
	Endpoints    []string `json:"endpoints,omitempty"` // hard-coded, at most maxInvEndpoints
	StartedBy    string   `json:"started_by,omitempty"`
}

// GoBuild is the Go toolchain and main module of a Go binary.
type GoBuild struct {
	Version string `json:"version,omitempty"`
	Main    string `json:"main,omitempty"`
}

// Bounds on the inventory: a firmware has a few thousand binaries; a
// hostile target must not make the report grow without limit.
const (
	maxInvEndpoints = 10
	maxInvBinaries  = 100000
)

func inventoryEntry(path string, f Fact, startedBy string) Binary {
	info := f.Info
	b := Binary{Path: path, Format: info.Format, Arch: info.Arch, Type: info.Type, Linkage: info.Linkage, Stripped: info.Stripped,
		Size: f.Size, Packer: info.Packer, Interp: info.Interp, Libraries: len(info.Libraries), StartedBy: startedBy,
		Capabilities: []string{}}
	for _, c := range info.Capabilities {
		b.Capabilities = append(b.Capabilities, string(c.Name))
	}
	sort.Strings(b.Capabilities)
	if info.Go != nil {
		b.Go = &GoBuild{Version: info.Go.Version, Main: info.Go.Main}
	}
	for _, e := range info.Endpoints {
		if len(b.Endpoints) >= maxInvEndpoints {
			break
		}
		b.Endpoints = append(b.Endpoints, maskEndpoint(e))
	}
	return b
}
