package fit

import (
	"bytes"
	"io"
	"strings"
)

// Image is one image of a FIT: a node of /images and where its data lies.
type Image struct {
	// Name is the node's name ("kernel", "fdt-1", "kernel@1").
	Name string
	// Description, Type and Compression are the node's properties of the
	// same names ("Linux kernel", "kernel", "gzip"), empty when absent.
	Description, Type, Compression string
	// Offset and Size locate the data in the FIT image.
	Offset, Size int64
	// External is true for data behind the tree (data-offset or
	// data-position) rather than inline.
	External bool
}

// FIT is an opened FIT image.
type FIT struct {
	Description string
	Images      []Image
	length      int64
	warnings    []error
}

// Sniff reports whether head, the first bytes of size, starts with a
// device tree header whose structure block, as far as head holds it, has
// an "images" node under the root: FIT images put it first, so a plain
// DTB is not taken for one.
func Sniff(head []byte, size int64) bool {
	h, ok := parseHeader(head, size)
	if !ok || int64(h.offStruct) >= int64(len(head)) {
		return false
	}
	end := min(int64(h.offStruct)+int64(h.sizeStruct), int64(len(head)))
	p := &parser{r: bytes.NewReader(head), pos: int64(h.offStruct), end: end}
	depth := 0
	for range 1000 {
		tok, err := p.u32()
		if err != nil {
			return false
		}
		switch tok {
		case tokBeginNode:
			name, err := p.name()
			if err != nil {
				return false
			}
			if depth == 1 && name == "images" {
				return true
			}
			depth++
		case tokEndNode:
			if depth--; depth < 1 {
				return false
			}
		case tokProp:
			l, err := p.u32()
			if err != nil {
				return false
			}
			p.pos += 4 + (int64(l)+3)&^3
		case tokNop:
		default:
			return false
		}
	}
	return false
}

// Open parses the FIT image of size bytes in r and locates the data of
// every image node. Images whose data lies outside the data are skipped
// and listed by Warnings.
func Open(r io.ReaderAt, size int64) (*FIT, error) {
	root, total, err := ParseFDT(r, size)
	if err != nil {
		return nil, err
	}
	images := root.Child("images")
	if images == nil {
		return nil, ErrNotFIT
	}
	f := &FIT{Description: str(r, root.Prop("description")), length: total}
	external := (total + 3) &^ 3 // data-offset counts from here
	for _, n := range images.Children {
		im := Image{Name: n.Name, Description: str(r, n.Prop("description")),
			Type: str(r, n.Prop("type")), Compression: str(r, n.Prop("compression"))}
		if d := n.Prop("data"); d != nil {
			im.Offset, im.Size = d.Offset, d.Len
		} else {
			ds, okSize := u32(r, n.Prop("data-size"))
			if off, ok := u32(r, n.Prop("data-offset")); ok && okSize {
				im.Offset, im.Size, im.External = external+off, ds, true
			} else if pos, ok := u32(r, n.Prop("data-position")); ok && okSize {
				im.Offset, im.Size, im.External = pos, ds, true
			} else {
				f.warnings = append(f.warnings, errorf(ErrCorrupt, "image %q has no data", n.Name))
				continue
			}
		}
		if im.Offset < 0 || im.Offset+im.Size > size {
			f.warnings = append(f.warnings, errorf(ErrCorrupt, "image %q: %d bytes at %d, past the end (%d)", n.Name, im.Size, im.Offset, size))
			continue
		}
		if im.Size == 0 {
			continue
		}
		f.Images = append(f.Images, im)
		if im.External {
			// mkimage pads each external image to 4 bytes.
			f.length = max(f.length, min((im.Offset+im.Size+3)&^3, size))
		}
	}
	return f, nil
}

// Length returns the bytes the FIT occupies: the tree and any external
// data behind it.
func (f *FIT) Length() int64 { return f.length }

// Warnings returns the image nodes skipped.
func (f *FIT) Warnings() []error { return f.warnings }

// str reads a short string property (at most 256 bytes), NUL-trimmed.
func str(r io.ReaderAt, p *Prop) string {
	if p == nil || p.Len == 0 {
		return ""
	}
	b := make([]byte, min(p.Len, 256))
	n, _ := r.ReadAt(b, p.Offset)
	s := string(b[:n])
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

// u32 reads a one-cell property.
func u32(r io.ReaderAt, p *Prop) (int64, bool) {
	if p == nil || p.Len != 4 {
		return 0, false
	}
	var b [4]byte
	if n, _ := r.ReadAt(b[:], p.Offset); n < 4 {
		return 0, false
	}
	return int64(be.Uint32(b[:])), true
}
