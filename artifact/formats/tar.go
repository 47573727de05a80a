package formats

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
)

// tar (ustar, GNU, PAX, sparse) via archive/tar. Plain members are handed
// on as sections of the archive, without copying; sparse members are read
// through the tar reader, which expands their holes.
func init() {
	artifact.Register(&artifact.Format{
		Kind:        "tar",
		Priority:    20, // magic at 257: formats with magic at 0 go first
		Magic:       [][]byte{[]byte("ustar")},
		MagicOffset: 257,
		Detect:      tarHeaderOK,
		Open:        openTar,
		CarveCheck:  tarExtent,
	})
}

// tarExtent returns where a tar found by carving ends, so that carving does
// not look inside its members again (they are examined as members).
func tarExtent(src artifact.Source) (int64, bool) {
	pr := &posReader{r: io.NewSectionReader(src, 0, src.Size())}
	tr := tar.NewReader(pr)
	n := 0
	for ; n < 1_000_000; n++ {
		if _, err := tr.Next(); err != nil {
			break
		}
	}
	return min(pr.pos+1024, src.Size()), n > 0
}

// tarHeaderOK accepts a header block whose checksum is right (v7 archives
// have no magic, so the checksum is the only reliable test).
func tarHeaderOK(h []byte, _ int64) bool {
	if len(h) < 512 {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(h[148:156], " \x00"), " \x00")
	want, err := strconv.ParseInt(string(field), 8, 64)
	if err != nil || len(field) == 0 {
		return false
	}
	var unsigned int64
	for i, c := range h[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
	}
	if unsigned != want {
		return false
	}
	// An all-zero name with a valid checksum is not an archive worth opening.
	return h[0] != 0
}

// posReader tracks the offset archive/tar has consumed, so that after
// Next() we know where the member's data starts.
type posReader struct {
	r   *io.SectionReader
	pos int64
}

func (p *posReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.pos += int64(n)
	return n, err
}

func (p *posReader) Seek(off int64, whence int) (int64, error) {
	n, err := p.r.Seek(off, whence)
	if err == nil {
		p.pos = n
	}
	return n, err
}

func openTar(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	pr := &posReader{r: io.NewSectionReader(src, 0, src.Size())}
	tr := tar.NewReader(pr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return errors.New("truncated archive: " + err.Error())
			}
			return err
		}
		c := artifact.Child{Name: h.Name, Mode: tarMode(h), Size: h.Size, LinkTarget: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeChar, tar.TypeBlock, tar.TypeFifo, tar.TypeDir, tar.TypeSymlink, tar.TypeGNUSparse, tar.TypeCont:
		case tar.TypeLink:
			// A hard link has no data of its own: list it like a symlink.
			c.Mode = fs.ModeSymlink | 0o777
		default:
			continue // PAX globals, GNU volume headers and other metadata
		}
		if c.Mode.IsRegular() {
			if isSparse(h) {
				c.Stream = func() (io.ReadCloser, error) { return nopCloser{tr}, nil }
				// Holes cost nothing to store: a 2 KiB tar can declare a
				// 512 GiB sparse member. What remains of the archive bounds
				// the stored data, so the ratio limit applies.
				c.Compressed = max(512, src.Size()-pr.pos)
			} else {
				if pr.pos+h.Size > src.Size() {
					oc.Warn(errors.New("truncated archive: member " + strconv.Quote(h.Name) + " runs past the end"))
					c.Size = max(0, src.Size()-pr.pos)
				}
				c.Section = io.NewSectionReader(src, pr.pos, c.Size)
			}
		}
		if err := emit(c); err != nil {
			return err
		}
	}
}

func isSparse(h *tar.Header) bool {
	if h.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

func tarMode(h *tar.Header) fs.FileMode {
	m := fs.FileMode(h.Mode) & fs.ModePerm
	if h.Mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if h.Mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if h.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	switch h.Typeflag {
	case tar.TypeDir:
		m |= fs.ModeDir
	case tar.TypeSymlink:
		m |= fs.ModeSymlink
	case tar.TypeChar:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case tar.TypeBlock:
		m |= fs.ModeDevice
	case tar.TypeFifo:
		m |= fs.ModeNamedPipe
	}
	return m
}
