package inventory

import (
	"bytes"
	"path"
	"strings"
)

// OS is one detected operating system or component version of the "os"
// inventory.
type OS struct {
	Path    string `json:"path"`
	Source  string `json:"source"` // "os-release", "openwrt_release", "etc/version", "busybox", "kernel"...
	Name    string `json:"name,omitempty"`
	ID      string `json:"id,omitempty"`
	Version string `json:"version,omitempty"`
	Detail  string `json:"detail,omitempty"` // PRETTY_NAME, DISTRIB_DESCRIPTION, DISTRIB_REVISION
}

// maxOSFile bounds the release files read: real ones are a few lines.
const maxOSFile = 64 << 10

// osSource names release files by their path inside a file system.
func osSource(name string) string {
	n := strings.ToLower(name)
	dir, base := path.Split(n)
	dir = strings.TrimSuffix(dir, "/")
	inEtc := dir == "etc" || strings.HasSuffix(dir, "/etc")
	switch {
	case base == "os-release" && (inEtc || dir == "usr/lib" || strings.HasSuffix(dir, "/usr/lib")):
		return "os-release"
	case base == "openwrt_release" && inEtc:
		return "openwrt_release"
	case base == "openwrt_version" && inEtc:
		return "openwrt_version"
	case base == "lsb-release" && inEtc:
		return "lsb-release"
	case base == "debian_version" && inEtc:
		return "debian_version"
	case base == "version" && inEtc:
		return "etc/version"
	}
	return ""
}

// ParseRelease reads a release file of the given source.
func ParseRelease(src string, data []byte) (OS, bool) {
	o := OS{Source: src}
	switch src {
	case "os-release":
		kv := keyValues(data)
		o.Name, o.ID, o.Version, o.Detail = kv["NAME"], kv["ID"], kv["VERSION_ID"], kv["PRETTY_NAME"]
		if o.Version == "" {
			o.Version = kv["VERSION"]
		}
	case "openwrt_release", "lsb-release":
		kv := keyValues(data)
		o.Name, o.Version, o.Detail = kv["DISTRIB_ID"], kv["DISTRIB_RELEASE"], kv["DISTRIB_DESCRIPTION"]
		if r := kv["DISTRIB_REVISION"]; r != "" && o.Detail == "" {
			o.Detail = r
		}
		if src == "openwrt_release" && o.Name == "" {
			o.Name = "OpenWrt"
		}
	case "openwrt_version", "debian_version", "etc/version":
		o.Version = firstLine(data)
		switch src {
		case "openwrt_version":
			o.Name = "OpenWrt"
		case "debian_version":
			o.Name = "Debian"
		}
	}
	return o, o.Version != "" || o.Name != ""
}

// keyValues reads KEY=value and KEY="value" lines.
func keyValues(data []byte) map[string]string {
	out := map[string]string{}
	for _, l := range bytes.Split(data, []byte("\n")) {
		k, v, ok := bytes.Cut(bytes.TrimSpace(l), []byte("="))
		if !ok || len(k) == 0 || k[0] == '#' {
			continue
		}
		out[string(k)] = clean(strings.Trim(string(v), `"'`))
	}
	return out
}

func firstLine(data []byte) string {
	for _, l := range bytes.Split(data, []byte("\n")) {
		if s := clean(string(bytes.TrimSpace(l))); s != "" {
			return s
		}
	}
	return ""
}

// clean keeps a value printable and short.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// versionAt reads a version ("1.36.1", "5.15.134-rt") at the start of b.
func versionAt(b []byte) string {
	n := 0
	for n < len(b) && n < 40 {
		c := b[n]
		if c >= '0' && c <= '9' || c == '.' || (n > 0 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '+')) {
			n++
			continue
		}
		break
	}
	v := strings.TrimRight(string(b[:n]), ".-_+")
	if v == "" || v[0] < '0' || v[0] > '9' || !strings.Contains(v, ".") {
		return ""
	}
	return v
}

// busyboxVersion reads "BusyBox v1.36.1 (2024-01-01 ...)" at a hit.
func busyboxVersion(b []byte) string {
	rest, ok := bytes.CutPrefix(b, []byte("BusyBox v"))
	if !ok {
		return ""
	}
	return versionAt(rest)
}

// kernelVersion reads "Linux version 5.15.134 (builder@host) ..." at a
// hit; the " (" after the version is what the kernel's banner always has,
// and what prose about Linux versions rarely does.
func kernelVersion(b []byte) string {
	rest, ok := bytes.CutPrefix(b, []byte("Linux version "))
	if !ok {
		return ""
	}
	v := versionAt(rest)
	if v == "" || !bytes.HasPrefix(rest[len(v):], []byte(" (")) {
		return ""
	}
	return v
}
