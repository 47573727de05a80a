package ubi

import "strings"

// vtblRecordSize is the size of one ubi_vtbl_record.
const vtblRecordSize = 172

// vtblRecord is the part of a volume-table record the reader uses.
type vtblRecord struct {
	reservedPEBs uint32
	volType      uint8
	name         string
}

// parseVtbl reads the volume table from a layout-volume LEB. It returns
// nil when a used record fails its CRC (the other copy may be good).
// Records past the LEB, or past MaxVolumes, do not exist.
func parseVtbl(b []byte) map[uint32]vtblRecord {
	n := min(len(b)/vtblRecordSize, MaxVolumes)
	if n == 0 {
		return nil
	}
	out := map[uint32]vtblRecord{}
	for i := range n {
		r := b[i*vtblRecordSize : (i+1)*vtblRecordSize]
		if CRC(r[:168]) != be.Uint32(r[168:]) {
			return nil
		}
		res := be.Uint32(r)
		if res == 0 {
			continue // an empty slot
		}
		nl := int(be.Uint16(r[14:]))
		if nl > 127 {
			return nil
		}
		name := string(r[16 : 16+nl])
		if i := strings.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		out[uint32(i)] = vtblRecord{reservedPEBs: res, volType: r[12], name: name}
	}
	return out
}
