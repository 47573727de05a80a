package ubifs

import (
	"bytes"
	"compress/flate"
)

// A tiny hand-made image: LEB 0 the superblock, LEB 1 the master node,
// LEB 2 the leaves and the index. Tests build hostile images with it.
const tLEB = 16384

// tnode is a leaf for the hand-made image.
type tnode struct {
	key  [8]byte
	node []byte
}

func putHdr(b []byte, typ uint8, sqnum uint64) []byte {
	le.PutUint32(b, nodeMagic)
	le.PutUint64(b[8:], sqnum)
	le.PutUint32(b[16:], uint32(len(b)))
	b[20] = typ
	le.PutUint32(b[4:], CRC(b[8:]))
	return b
}

func mkKey(inum uint32, typ uint8, val uint32) [8]byte {
	var k [8]byte
	le.PutUint32(k[:], inum)
	le.PutUint32(k[4:], uint32(typ)<<29|val)
	return k
}

func inoNode(inum, mode uint32, size uint64, inline []byte) tnode {
	b := make([]byte, inoNodeSize+len(inline))
	k := mkKey(inum, keyIno, 0)
	copy(b[24:], k[:])
	le.PutUint64(b[48:], size)
	le.PutUint32(b[92:], 1)
	le.PutUint32(b[104:], mode)
	le.PutUint32(b[112:], uint32(len(inline)))
	copy(b[inoNodeSize:], inline)
	return tnode{k, putHdr(b, typeIno, 1)}
}

func dentNode(parent, inum uint32, name string) tnode {
	b := make([]byte, dentNodeSize+len(name)+1)
	k := mkKey(parent, keyDent, uint32(len(name))) // any hash will do
	copy(b[24:], k[:])
	le.PutUint64(b[40:], uint64(inum))
	le.PutUint16(b[50:], uint16(len(name)))
	copy(b[dentNodeSize:], name)
	return tnode{k, putHdr(b, typeDent, 1)}
}

func dataNode(inum, block uint32, compr uint16, size uint32, payload []byte) tnode {
	b := make([]byte, dataNodeSize+len(payload))
	k := mkKey(inum, keyData, block)
	copy(b[24:], k[:])
	le.PutUint32(b[40:], size)
	le.PutUint16(b[44:], compr)
	copy(b[dataNodeSize:], payload)
	return tnode{k, putHdr(b, typeData, 1)}
}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, 9)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

// tbranch is an index branch, pointing anywhere.
type tbranch struct {
	ref nodeRef
	key [8]byte
}

func idxNode(level uint16, br []tbranch) []byte {
	b := make([]byte, idxNodeSize+20*len(br))
	le.PutUint16(b[24:], uint16(len(br)))
	le.PutUint16(b[26:], level)
	for i, x := range br {
		p := b[idxNodeSize+20*i:]
		le.PutUint32(p, x.ref.lnum)
		le.PutUint32(p[4:], x.ref.offs)
		le.PutUint32(p[8:], x.ref.len)
		copy(p[12:], x.key[:])
	}
	return putHdr(b, typeIdx, 2)
}

// image lays the leaves out in LEB 2, then a one-level index over them
// (with extra branches appended as given), and points the master at it.
// edit, when set, may change the index branches before they are written.
func image(leaves []tnode, edit func([]tbranch) []tbranch) []byte {
	img := bytes.Repeat([]byte{0xff}, 3*tLEB)
	sb := make([]byte, sbNodeSize)
	le.PutUint32(sb[32:], 8)
	le.PutUint32(sb[36:], tLEB)
	le.PutUint32(sb[40:], 3)
	copy(img, putHdr(sb, typeSB, 0))
	off := 2 * tLEB
	var br []tbranch
	for _, l := range leaves {
		copy(img[off:], l.node)
		br = append(br, tbranch{nodeRef{2, uint32(off - 2*tLEB), uint32(len(l.node))}, l.key})
		off += (len(l.node) + 7) &^ 7
	}
	if edit != nil {
		br = edit(br)
	}
	idx := idxNode(0, br)
	root := nodeRef{2, uint32(off - 2*tLEB), uint32(len(idx))}
	copy(img[off:], idx)
	m := make([]byte, mstNodeSize)
	le.PutUint32(m[48:], root.lnum)
	le.PutUint32(m[52:], root.offs)
	le.PutUint32(m[56:], root.len)
	copy(img[tLEB:], putHdr(m, typeMst, 3))
	return img
}

// sampleLeaves is a small tree: etc/passwd (zlib), a symlink, a file of
// two lzo-free blocks with a hole, a device.
func sampleLeaves() []tnode {
	passwd := []byte("root:x:0:0:root:/root:/bin/sh\n")
	return []tnode{
		inoNode(2, sIFDIR|0o755, 0, nil),
		dentNode(1, 2, "etc"),
		inoNode(3, sIFREG|0o644, uint64(len(passwd)), nil),
		dentNode(2, 3, "passwd"),
		dataNode(3, 0, ComprZlib, uint32(len(passwd)), deflate(passwd)),
		inoNode(4, sIFLNK|0o777, 7, []byte("busybox")),
		dentNode(1, 4, "sh"),
		inoNode(5, sIFREG|0o600, 3*BlockSize, nil),
		dentNode(1, 5, "holey"),
		dataNode(5, 2, ComprNone, BlockSize, bytes.Repeat([]byte{'z'}, BlockSize)),
		inoNode(6, sIFCHR|0o600, 0, []byte{0x40, 0x04, 0, 0}),
		dentNode(1, 6, "tty"),
	}
}

// resq gives a node a new sequence number.
func resq(b []byte, sq uint64) []byte {
	b = append([]byte(nil), b...)
	le.PutUint64(b[8:], sq)
	le.PutUint32(b[4:], CRC(b[8:]))
	return b
}

func trunNode(inum uint32, newSize uint64) []byte {
	b := make([]byte, trunNodeSize)
	le.PutUint32(b[24:], inum)
	le.PutUint64(b[48:], newSize)
	return putHdr(b, typeTrun, 1)
}

// withJournal adds a log (LEB 3: a commit start, a reference to LEB 4)
// and a bud (LEB 4: the nodes given, sequence numbers from 100 on) to a
// hand-made image, as a device does between two commits.
func withJournal(img []byte, bud [][]byte) []byte {
	img = append(img, bytes.Repeat([]byte{0xff}, 2*tLEB)...)
	sb := img[:sbNodeSize]
	le.PutUint32(sb[40:], 5)
	le.PutUint32(sb[56:], 1)
	le.PutUint32(sb[4:], CRC(sb[8:]))
	m := img[tLEB : tLEB+mstNodeSize]
	le.PutUint64(m[32:], 7) // cmt_no
	le.PutUint32(m[44:], 3) // log_lnum
	le.PutUint32(m[4:], CRC(m[8:]))
	cs := make([]byte, csNodeSize)
	le.PutUint64(cs[24:], 7)
	ref := make([]byte, refNodeSize)
	le.PutUint32(ref[24:], 4)
	log := append(putHdr(cs, typeCS, 50), putHdr(ref, typeRef, 51)...)
	copy(img[3*tLEB:], log)
	off := 4 * tLEB
	for i, b := range bud {
		b = resq(b, uint64(100+i))
		copy(img[off:], b)
		off += (len(b) + 7) &^ 7
	}
	return img
}
