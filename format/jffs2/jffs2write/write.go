// Package jffs2write builds small JFFS2 images in code, for the tests of
// the jffs2 reader and of the formats that carve it. It writes what
// mkfs.jffs2 writes (a cleanmarker per erase block, a dirent and inode
// nodes per entry, data nodes of a page each), with a choice of byte order
// and compressor, including lzma, which Debian's mkfs.jffs2 lacks.
package jffs2write

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path"
	"sort"

	"github.com/ulikunitz/xz/lzma"
)

// Entry is one file, directory, symlink or device of an image.
type Entry struct {
	Path string // slash-separated, no leading slash
	Mode fs.FileMode
	Data []byte
	Link string
}

// Compressor codes of jffs2_raw_inode.compr.
const (
	None  = 0
	Zero  = 1 // never chosen for data; a hole
	Rtime = 2
	Zlib  = 6
	LZMA  = 8
)

// Options choose the layout. Zero values: little-endian, stored data
// (None), 4 KiB pages, 64 KiB erase blocks with cleanmarkers.
type Options struct {
	BigEndian      bool
	Compressor     byte
	PageSize       int
	EraseBlock     int
	NoCleanmarkers bool
}

func crc(b []byte) uint32 { return ^crc32.Update(0xffffffff, crc32.IEEETable, b) }

type writer struct {
	bo  binary.ByteOrder
	opt Options
	buf bytes.Buffer
}

// Write returns the image of entries; parent directories are added.
func Write(entries []Entry, opt Options) ([]byte, error) {
	if opt.PageSize == 0 {
		opt.PageSize = 4096
	}
	if opt.EraseBlock == 0 {
		opt.EraseBlock = 64 << 10
	}
	w := &writer{bo: binary.LittleEndian, opt: opt}
	if opt.BigEndian {
		w.bo = binary.BigEndian
	}
	entries = withDirs(entries)
	inos := map[string]uint32{"": 1}
	for i, e := range entries {
		inos[e.Path] = uint32(i + 2)
	}
	for _, e := range entries {
		ino := inos[e.Path]
		dir := path.Dir(e.Path)
		if dir == "." {
			dir = ""
		}
		if err := w.dirent(inos[dir], ino, path.Base(e.Path), e.Mode); err != nil {
			return nil, err
		}
		if err := w.inode(ino, e); err != nil {
			return nil, err
		}
	}
	return w.buf.Bytes(), nil
}

// NodeCRC exposes the JFFS2 CRC for tests that forge nodes.
func NodeCRC(b []byte) uint32 { return crc(b) }

// Header builds a 12-byte node header with a valid header CRC.
func Header(bo binary.ByteOrder, nodetype uint16, totlen uint32) []byte {
	h := make([]byte, 12)
	bo.PutUint16(h, 0x1985)
	bo.PutUint16(h[2:], nodetype)
	bo.PutUint32(h[4:], totlen)
	bo.PutUint32(h[8:], crc(h[:8]))
	return h
}

// node appends one node, starting a new erase block (with its
// cleanmarker) when it would not fit in the current one.
func (w *writer) node(b []byte) {
	eb := w.opt.EraseBlock
	if w.buf.Len()%eb+len(b) > eb || w.buf.Len() == 0 {
		if w.buf.Len() > 0 {
			w.buf.Write(bytes.Repeat([]byte{0xff}, eb-w.buf.Len()%eb))
		}
		if !w.opt.NoCleanmarkers {
			w.buf.Write(Header(w.bo, 0x2003, 12))
		}
	}
	w.buf.Write(b)
	for w.buf.Len()%4 != 0 {
		w.buf.WriteByte(0)
	}
}

func (w *writer) dirent(pino, ino uint32, name string, m fs.FileMode) error {
	if len(name) > 255 {
		return fmt.Errorf("name %q too long", name)
	}
	b := make([]byte, 40+len(name))
	copy(b, Header(w.bo, 0xe001, uint32(len(b))))
	w.bo.PutUint32(b[12:], pino)
	w.bo.PutUint32(b[16:], 1) // version
	w.bo.PutUint32(b[20:], ino)
	w.bo.PutUint32(b[24:], 1704067200)
	b[28] = byte(len(name))
	b[29] = dtype(m)
	w.bo.PutUint32(b[32:], crc(b[:32]))
	w.bo.PutUint32(b[36:], crc([]byte(name)))
	copy(b[40:], name)
	w.node(b)
	return nil
}

