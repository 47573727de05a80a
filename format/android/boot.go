package android

import (
	"bytes"
	"io"
)

// BootMagic starts every boot image header.
const BootMagic = "ANDROID!"

// v3PageSize is the fixed page size of header versions 3 and 4.
const v3PageSize = 4096

// Section is one image inside a boot image.
type Section struct {
	Name   string // kernel, ramdisk, second, recovery_dtbo, dtb, signature
	Offset int64
	Size   int64
}

// Boot is an opened boot image.
type Boot struct {
	Version  uint32
	PageSize int64
	// Name and Cmdline are the header's board name and kernel command
	// line, NUL-trimmed.
	Name, Cmdline string
	Sections      []Section
	length        int64
	warnings      []error
}

// SniffBoot reports whether b starts with a boot image header whose page
// size is plausible.
func SniffBoot(b []byte) bool {
	if len(b) < 48 || string(b[:8]) != BootMagic {
		return false
	}
	if v := le.Uint32(b[40:]); v == 3 || v == 4 {
		return true
	}
	return validPage(le.Uint32(b[36:]))
}

func validPage(p uint32) bool { return p >= 2048 && p <= 1<<17 && p&(p-1) == 0 }

func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// OpenBoot reads the header of the boot image of size bytes in r and
// lays out its sections. Sections that do not fit in the data are cut
// short (a truncated dump) and listed by Warnings.
func OpenBoot(r io.ReaderAt, size int64) (*Boot, error) {
	h := make([]byte, 1664) // the largest header, v2's
	n, _ := r.ReadAt(h, 0)
	h = h[:n]
	if !SniffBoot(h) {
		return nil, ErrNotAndroid
	}
	b := &Boot{Version: le.Uint32(h[40:])}
	var sizes []struct {
		name string
		size uint32
	}
	add := func(name string, off int) {
		if off+4 <= len(h) {
			sizes = append(sizes, struct {
				name string
				size uint32
			}{name, le.Uint32(h[off:])})
		}
	}
	switch b.Version {
	case 3, 4:
		b.PageSize = v3PageSize
		if len(h) < 1580 {
			return nil, errorf(ErrCorrupt, "v%d header cut short", b.Version)
		}
		b.Cmdline = cstr(h[44:1580])
		add("kernel", 8)
		add("ramdisk", 12)
		if b.Version == 4 {
			add("signature", 1580)
		}
	default:
		b.PageSize = int64(le.Uint32(h[36:]))
		if len(h) < 608 {
			return nil, errorf(ErrCorrupt, "header cut short")
		}
		b.Name, b.Cmdline = cstr(h[48:64]), cstr(h[64:576])
		add("kernel", 8)
		add("ramdisk", 16)
		add("second", 24)
		switch b.Version {
		case 0:
		case 1, 2:
			add("recovery_dtbo", 1632)
			if b.Version == 2 {
				add("dtb", 1648)
			}
		default:
			// Qualcomm's header keeps a device-tree table's size here
			// (unused[0] in the original header).
			sizes = append(sizes, struct {
				name string
				size uint32
			}{"dt", b.Version})
			b.Version = 0
		}
	}
	off := b.PageSize // the header takes one page
	for _, s := range sizes {
		if s.size == 0 {
			continue
		}
		if off >= size {
			b.warnings = append(b.warnings, errorf(ErrCorrupt, "%s (%d bytes) past the end", s.name, s.size))
			break
		}
		sz := int64(s.size)
		if off+sz > size {
			b.warnings = append(b.warnings, errorf(ErrCorrupt, "%s cut short: %d of %d bytes", s.name, size-off, sz))
			sz = size - off
		}
		b.Sections = append(b.Sections, Section{Name: s.name, Offset: off, Size: sz})
		off += (int64(s.size) + b.PageSize - 1) / b.PageSize * b.PageSize
	}
	b.length = min(off, size)
	return b, nil
}

// Length returns how many bytes of the data the boot image occupies:
// the header page and every section, page-aligned.
func (b *Boot) Length() int64 { return b.length }

// Warnings returns the sections cut short.
func (b *Boot) Warnings() []error { return b.warnings }
