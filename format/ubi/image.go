package ubi

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// PEB sizes the reader tries: powers of two from minPEB to maxPEB, which
// covers every NAND and NOR part UBI runs on.
const (
	minPEB = 1 << 10
	maxPEB = 1 << 24
)

// Options bound the work done on one image. Zero values take the defaults.
type Options struct {
	// MaxPEBs bounds the eraseblocks scanned (default 1 Mi: 128 GiB of
	// 128 KiB blocks).
	MaxPEBs int
}

// Image is a scanned UBI image. It and its volumes are safe for concurrent
// use.
type Image struct {
	r        io.ReaderAt
	pebSize  int64
	pebs     int64 // PEBs scanned
	end      int64
	volumes  []*Volume
	warnings []error
}

// leb is one candidate copy of a logical eraseblock.
type leb struct {
	vid     vidHeader
	dataOff int64 // absolute offset of the PEB's data
	lebSize int64 // PEB size less the data offset
}

// Open scans the image of size bytes in r: it finds the PEB size, reads
// every PEB's headers and assembles the volumes. Damaged PEBs are skipped
// and listed by Warnings.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if opt.MaxPEBs <= 0 {
		opt.MaxPEBs = 1 << 20
	}
	var h [hdrSize]byte
	if n, _ := r.ReadAt(h[:], 0); n < hdrSize || !Sniff(h[:]) {
		return nil, ErrNotUBI
	}
	first, _ := parseEC(h[:])
	im := &Image{r: r}
	for p := int64(minPEB); p <= maxPEB && p < size; p *= 2 {
		if p < int64(first.dataOff)+1 {
			continue
		}
		if n, _ := r.ReadAt(h[:], p); n == hdrSize {
			if _, ok := parseEC(h[:]); ok {
				im.pebSize = p
				break
			}
		}
	}
	if im.pebSize == 0 {
		return nil, errorf(ErrNotUBI, "no second erase-counter header")
	}
	lebs := map[[2]uint32][]leb{}
	for i := int64(0); i*im.pebSize < size; i++ {
		if i >= int64(opt.MaxPEBs) {
			return nil, errorf(ErrLimit, "more than %d eraseblocks", opt.MaxPEBs)
		}
		off := i * im.pebSize
		if n, _ := r.ReadAt(h[:], off); n < hdrSize {
			break
		}
		ec, ok := parseEC(h[:])
		if !ok {
			if be.Uint32(h[:]) == 0xffffffff {
				continue // erased: free or being erased
			}
			break // neither UBI nor erased flash: the image has ended
		}
		im.pebs = i + 1
		im.end = min(off+im.pebSize, size)
		if ec.vidOff < hdrSize || int64(ec.dataOff) < int64(ec.vidOff)+hdrSize || int64(ec.dataOff) >= im.pebSize {
			im.warn(errorf(ErrCorrupt, "PEB %d: header offsets %d/%d", i, ec.vidOff, ec.dataOff))
			continue
		}
		if n, _ := r.ReadAt(h[:], off+int64(ec.vidOff)); n < hdrSize {
			continue
		}
		vid, ok := parseVID(h[:])
		if !ok {
			if be.Uint32(h[:]) == vidMagic {
				im.warn(errorf(ErrCorrupt, "PEB %d: bad volume-id header", i))
			}
			continue // no volume-id header: a free PEB
		}
		l := leb{vid: vid, dataOff: off + int64(ec.dataOff), lebSize: im.pebSize - int64(ec.dataOff)}
		if vid.volID >= MaxVolumes && vid.volID != LayoutVolumeID || int64(vid.dataPad) >= l.lebSize {
			im.warn(errorf(ErrCorrupt, "PEB %d: volume %#x, data pad %d", i, vid.volID, vid.dataPad))
			continue
		}
		k := [2]uint32{vid.volID, vid.lnum}
		lebs[k] = append(lebs[k], l)
	}
	// A LEB number is below the PEBs present: nothing else can be real,
	// and it bounds every volume by the image.
	for k := range lebs {
		if int64(k[1]) >= im.pebs {
			im.warn(errorf(ErrCorrupt, "volume %d: LEB %d beyond the %d PEBs", k[0], k[1], im.pebs))
			delete(lebs, k)
		}
	}
	im.assemble(lebs)
	return im, nil
}

func (im *Image) warn(err error) {
	if len(im.warnings) < 100 {
		im.warnings = append(im.warnings, err)
	}
}

// pick chooses among the copies of one LEB: the highest sequence number,
// unless that copy was being made (copy flag) and its data CRC fails.
func (im *Image) pick(copies []leb) leb {
	sort.Slice(copies, func(i, j int) bool { return copies[i].vid.sqnum > copies[j].vid.sqnum })
	for _, c := range copies[:len(copies)-1] {
		if !c.vid.copyFlag || im.dataCRCOK(c) {
			return c
		}
		im.warn(errorf(ErrCorrupt, "volume %d LEB %d: unfinished copy, older copy used", c.vid.volID, c.vid.lnum))
	}
	return copies[len(copies)-1]
}

func (im *Image) dataCRCOK(c leb) bool {
	if int64(c.vid.dataSize) > c.lebSize {
		return false
	}
	b := make([]byte, c.vid.dataSize)
	if n, _ := im.r.ReadAt(b, c.dataOff); n < len(b) {
		return false
	}
	return CRC(b) == c.vid.dataCRC
}

// assemble builds the volumes from the chosen LEBs and the volume table.
func (im *Image) assemble(all map[[2]uint32][]leb) {
	byVol := map[uint32]map[uint32]leb{}
	for k, copies := range all {
		if byVol[k[0]] == nil {
			byVol[k[0]] = map[uint32]leb{}
		}
		byVol[k[0]][k[1]] = im.pick(copies)
	}
	var table map[uint32]vtblRecord
	for _, lnum := range []uint32{0, 1} { // two copies of the table
		l, ok := byVol[LayoutVolumeID][lnum]
		if !ok {
			continue
		}
		b := make([]byte, min(l.lebSize, MaxVolumes*vtblRecordSize))
		n, _ := im.r.ReadAt(b, l.dataOff)
		if table = parseVtbl(b[:n]); table != nil {
			break
		}
		im.warn(errorf(ErrCorrupt, "volume table copy %d bad", lnum))
	}
	delete(byVol, LayoutVolumeID)
	names := map[string]bool{}
	ids := make([]uint32, 0, len(byVol))
	for id := range byVol {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		v := &Volume{im: im, ID: id, lebs: byVol[id]}
		rec, inTable := table[id]
		if table != nil && !inTable {
			im.warn(errorf(ErrCorrupt, "volume %d has LEBs but no table record", id))
		}
		v.Name = cleanName(rec.name)
		if v.Name == "" || names[v.Name] {
			v.Name = fmt.Sprintf("volume%d", id)
		}
		names[v.Name] = true
		v.size()
		if v.Size() > 0 {
			im.volumes = append(im.volumes, v)
		}
	}
}

// cleanName makes a volume name usable as one path element.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, s)
	if s == "." || s == ".." {
		return ""
	}
	return s
}

// PEBSize returns the physical eraseblock size found.
func (im *Image) PEBSize() int64 { return im.pebSize }

// Length returns the offset just past the last PEB with a valid
// erase-counter header (trailing erased flash excluded).
func (im *Image) Length() int64 { return im.end }

// Volumes returns the user volumes that hold data, ordered by ID.
func (im *Image) Volumes() []*Volume { return im.volumes }

// Warnings returns the problems met while scanning.
func (im *Image) Warnings() []error { return im.warnings }