// InodeNode builds one jffs2_raw_inode node with valid CRCs around data
// that is already compressed with compr.
func InodeNode(bo binary.ByteOrder, ino, version, mode, isize, offset, dsize uint32, compr byte, data []byte) []byte {
	b := make([]byte, 68+len(data))
	copy(b, Header(bo, 0xe002, uint32(len(b))))
	bo.PutUint32(b[12:], ino)
	bo.PutUint32(b[16:], version)
	bo.PutUint32(b[20:], mode)
	bo.PutUint32(b[28:], isize)
	bo.PutUint32(b[32:], 1704067200)
	bo.PutUint32(b[36:], 1704067200)
	bo.PutUint32(b[40:], 1704067200)
	bo.PutUint32(b[44:], offset)
	bo.PutUint32(b[48:], uint32(len(data)))
	bo.PutUint32(b[52:], dsize)
	b[56] = compr
	bo.PutUint32(b[60:], crc(data))
	bo.PutUint32(b[64:], crc(b[:60]))
	copy(b[68:], data)
	return b
}

func (w *writer) inode(ino uint32, e Entry) error {
	mode := unixMode(e.Mode)
	data := e.Data
	if e.Mode&fs.ModeSymlink != 0 {
		data = []byte(e.Link)
	}
	if len(data) == 0 {
		w.node(InodeNode(w.bo, ino, 1, mode, 0, 0, 0, None, nil))
		return nil
	}
	version := uint32(1)
	for off := 0; off < len(data); off += w.opt.PageSize {
		page := data[off:min(off+w.opt.PageSize, len(data))]
		compr, packed, err := w.compress(page, e.Mode&fs.ModeSymlink != 0)
		if err != nil {
			return err
		}
		w.node(InodeNode(w.bo, ino, version, mode, uint32(len(data)), uint32(off), uint32(len(page)), compr, packed))
		version++
	}
	return nil
}

func (w *writer) compress(page []byte, link bool) (byte, []byte, error) {
	if link {
		return None, page, nil
	}
	var out []byte
	switch w.opt.Compressor {
	case Zlib:
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write(page)
		zw.Close()
		out = b.Bytes()
	case LZMA:
		var b bytes.Buffer
		lw, err := lzma.WriterConfig{Properties: &lzma.Properties{}, DictCap: 0x2000, SizeInHeader: true, Size: int64(len(page))}.NewWriter(&b)
		if err != nil {
			return 0, nil, err
		}
		lw.Write(page)
		if err := lw.Close(); err != nil {
			return 0, nil, err
		}
		out = b.Bytes()[13:] // jffs2 stores LZMA without its header
	case Rtime:
		out = rtimeCompress(page)
	default:
		return None, page, nil
	}
	if len(out) >= len(page) {
		return None, page, nil
	}
	return w.opt.Compressor, out, nil
}

// rtimeCompress is the kernel's jffs2_rtime_compress.
func rtimeCompress(in []byte) []byte {
	var positions [256]int
	var out []byte
	pos := 0
	for pos < len(in) {
		value := in[pos]
		out = append(out, value)
		pos++
		back := positions[value]
		positions[value] = pos
		run := 0
		for back < pos && pos < len(in) && in[pos] == in[back] && run < 255 {
			pos++
			back++
			run++
		}
		out = append(out, byte(run))
	}
	return out
}

func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	switch {
	case m.IsDir():
		u |= 0o040000
	case m&fs.ModeSymlink != 0:
		u |= 0o120000
	case m&fs.ModeCharDevice != 0:
		u |= 0o020000
	case m&fs.ModeDevice != 0:
		u |= 0o060000
	case m&fs.ModeNamedPipe != 0:
		u |= 0o010000
	default:
		u |= 0o100000
	}
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

func dtype(m fs.FileMode) byte {
	switch {
	case m.IsDir():
		return 4
	case m&fs.ModeSymlink != 0:
		return 10
	case m&fs.ModeCharDevice != 0:
		return 2
	case m&fs.ModeDevice != 0:
		return 6
	case m&fs.ModeNamedPipe != 0:
		return 1
	}
	return 8
}

func withDirs(entries []Entry) []Entry {
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Path] = true
	}
	var out []Entry
	for _, e := range entries {
		for i := 0; i < len(e.Path); i++ {
			if e.Path[i] == '/' && !seen[e.Path[:i]] {
				seen[e.Path[:i]] = true
				out = append(out, Entry{Path: e.Path[:i], Mode: fs.ModeDir | 0o755})
			}
		}
		if e.Mode == 0 {
			e.Mode = 0o644
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
