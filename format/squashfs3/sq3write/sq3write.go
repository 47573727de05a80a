// Package sq3write writes small SquashFS 3.1 images for tests, in either
// byte order and with the codecs the 3.x vendor forks use. It is written
// from squashfs-tools 3.x squashfs_fs.h independently of format/squashfs3:
// where the reader decodes bit fields generically by bit position, this
// writer packs each structure by hand for each byte order, so the two
// cross-check. mksquashfs 3.x is no longer packaged by Debian, and the
// public 3.x sample images found (unblob's test data) are stored as Git
// LFS pointers, so this writer is what the tests have.
package sq3write

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"sort"
	"strings"

	"github.com/klauspost/compress/zlib"
	"github.com/ulikunitz/xz/lzma"
)

// On-disk constants from squashfs_fs.h (3.x).
const (
	superblockSize    = 119
	metadataSize      = 8192
	metaUncompressed  = 1 << 15
	metaSizeMask      = metaUncompressed - 1
	blockUncompressed = 1 << 24
	guidSameAsUID     = 255
	invalidFrag       = 0xffffffff
	flagCheck         = 1 << 2
	fragEntrySize     = 16
	lzmaHeaderSize    = 13
	rawLZMAProps      = (2*5+0)*9 + 3

	typeDir     = 1
	typeFile    = 2
	typeSymlink = 3
	typeBlkDev  = 4
	typeChrDev  = 5
	typeFifo    = 6
	typeSocket  = 7
	typeLDir    = 8
	typeLFile   = 9
)

// Codec compresses one block; nil output means "store uncompressed".
type Codec func(b []byte) []byte

