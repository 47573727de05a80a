package ubifs

import (
	"sort"
)

// Journal layout (fs/ubifs/ubifs-media.h, replay.c).
const (
	logFirstLnum = 3 // UBIFS_LOG_LNUM
	typePad      = 5
	typeTrun     = 4
	typeRef      = 8
	typeCS       = 10
	refNodeSize  = 64
	csNodeSize   = 32
	trunNodeSize = 56
	padNodeSize  = 28
	paddingByte  = 0xce
)

// jnode is a node found in a bud, to be applied in sqnum order.
type jnode struct {
	sqnum uint64
	typ   uint8
	ref   nodeRef
	b     []byte // inode, entry and truncation nodes; nil for data
}

// replay applies the journal over what the index gave. A damaged log or
// bud ends the replay there, with a warning: what came before stands.
func (im *Image) replay() error {
	if im.logLEBs <= 0 || im.logLnum < logFirstLnum || im.logLnum >= logFirstLnum+im.logLEBs || logFirstLnum+im.logLEBs > im.lebCnt {
		return nil
	}
	var nodes []jnode
	var csSqnum uint64
	buds := map[uint32]bool{}
	lnum := im.logLnum
	for i := int64(0); i < im.logLEBs; i++ {
		done := false
		err := im.scanLEB(lnum, 0, func(typ uint8, sq uint64, ref nodeRef, b []byte) bool {
			switch {
			case i == 0 && ref.offs == 0:
				// The log starts with the commit-start node of the
				// master's commit.
				if typ != typeCS || len(b) < csNodeSize || le.Uint64(b[24:]) != im.cmtNo {
					done = true
					return false
				}
				csSqnum = sq
			case sq <= csSqnum:
				done = true // older than the commit: the log ends
				return false
			case typ == typeRef && len(b) >= refNodeSize:
				bl, bo := le.Uint32(b[24:]), le.Uint32(b[28:])
				if int64(bl) >= im.lebCnt || int64(bo) >= im.lebSize || buds[bl] {
					im.warn(errorf(ErrCorrupt, "log: bad bud reference %d:%d", bl, bo))
					return true
				}
				buds[bl] = true
				if err := im.scanLEB(int64(bl), int64(bo), func(typ uint8, sq uint64, ref nodeRef, b []byte) bool {
					switch typ {
					case typeIno, typeDent, typeTrun:
						nodes = append(nodes, jnode{sq, typ, ref, append([]byte(nil), b...)})
					case typeData:
						nodes = append(nodes, jnode{sq, typ, ref, append([]byte(nil), b[:dataNodeSize]...)})
					}
					return len(nodes) < im.opt.MaxNodes
				}); err != nil {
					im.warn(err)
				}
			case typ == typeCS:
				done = true // a later commit start: stale log
				return false
			}
			return true
		})
		if err != nil {
			im.warn(err)
		}
		if done || (i == 0 && csSqnum == 0) {
			break
		}
		if lnum++; lnum >= logFirstLnum+im.logLEBs {
			lnum = logFirstLnum
		}
	}
	if len(nodes) >= im.opt.MaxNodes {
		return errorf(ErrLimit, "more than %d journal nodes", im.opt.MaxNodes)
	}
	sort.SliceStable(nodes, func(i, j int) bool { return nodes[i].sqnum < nodes[j].sqnum })
	for _, n := range nodes {
		im.apply(n)
	}
	for _, d := range im.data {
		sort.Slice(d, func(i, j int) bool { return d[i].block < d[j].block })
	}
	for _, d := range im.dents {
		sort.Slice(d, func(i, j int) bool { return d[i].name < d[j].name })
	}
	return nil
}

