package jffs2

import (
	"bytes"
	"compress/zlib"
	"container/heap"
	"encoding/binary"
	"io"
	"sort"

	"github.com/doorman-sec/doorman/format/lzo"
	"github.com/ulikunitz/xz/lzma"
)

// segment is a range of a file served by one data node (nil: a hole).
type segment struct {
	start, end int64
	node       *inodeNode
}

// Open returns a reader of f's content: f.Size bytes assembled from its
// data nodes, the newest version winning where nodes overlap, holes read
// as zeros. A node that fails its data CRC or does not decompress makes
// Read fail with an ErrCorrupt or ErrUnsupported error.
func (im *Image) Open(f *File) (io.Reader, error) {
	nodes := im.inodes[f.Ino]
	return &reader{im: im, segs: layout(nodes, f.Size), size: f.Size}, nil
}

// layout resolves overlapping data nodes into the segments of a file of
// size bytes: a sweep over nodes sorted by offset with a heap of the live
// ones by version, O(n log n) however the nodes overlap.
func layout(nodes []*inodeNode, size int64) []segment {
	sorted := make([]*inodeNode, 0, len(nodes))
	for _, n := range nodes {
		if n.dsize > 0 && int64(n.offset) < size {
			sorted = append(sorted, n)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].offset < sorted[j].offset })
	var segs []segment
	live := &byVersion{}
	i := 0
	for p := int64(0); p < size; {
		for i < len(sorted) && int64(sorted[i].offset) <= p {
			if sorted[i].end() > p {
				heap.Push(live, sorted[i])
			}
			i++
		}
		for live.Len() > 0 && (*live)[0].end() <= p {
			heap.Pop(live)
		}
		next := size
		if i < len(sorted) {
			next = min(next, int64(sorted[i].offset))
		}
		if live.Len() == 0 {
			p = next // a hole up to the next node
			continue
		}
		top := (*live)[0]
		q := min(top.end(), next)
		if n := len(segs); n > 0 && segs[n-1].node == top && segs[n-1].end == p {
			segs[n-1].end = q
		} else {
			segs = append(segs, segment{p, q, top})
		}
		p = q
	}
	return segs
}

type byVersion []*inodeNode

func (h byVersion) Len() int           { return len(h) }
func (h byVersion) Less(i, j int) bool { return h[i].version > h[j].version }
func (h byVersion) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *byVersion) Push(x any)        { *h = append(*h, x.(*inodeNode)) }
func (h *byVersion) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// reader streams a file segment by segment, unpacking one node at a time.
type reader struct {
	im     *Image
	segs   []segment
	size   int64
	pos    int64
	cached *inodeNode
	data   []byte
	err    error
}

func (r *reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.pos >= r.size {
		return 0, io.EOF
	}
	for len(r.segs) > 0 && r.segs[0].end <= r.pos {
		r.segs = r.segs[1:]
	}
	// Up to the next segment (or the end) the file is a hole.
	if len(r.segs) == 0 || r.segs[0].start > r.pos {
		end := r.size
		if len(r.segs) > 0 {
			end = r.segs[0].start
		}
		n := int(min(int64(len(p)), end-r.pos))
		clear(p[:n])
		r.pos += int64(n)
		return n, nil
	}
	s := r.segs[0]
	if r.cached != s.node {
		d, err := r.im.unpack(s.node)
		if err != nil {
			r.err = err
			return 0, err
		}
		r.cached, r.data = s.node, d
	}
	from := r.pos - int64(s.node.offset)
	n := copy(p, r.data[from:s.end-int64(s.node.offset)])
	r.pos += int64(n)
	return n, nil
}

// unpack reads and decompresses one data node to exactly dsize bytes.
func (im *Image) unpack(n *inodeNode) ([]byte, error) {
	out := make([]byte, n.dsize)
	if n.compr == comprZero {
		return out, nil
	}
	in := make([]byte, n.csize)
	if got, _ := im.r.ReadAt(in, n.dataOff); got < len(in) {
		return nil, errorf(ErrCorrupt, "data node at 0x%x: truncated", n.dataOff-inodeSize)
	}
	if crc(in) != n.dataCRC {
		return nil, errorf(ErrCorrupt, "data node at 0x%x: data CRC mismatch", n.dataOff-inodeSize)
	}
	var err error
	switch n.compr {
	case comprNone:
		if len(in) < len(out) {
			err = errorf(ErrCorrupt, "%d stored bytes for %d", len(in), len(out))
		}
		copy(out, in)
	case comprRtime:
		err = rtime(out, in)
	case comprZlib:
		err = readFull(zlib.NewReader(bytes.NewReader(in)))(out)
	case comprLZO:
		var got int
		if got, err = lzo.Decompress(out, in); err == nil && got != len(out) {
			err = errorf(ErrCorrupt, "lzo gave %d bytes for %d", got, len(out))
		}
	case comprLZMA:
		err = unlzma(out, in)
	case comprRubin, comprDynrubin, comprCopy:
		return nil, errorf(ErrUnsupported, "data node at 0x%x: compressor %d (rubin)", n.dataOff-inodeSize, n.compr)
	default:
		return nil, errorf(ErrUnsupported, "data node at 0x%x: unknown compressor %d", n.dataOff-inodeSize, n.compr)
	}
	if err != nil {
		return nil, errorf(ErrCorrupt, "data node at 0x%x: %v", n.dataOff-inodeSize, err)
	}
	return out, nil
}

// readFull adapts a decoder constructor's result to "fill out exactly".
func readFull[R io.Reader](r R, err error) func([]byte) error {
	return func(out []byte) error {
		if err != nil {
			return err
		}
		_, err := io.ReadFull(r, out)
		return err
	}
}

// lzmaProps is the properties byte of the jffs2 lzma compressor: lc=0,
// lp=0, pb=0 ((pb*5+lp)*9+lc), with an 8 KiB dictionary. See OpenWrt's
// target/linux/generic/pending-*/530-jffs2_make_lzma_available.patch and
// U-Boot's fs/jffs2/compr_lzma.c
// (https://github.com/u-boot/u-boot/blob/master/fs/jffs2/compr_lzma.c).
const (
	lzmaProps = 0
	lzmaDict  = 0x2000
)

// unlzma decodes the headerless LZMA of a jffs2 lzma node by giving the
// decoder the 13-byte header the compressor leaves out.
func unlzma(out, in []byte) error {
	hdr := make([]byte, 13, 13+len(in))
	hdr[0] = lzmaProps
	binary.LittleEndian.PutUint32(hdr[1:], lzmaDict)
	binary.LittleEndian.PutUint64(hdr[5:], uint64(len(out)))
	return readFull(lzma.NewReader(bytes.NewReader(append(hdr, in...))))(out)
}

// rtime is the kernel's jffs2_rtime_decompress with bounds checks: each
// byte is followed by a count of bytes to copy from after that byte's
// previous occurrence.
func rtime(out, in []byte) error {
	var positions [256]int
	pos, outpos := 0, 0
	for outpos < len(out) {
		if pos+2 > len(in) {
			return errorf(ErrCorrupt, "rtime: input ends")
		}
		value := in[pos]
		repeat := int(in[pos+1])
		pos += 2
		out[outpos] = value
		outpos++
		back := positions[value]
		positions[value] = outpos
		if outpos+repeat > len(out) {
			return errorf(ErrCorrupt, "rtime: run past the end")
		}
		for ; repeat > 0; repeat-- { // may overlap: byte by byte
			out[outpos] = out[back]
			outpos++
			back++
		}
	}
	return nil
}