// Zlib is stock squashfs 3.x compression.
func Zlib(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// LZMAAlone writes an LZMA-alone stream with its 13-byte header, as
// the LZMA squashfs patches that keep the header do.
func LZMAAlone(b []byte) []byte {
	var buf bytes.Buffer
	w, err := lzma.WriterConfig{Size: int64(len(b)), DictCap: 1 << 16}.NewWriter(&buf)
	if err != nil {
		panic(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// RawLZMA writes a headerless lc=3 lp=0 pb=2 stream without an end
// marker, as the Broadcom/OpenWrt squashfs-lzma patches do.
func RawLZMA(b []byte) []byte {
	s := LZMAAlone(b)
	if s[0] != rawLZMAProps {
		panic("unexpected lzma properties")
	}
	return s[lzmaHeaderSize:]
}

// Entry is one file to write; parent directories are created as needed.
type Entry struct {
	Path  string
	Mode  fs.FileMode
	Data  []byte
	Link  string // symlink target
	Rdev  uint16
	UID   uint32
	GID   uint32
	Hard  string // path of an earlier regular file this is a hard link to
	LDir  bool   // write a directory as an extended (ldir) inode
	LFile bool   // write a regular file as an lreg inode
}

// Options choose the layout.
type Options struct {
	BE        bool
	BlockLog  int   // default 16 (64 KiB)
	Codec     Codec // default Zlib
	Check     bool  // SQUASHFS_CHECK: marker byte after metadata headers
	LZMAMagic bool  // "shsq"/"qshs"
	NoFrag    bool
}

type writer struct {
	o       Options
	bo      binary.ByteOrder
	img     []byte
	inodes  metaStream
	dirs    metaStream
	frags   metaStream
	fragBuf []byte
	nfrags  int
	ids     []uint32
	inodeN  uint32
	hard    map[string]uint64 // path -> inode ref
}

// metaStream builds a table of metadata blocks.
type metaStream struct {
	w   *writer
	buf []byte
	out []byte
}

// ref returns (compressed block start, offset) for the next byte written.
func (m *metaStream) ref() (uint32, uint16) { return uint32(len(m.out)), uint16(len(m.buf)) }

func (m *metaStream) write(b []byte) {
	m.buf = append(m.buf, b...)
	for len(m.buf) >= metadataSize {
		m.flush(metadataSize)
	}
}

func (m *metaStream) flush(n int) {
	if n == 0 {
		return
	}
	blk := m.buf[:n]
	var hdr uint16
	body := blk
	if c := m.w.o.Codec(blk); c != nil && len(c) < len(blk) {
		body = c
		hdr = uint16(len(c))
	} else {
		hdr = uint16(len(blk)) | metaUncompressed
	}
	var h [2]byte
	m.w.bo.PutUint16(h[:], hdr)
	m.out = append(m.out, h[:]...)
	if m.w.o.Check {
		m.out = append(m.out, 0xff)
	}
	m.out = append(m.out, body...)
	m.buf = append([]byte(nil), m.buf[n:]...)
}

func (m *metaStream) finish() []byte {
	m.flush(len(m.buf))
	return m.out
}

func (w *writer) id(v uint32) uint8 {
	for i, x := range w.ids {
		if x == v {
			return uint8(i)
		}
	}
	w.ids = append(w.ids, v)
	return uint8(len(w.ids) - 1)
}

// base packs the 12-byte common inode header.
func (w *writer) base(typ int, mode fs.FileMode, uid, gid uint32) []byte {
	b := make([]byte, 12)
	perm := uint16(mode.Perm())
	if mode&fs.ModeSetuid != 0 {
		perm |= 0o4000
	}
	if mode&fs.ModeSetgid != 0 {
		perm |= 0o2000
	}
	if mode&fs.ModeSticky != 0 {
		perm |= 0o1000
	}
	if w.o.BE {
		b[0] = byte(typ)<<4 | byte(perm>>8)
		b[1] = byte(perm)
	} else {
		binary.LittleEndian.PutUint16(b, uint16(typ)|perm<<4)
	}
	b[2] = w.id(uid)
	if gid == uid {
		b[3] = guidSameAsUID
	} else {
		b[3] = w.id(gid) // uids and gids share one table here, see finish
	}
	w.inodeN++
	w.bo.PutUint32(b[4:], 1262304000) // 2010-01-01
	w.bo.PutUint32(b[8:], w.inodeN)
	return b
}

func (w *writer) u16(v uint16) []byte { b := make([]byte, 2); w.bo.PutUint16(b, v); return b }
func (w *writer) u32(v uint32) []byte { b := make([]byte, 4); w.bo.PutUint32(b, v); return b }
func (w *writer) u64(v uint64) []byte { b := make([]byte, 8); w.bo.PutUint64(b, v); return b }

// addInode appends an inode and returns its reference.
func (w *writer) addInode(b []byte) uint64 {
	blk, off := w.inodes.ref()
	w.inodes.write(b)
	return uint64(blk)<<16 | uint64(off)
}

// writeData stores a file's content and returns start, block words,
// fragment index and offset.
func (w *writer) writeData(data []byte) (uint64, []uint32, uint32, uint32) {
	bs := 1 << w.o.BlockLog
	start := uint64(len(w.img))
	var words []uint32
	full := len(data) / bs
	if w.o.NoFrag && len(data)%bs != 0 {
		full++
	}
	for i := range full {
		blk := data[i*bs : min(len(data), (i+1)*bs)]
		if bytes.Count(blk, []byte{0}) == len(blk) && len(blk) == bs {
			words = append(words, 0) // sparse
			continue
		}
		if c := w.o.Codec(blk); c != nil && len(c) < len(blk) {
			w.img = append(w.img, c...)
			words = append(words, uint32(len(c)))
		} else {
			w.img = append(w.img, blk...)
			words = append(words, uint32(len(blk))|blockUncompressed)
		}
	}
	tail := data[min(full*bs, len(data)):]
	if len(tail) == 0 {
		return start, words, invalidFrag, 0
	}
	if len(w.fragBuf)+len(tail) > bs {
		w.flushFrag()
	}
	off := len(w.fragBuf)
	w.fragBuf = append(w.fragBuf, tail...)
	return start, words, uint32(w.nfrags), uint32(off)
}

func (w *writer) flushFrag() {
	if len(w.fragBuf) == 0 {
		return
	}
	start := uint64(len(w.img))
	var word uint32
	if c := w.o.Codec(w.fragBuf); c != nil && len(c) < len(w.fragBuf) {
		w.img = append(w.img, c...)
		word = uint32(len(c))
	} else {
		w.img = append(w.img, w.fragBuf...)
		word = uint32(len(w.fragBuf)) | blockUncompressed
	}
	e := append(w.u64(start), w.u32(word)...)
	e = append(e, 0, 0, 0, 0)
	w.frags.write(e)
	w.nfrags++
	w.fragBuf = nil
}

// tnode is the tree being written.
type tnode struct {
	f    Entry
	kids map[string]*tnode
	// file data placement
	start         uint64
	words         []uint32
	frag, fragOff uint32
}

// Write builds the image, padded to 4 KiB as mksquashfs pads it.
func Write(files []Entry, o Options) []byte {
	if o.BlockLog == 0 {
		o.BlockLog = 16
	}
	if o.Codec == nil {
		o.Codec = Zlib
	}
	w := &writer{o: o, bo: binary.ByteOrder(binary.LittleEndian), hard: map[string]uint64{}}
	if o.BE {
		w.bo = binary.BigEndian
	}
	w.inodes.w, w.dirs.w, w.frags.w = w, w, w
	w.img = make([]byte, superblockSize)
	root := &tnode{f: Entry{Mode: fs.ModeDir | 0o755}, kids: map[string]*tnode{}}
	var order []*tnode
	for _, f := range files {
		n := root
		parts := strings.Split(f.Path, "/")
		for _, p := range parts[:len(parts)-1] {
			if n.kids[p] == nil {
				n.kids[p] = &tnode{f: Entry{Path: p, Mode: fs.ModeDir | 0o755}, kids: map[string]*tnode{}}
			}
			n = n.kids[p]
		}
		t := n.kids[parts[len(parts)-1]]
		if t == nil {
			t = &tnode{kids: map[string]*tnode{}}
			n.kids[parts[len(parts)-1]] = t
		}
		t.f = f
		order = append(order, t)
	}
	// Data first, in the order given, as mksquashfs writes it.
	for _, t := range order {
		if t.f.Mode.IsRegular() && t.f.Hard == "" {
			t.start, t.words, t.frag, t.fragOff = w.writeData(t.f.Data)
		}
	}
	w.flushFrag()
	rootRef := w.writeDir(root, 0)
	inodeTable := uint64(len(w.img))
	w.img = append(w.img, w.inodes.finish()...)
	dirTable := uint64(len(w.img))
	w.img = append(w.img, w.dirs.finish()...)
	fragMeta := uint64(len(w.img))
	w.img = append(w.img, w.frags.finish()...)
	fragTable := uint64(len(w.img))
	for i := 0; i*fragEntrySize < w.nfrags*fragEntrySize; i += metadataSize / fragEntrySize {
		// Fragment metadata block positions; with few fragments,
		// one block. Its header gives the next block's position.
		w.img = append(w.img, w.u64(fragMeta)...)
		fragMeta = w.nextMeta(fragMeta)
	}
	uidStart := uint64(len(w.img))
	for _, id := range w.ids {
		w.img = append(w.img, w.u32(id)...)
	}
	// Gids index the same list: the guid table is the uid table again.
	for _, id := range w.ids {
		w.img = append(w.img, w.u32(id)...)
	}
	bytesUsed := uint64(len(w.img))
	w.superblock(rootRef, bytesUsed, uidStart, inodeTable, dirTable, fragTable)
	for len(w.img)%4096 != 0 {
		w.img = append(w.img, 0)
	}
	return w.img
}

func (w *writer) nextMeta(pos uint64) uint64 {
	word := w.bo.Uint16(w.img[pos:])
	n := uint64(word & metaSizeMask)
	if w.o.Check {
		return pos + 3 + n
	}
	return pos + 2 + n
}

func (w *writer) superblock(root, used, uidStart, inodeTable, dirTable, fragTable uint64) {
	b := w.img[:superblockSize]
	switch {
	case w.o.BE && w.o.LZMAMagic:
		copy(b, "qshs")
	case w.o.BE:
		copy(b, "sqsh")
	case w.o.LZMAMagic:
		copy(b, "shsq")
	default:
		copy(b, "hsqs")
	}
	bo := w.bo
	bo.PutUint32(b[4:], w.inodeN)
	bo.PutUint16(b[28:], 3)
	bo.PutUint16(b[30:], 1)
	bo.PutUint16(b[32:], uint16(min(1<<w.o.BlockLog, 0xffff)))
	bo.PutUint16(b[34:], uint16(w.o.BlockLog))
	var flags byte
	if w.o.Check {
		flags |= flagCheck
	}
	b[36] = flags
	b[37] = byte(len(w.ids))
	b[38] = byte(len(w.ids))
	bo.PutUint32(b[39:], 1262304000)
	bo.PutUint64(b[43:], root)
	bo.PutUint32(b[51:], 1<<w.o.BlockLog)
	bo.PutUint32(b[55:], uint32(w.nfrags))
	bo.PutUint64(b[63:], used)
	bo.PutUint64(b[71:], uidStart)
	bo.PutUint64(b[79:], uidStart+4*uint64(len(w.ids)))
	bo.PutUint64(b[87:], inodeTable)
	bo.PutUint64(b[95:], dirTable)
	bo.PutUint64(b[103:], fragTable)
	bo.PutUint64(b[111:], ^uint64(0))
}

// writeDir writes the inodes below t, its listing and its own inode, and
// returns its reference.
func (w *writer) writeDir(t *tnode, parent uint32) uint64 {
	names := make([]string, 0, len(t.kids))
	for n := range t.kids {
		names = append(names, n)
	}
	sort.Strings(names)
	type ent struct {
		name string
		ref  uint64
		typ  int
		num  uint32
	}
	var ents []ent
	for _, n := range names {
		k := t.kids[n]
		ref, typ := w.writeNode(k)
		ents = append(ents, ent{n, ref, typ, w.inodeN})
	}
	dirBlk, dirOff := w.dirs.ref()
	size := 0
	for i := 0; i < len(ents); {
		j := i
		for j < len(ents) && j-i < 256 && ents[j].ref>>16 == ents[i].ref>>16 {
			j++
		}
		h := []byte{byte(j - i - 1)}
		h = append(h, w.u32(uint32(ents[i].ref>>16))...)
		h = append(h, w.u32(ents[i].num)...)
		w.dirs.write(h)
		size += len(h)
		for _, e := range ents[i:j] {
			b := make([]byte, 5)
			off := uint16(e.ref & 0xffff)
			if w.o.BE {
				w.bo.PutUint16(b, off<<3|uint16(e.typ))
			} else {
				w.bo.PutUint16(b, off|uint16(e.typ)<<13)
			}
			b[2] = byte(len(e.name) - 1)
			w.bo.PutUint16(b[3:], uint16(int16(e.num-ents[i].num)))
			w.dirs.write(b)
			w.dirs.write([]byte(e.name))
			size += 5 + len(e.name)
		}
		i = j
	}
	fileSize := uint32(size + 3)
	if t.f.LDir {
		b := w.base(typeLDir, t.f.Mode, t.f.UID, t.f.GID)
		b = append(b, w.u32(2)...)
		var packed [5]byte
		if w.o.BE {
			v := uint64(fileSize)<<13 | uint64(dirOff)
			for i := range 5 {
				packed[i] = byte(v >> (8 * (4 - i)))
			}
		} else {
			v := uint64(fileSize) | uint64(dirOff)<<27
			for i := range 5 {
				packed[i] = byte(v >> (8 * i))
			}
		}
		b = append(b, packed[:]...)
		b = append(b, w.u32(dirBlk)...)
		b = append(b, w.u16(0)...) // no index entries
		b = append(b, w.u32(parent)...)
		return w.addInode(b)
	}
	b := w.base(typeDir, t.f.Mode, t.f.UID, t.f.GID)
	b = append(b, w.u32(2)...)
	if w.o.BE {
		b = append(b, w.u32(fileSize<<13|uint32(dirOff))...)
	} else {
		b = append(b, w.u32(fileSize|uint32(dirOff)<<19)...)
	}
	b = append(b, w.u32(dirBlk)...)
	b = append(b, w.u32(parent)...)
	return w.addInode(b)
}

// writeNode writes one entry's inode and returns its reference and the
// directory entry type.
func (w *writer) writeNode(t *tnode) (uint64, int) {
	f := t.f
	switch {
	case f.Mode.IsDir():
		return w.writeDir(t, 0), typeDir
	case f.Hard != "":
		return w.hard[f.Hard], typeFile
	case f.Mode.IsRegular():
		var b []byte
		if f.LFile {
			b = w.base(typeLFile, f.Mode, f.UID, f.GID)
			b = append(b, w.u32(2)...)
			b = append(b, w.u64(t.start)...)
			b = append(b, w.u32(t.frag)...)
			b = append(b, w.u32(t.fragOff)...)
			b = append(b, w.u64(uint64(len(f.Data)))...)
		} else {
			b = w.base(typeFile, f.Mode, f.UID, f.GID)
			b = append(b, w.u64(t.start)...)
			b = append(b, w.u32(t.frag)...)
			b = append(b, w.u32(t.fragOff)...)
			b = append(b, w.u32(uint32(len(f.Data)))...)
		}
		for _, word := range t.words {
			b = append(b, w.u32(word)...)
		}
		ref := w.addInode(b)
		w.hard[f.Path] = ref
		return ref, typeFile
	case f.Mode&fs.ModeSymlink != 0:
		b := w.base(typeSymlink, f.Mode, f.UID, f.GID)
		b = append(b, w.u32(1)...)
		b = append(b, w.u16(uint16(len(f.Link)))...)
		b = append(b, f.Link...)
		return w.addInode(b), typeSymlink
	case f.Mode&fs.ModeDevice != 0:
		typ := typeBlkDev
		if f.Mode&fs.ModeCharDevice != 0 {
			typ = typeChrDev
		}
		b := w.base(typ, f.Mode, f.UID, f.GID)
		b = append(b, w.u32(1)...)
		b = append(b, w.u16(f.Rdev)...)
		return w.addInode(b), typ
	default:
		typ := typeFifo
		if f.Mode&fs.ModeSocket != 0 {
			typ = typeSocket
		}
		b := w.base(typ, f.Mode, f.UID, f.GID)
		b = append(b, w.u32(1)...)
		return w.addInode(b), typ
	}
}

// Store keeps every block uncompressed, so tests can patch structures in
// place.
func Store([]byte) []byte { return nil }
