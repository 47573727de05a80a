package ubi

import (
	"io"
)

// Volume is one user volume, its LEBs in order.
type Volume struct {
	im   *Image
	ID   uint32
	Name string
	// Type is Dynamic or Static, from the volume-id headers.
	Type uint8
	// LEBSize is the data each LEB holds (the PEB's data area less the
	// volume's alignment padding).
	LEBSize int64
	lebs    map[uint32]leb
	bytes   int64
}

// size works out the type, LEB size and byte size of the volume. A
// dynamic volume reaches to the end of its highest mapped LEB; a static
// one holds what its headers declare, bounded the same way.
func (v *Volume) size() {
	var top leb
	var topN uint32
	first := true
	for n, l := range v.lebs {
		if first || n > topN {
			top, topN, first = l, n, false
		}
	}
	if first {
		return
	}
	v.Type = top.vid.volType
	v.LEBSize = top.lebSize - int64(top.vid.dataPad)
	// LEBs whose geometry disagrees with the top one cannot be placed.
	for n, l := range v.lebs {
		if l.lebSize-int64(l.vid.dataPad) != v.LEBSize {
			delete(v.lebs, n)
		}
	}
	v.bytes = int64(topN+1) * v.LEBSize
	if v.Type == Static && top.vid.usedEBs == topN+1 && int64(top.vid.dataSize) <= v.LEBSize {
		v.bytes = int64(topN)*v.LEBSize + int64(top.vid.dataSize)
	}
}

// Size returns the volume's size in bytes.
func (v *Volume) Size() int64 { return v.bytes }

// LEBs returns how many LEBs of the volume are mapped.
func (v *Volume) LEBs() int { return len(v.lebs) }

// ReadAt reads the volume's bytes at off. Unmapped LEBs read as 0xFF.
func (v *Volume) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errorf(ErrCorrupt, "negative offset")
	}
	n := 0
	for len(p) > 0 {
		if off >= v.bytes {
			return n, io.EOF
		}
		lnum, in := off/v.LEBSize, off%v.LEBSize
		chunk := p[:min(int64(len(p)), v.LEBSize-in, v.bytes-off)]
		if l, ok := v.lebs[uint32(lnum)]; ok {
			m, err := v.im.r.ReadAt(chunk, l.dataOff+in)
			n += m
			if m < len(chunk) {
				if err == nil || err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return n, err
			}
		} else {
			for i := range chunk {
				chunk[i] = 0xff
			}
			n += len(chunk)
		}
		p = p[len(chunk):]
		off += int64(len(chunk))
	}
	return n, nil
}

// Reader returns the volume as a section, for io.Reader and io.Seeker.
func (v *Volume) Reader() *io.SectionReader { return io.NewSectionReader(v, 0, v.bytes) }
