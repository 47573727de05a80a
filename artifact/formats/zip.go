package formats

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/klauspost/compress/flate"
)

// zip and zip64 via archive/zip. Members whose data overlap another's are
// refused: that is how overlapping-entry zip bombs multiply one compressed
// kernel into terabytes.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "zip",
		Priority: 40,
		Magic:    [][]byte{[]byte("PK\x03\x04")},
		Detect: func(h []byte, _ int64) bool {
			return bytes.HasPrefix(h, []byte("PK\x03\x04")) || bytes.HasPrefix(h, []byte("PK\x05\x06"))
		},
		Open:       openZip,
		CarveCheck: zipCarveCheck,
	})
}

func openZip(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	zr, err := zip.NewReader(src, src.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return err
	}
	// klauspost's inflate is about twice as fast as the standard library's.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(zr.File))
	for _, f := range zr.File {
		if off, err := f.DataOffset(); err == nil {
			spans = append(spans, span{off, off + int64(f.CompressedSize64), f.Name})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	overlapping := map[string]bool{}
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			overlapping[spans[i].name] = true
		}
	}
	if len(overlapping) > 0 {
		oc.Warn(fmt.Errorf("%w: %d members overlap others' data (an overlapping-entry zip bomb?); they were not examined", artifact.ErrLimit, len(overlapping)))
	}
	for _, f := range zr.File {
		if overlapping[f.Name] {
			continue
		}
		c := artifact.Child{Name: f.Name, Mode: f.Mode(), Size: int64(f.UncompressedSize64)}
		if f.Flags&1 != 0 {
			oc.Warn(fmt.Errorf("member %q is encrypted: not examined", f.Name))
			continue
		}
		switch {
		case c.Mode&fs.ModeSymlink != 0: // the link target is the member's data
			if rc, err := f.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 4096))
				rc.Close()
				c.LinkTarget = string(b)
			}
		case !c.Mode.IsRegular(): // directories and special files: listed only
		case f.Method == zip.Store:
			off, err := f.DataOffset()
			if err != nil {
				oc.Warn(fmt.Errorf("member %q: %w", f.Name, err))
				continue
			}
			c.Section = io.NewSectionReader(src, off, int64(f.CompressedSize64))
		default:
			c.Compressed = int64(f.CompressedSize64)
			c.Stream = f.Open
		}
		if err := emit(c); err != nil {
			return err
		}
	}
	return nil
}

// zipCarveCheck bounds a zip found inside a blob: it looks for the end of
// central directory after the local header, so that a zip followed by other
// data still opens.
func zipCarveCheck(src artifact.Source) (int64, bool) {
	if _, err := zip.NewReader(src, src.Size()); err == nil {
		return src.Size(), true // its directory is at the end of what is left
	}
	const window = 64 << 20
	limit := min(src.Size(), window)
	buf := make([]byte, 1<<20)
	for pos := int64(0); pos < limit; pos += int64(len(buf)) - 22 {
		n, _ := src.ReadAt(buf, pos)
		if n < 22 {
			break
		}
		for i := 0; ; {
			j := bytes.Index(buf[i:n], []byte("PK\x05\x06"))
			if j < 0 || i+j+22 > n {
				break
			}
			at := i + j
			comment := int64(binary.LittleEndian.Uint16(buf[at+20:]))
			end := pos + int64(at) + 22 + comment
			if end <= src.Size() {
				if _, err := zip.NewReader(io.NewSectionReader(src, 0, end), end); err == nil {
					return end, true
				}
			}
			i = at + 4
		}
	}
	return 0, false
}