// apply makes one journal node take effect, as replay.c does.
func (im *Image) apply(n jnode) {
	k := parseKey(n.b[24:])
	switch n.typ {
	case typeIno:
		in := parseInode(n.b)
		if in == nil || k.typ != keyIno {
			return
		}
		if le.Uint32(n.b[92:]) == 0 { // nlink 0: the inode is gone
			delete(im.inodes, k.inum)
			delete(im.data, k.inum)
			return
		}
		im.inodes[k.inum] = in
	case typeDent:
		d, ok := parseDent(n.b)
		if !ok || k.typ != keyDent {
			return
		}
		ents := im.dents[k.inum]
		for i := range ents {
			if ents[i].name == d.name {
				ents = append(ents[:i], ents[i+1:]...)
				break
			}
		}
		if d.inum != 0 { // inum 0: the name was removed
			ents = append(ents, d)
		}
		im.dents[k.inum] = ents
	case typeData:
		if k.typ != keyData {
			return
		}
		refs := im.data[k.inum]
		for i := range refs {
			if refs[i].block == k.val {
				refs[i].ref = n.ref
				return
			}
		}
		im.data[k.inum] = append(refs, dataRef{block: k.val, ref: n.ref})
	case typeTrun:
		inum, size := le.Uint32(n.b[24:]), int64(le.Uint64(n.b[48:])&(1<<62-1))
		keep := im.data[inum][:0]
		for _, r := range im.data[inum] {
			if int64(r.block)*BlockSize < size {
				keep = append(keep, r)
			}
		}
		im.data[inum] = keep
	}
}

// scanLEB calls fn for each valid node of a LEB from offs on, until fn
// returns false, the written part of the LEB ends (erased flash) or a
// node is damaged (an error: a torn write at the end of a bud is normal
// on a live device, so callers warn and go on).
func (im *Image) scanLEB(lnum, offs int64, fn func(typ uint8, sqnum uint64, ref nodeRef, b []byte) bool) error {
	base := lnum * im.lebSize
	buf := make([]byte, chSize)
	for offs+chSize <= im.lebSize {
		if n, _ := im.r.ReadAt(buf, base+offs); n < chSize {
			return errorf(ErrCorrupt, "LEB %d past the end of the image", lnum)
		}
		if buf[0] == paddingByte {
			// A gap too small for a padding node is filled with 0xCE
			// up to the next min-I/O unit: skip 8-byte words of it.
			var w [8]byte
			for offs < im.lebSize {
				if n, _ := im.r.ReadAt(w[:], base+offs); n < 8 || w[0] != paddingByte {
					break
				}
				offs = (offs + 8) &^ 7
			}
			continue
		}
		if le.Uint32(buf) != nodeMagic {
			return nil // erased flash, or the end of what was written
		}
		l := int64(le.Uint32(buf[16:]))
		if l < chSize || l > maxNodeSize || offs+l > im.lebSize {
			return errorf(ErrCorrupt, "LEB %d offset %d: node length %d", lnum, offs, l)
		}
		b := make([]byte, l)
		if n, _ := im.r.ReadAt(b, base+offs); int64(n) < l {
			return errorf(ErrCorrupt, "LEB %d offset %d: node cut short", lnum, offs)
		}
		typ, ok := checkNode(b)
		if !ok {
			return errorf(ErrCorrupt, "LEB %d offset %d: bad node CRC", lnum, offs)
		}
		if typ == typePad {
			if l < padNodeSize {
				return errorf(ErrCorrupt, "LEB %d offset %d: short padding node", lnum, offs)
			}
			offs += l + int64(le.Uint32(b[24:]))
			continue
		}
		if !validLen(typ, l) {
			return errorf(ErrCorrupt, "LEB %d offset %d: node type %d of %d bytes", lnum, offs, typ, l)
		}
		if !fn(typ, le.Uint64(b[8:]), nodeRef{uint32(lnum), uint32(offs), uint32(l)}, b) {
			return nil
		}
		offs += (l + 7) &^ 7
	}
	return nil
}

// validLen checks a node's length against its type's fixed part.
func validLen(typ uint8, l int64) bool {
	switch typ {
	case typeIno:
		return l >= inoNodeSize
	case typeDent, typeXent:
		return l >= dentNodeSize
	case typeData:
		return l >= dataNodeSize
	case typeTrun:
		return l >= trunNodeSize
	case typeRef:
		return l >= refNodeSize
	case typeCS:
		return l >= csNodeSize
	}
	return true
}

func (im *Image) warn(err error) {
	if len(im.warnings) < 100 {
		im.warnings = append(im.warnings, err)
	}
}
