package android

import (
	"encoding/binary"
	"io"
	"sort"
)

// Sparse image constants (libsparse's sparse_format.h). Little-endian.
const (
	SparseMagic    = 0xed26ff3a
	sparseHdrSize  = 28
	chunkHdrSize   = 12
	chunkRaw       = 0xcac1
	chunkFill      = 0xcac2
	chunkDontCare  = 0xcac3
	chunkCRC       = 0xcac4
	maxSparseChunk = 1 << 24 // bounds the chunk list kept in memory
)

var le = binary.LittleEndian

// SniffSparse reports whether b starts with a plausible sparse header.
func SniffSparse(b []byte) bool {
	if len(b) < sparseHdrSize || le.Uint32(b) != SparseMagic || le.Uint16(b[4:]) != 1 {
		return false
	}
	fh, ch, bs := le.Uint16(b[8:]), le.Uint16(b[10:]), le.Uint32(b[12:])
	return fh >= sparseHdrSize && ch >= chunkHdrSize && fh <= 1024 && ch <= 1024 && bs > 0 && bs%4 == 0 && bs <= 1<<24
}

// chunk is one output region of a sparse image.
type chunk struct {
	out  int64 // offset in the expanded image
	len  int64
	typ  uint16
	src  int64 // raw: where the data lies in the sparse file
	fill [4]byte
}

// Sparse is an opened sparse image. It is safe for concurrent use.
type Sparse struct {
	r         io.ReaderAt
	BlockSize int64
	Blocks    int64
	chunks    []chunk
	length    int64
}

// OpenSparse reads the header and every chunk header of the sparse image
// of size bytes in r.
func OpenSparse(r io.ReaderAt, size int64) (*Sparse, error) {
	h := make([]byte, sparseHdrSize)
	if n, _ := r.ReadAt(h, 0); n < sparseHdrSize || !SniffSparse(h) {
		return nil, ErrNotAndroid
	}
	fh, ch := int64(le.Uint16(h[8:])), int64(le.Uint16(h[10:]))
	s := &Sparse{r: r, BlockSize: int64(le.Uint32(h[12:])), Blocks: int64(le.Uint32(h[16:]))}
	total := int64(le.Uint32(h[20:]))
	if fh > size || total > size/chunkHdrSize || total > maxSparseChunk {
		return nil, errorf(ErrCorrupt, "%d chunks in %d bytes", total, size)
	}
	pos, out := fh, int64(0)
	c := make([]byte, chunkHdrSize)
	for i := int64(0); i < total; i++ {
		if n, _ := r.ReadAt(c, pos); n < chunkHdrSize {
			return nil, errorf(ErrCorrupt, "chunk %d header past the end", i)
		}
		typ, blocks, tsz := le.Uint16(c), int64(le.Uint32(c[4:])), int64(le.Uint32(c[8:]))
		body := tsz - ch
		if body < 0 || pos+tsz > size {
			return nil, errorf(ErrCorrupt, "chunk %d: size %d at %d of %d", i, tsz, pos, size)
		}
		if out/s.BlockSize+blocks > s.Blocks {
			return nil, errorf(ErrCorrupt, "chunk %d: past the %d blocks declared", i, s.Blocks)
		}
		k := chunk{out: out, len: blocks * s.BlockSize, typ: typ, src: pos + ch}
		var want int64
		switch typ {
		case chunkRaw:
			want = k.len
		case chunkFill:
			want = 4
			if _, err := r.ReadAt(k.fill[:], k.src); err != nil {
				return nil, errorf(ErrCorrupt, "chunk %d: fill value", i)
			}
		case chunkDontCare:
		case chunkCRC:
			want, k.len = 4, 0
		default:
			return nil, errorf(ErrCorrupt, "chunk %d: type %#x", i, typ)
		}
		if body != want {
			return nil, errorf(ErrCorrupt, "chunk %d (%#x): %d data bytes, want %d", i, typ, body, want)
		}
		if k.len > 0 {
			s.chunks = append(s.chunks, k)
		}
		out += k.len
		pos += tsz
	}
	s.length = pos
	return s, nil
}

// Size returns the expanded image's size as the header declares it.
// Blocks no chunk covers read as zeros.
func (s *Sparse) Size() int64 { return s.Blocks * s.BlockSize }

// Length returns how many bytes of the data the sparse image occupies.
func (s *Sparse) Length() int64 { return s.length }

// ReadAt reads the expanded image.
func (s *Sparse) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errorf(ErrCorrupt, "negative offset")
	}
	n := 0
	for len(p) > 0 {
		if off >= s.Size() {
			return n, io.EOF
		}
		i := sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].out+s.chunks[i].len > off })
		var m int
		if i == len(s.chunks) || s.chunks[i].out > off {
			// Not covered: zeros up to the next chunk or the end.
			end := s.Size()
			if i < len(s.chunks) {
				end = s.chunks[i].out
			}
			m = int(min(int64(len(p)), end-off))
			clear(p[:m])
		} else {
			k := &s.chunks[i]
			in := off - k.out
			m = int(min(int64(len(p)), k.len-in))
			switch k.typ {
			case chunkRaw:
				got, err := s.r.ReadAt(p[:m], k.src+in)
				if got < m {
					if err == nil || err == io.EOF {
						err = io.ErrUnexpectedEOF
					}
					return n + got, err
				}
			case chunkFill:
				for j := range m {
					p[j] = k.fill[(in+int64(j))%4]
				}
			default:
				clear(p[:m])
			}
		}
		n += m
		p = p[m:]
		off += int64(m)
	}
	return n, nil
}

// Reader returns the expanded image as a section.
func (s *Sparse) Reader() *io.SectionReader { return io.NewSectionReader(s, 0, s.Size()) }
