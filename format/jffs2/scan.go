package jffs2

import "io"

// window serves small reads of the image from one buffered chunk, so the
// scan's many 12-byte looks do not each cost a ReadAt.
type window struct {
	r    io.ReaderAt
	size int64
	buf  []byte
	off  int64 // image offset of buf[0]
	n    int   // valid bytes in buf
}

// at returns n bytes at off, or nil when the image has fewer. n must not
// exceed the buffer size.
func (w *window) at(off int64, n int) []byte {
	if off < 0 || off+int64(n) > w.size {
		return nil
	}
	if off < w.off || off+int64(n) > w.off+int64(w.n) {
		w.off = off
		got, _ := w.r.ReadAt(w.buf, off)
		w.n = got
		if got < n {
			return nil
		}
	}
	s := off - w.off
	return w.buf[s : s+int64(n)]
}

func align4(n int64) int64 { return (n + 3) &^ 3 }

// scan reads the image node by node, as the kernel's mount-time scan
// does: a valid header is followed by its node (whatever its type), other
// words are skipped four bytes at a time.
func (im *Image) scan() error {
	w := &window{r: im.r, size: im.size, buf: make([]byte, 64<<10), off: -1}
	bo := im.bo
	var gap int64
	for off := int64(0); off+headerSize <= im.size; {
		h := w.at(off, headerSize)
		if h == nil {
			break
		}
		if h[0] == 0xff && h[1] == 0xff && h[2] == 0xff && h[3] == 0xff {
			off += 4 // erased flash: the rest of an erase block
			continue
		}
		totlen := int64(bo.Uint32(h[4:]))
		if !headerOK(h, bo) || totlen < headerSize || off+totlen > im.size {
			// Not a node, or one whose length runs past the image.
			if gap += 4; gap > im.opt.MaxGap {
				break
			}
			off += 4
			continue
		}
		gap = 0
		next := off + align4(totlen)
		im.end = min(off+totlen, im.size)
		nt := bo.Uint16(h[2:])
		if nt&accurate == 0 { // obsolete
			off = next
			continue
		}
		switch nt {
		case typeInode:
			b := w.at(off, inodeSize)
			n := parseInode(b, bo, off, uint32(totlen))
			if n == nil {
				im.warn(errorf(ErrCorrupt, "inode node at 0x%x: bad CRC or length", off))
				break
			}
			if err := im.keep(); err != nil {
				return err
			}
			ino := bo.Uint32(b[12:])
			im.inodes[ino] = append(im.inodes[ino], n)
		case typeDirent:
			if totlen > direntSize+255+3 {
				im.warn(errorf(ErrCorrupt, "dirent node at 0x%x: %d bytes long", off, totlen))
				break
			}
			b := w.at(off, int(totlen))
			d, ok := parseDirent(b, bo)
			if !ok {
				im.warn(errorf(ErrCorrupt, "dirent node at 0x%x: bad CRC or length", off))
				break
			}
			if err := im.keep(); err != nil {
				return err
			}
			k := direntKey{d.pino, d.name}
			if old, seen := im.dirents[k]; !seen || d.version >= old.version {
				im.dirents[k] = d
			}
		}
		// Cleanmarkers, padding, summaries, xattrs and unknown
		// compatible nodes carry no file data.
		off = next
	}
	if im.nodes == 0 {
		return errorf(ErrNotJFFS2, "no inode or dirent node found")
	}
	return nil
}

func (im *Image) keep() error {
	if im.nodes++; im.nodes > im.opt.MaxNodes {
		return errorf(ErrLimit, "more than %d nodes", im.opt.MaxNodes)
	}
	return nil
}

func (im *Image) warn(err error) {
	if len(im.warnings) < 100 {
		im.warnings = append(im.warnings, err)
	}
}
