package ext

import (
	"encoding/binary"
)

// In-inode extended attributes (fs/ext4/xattr.h): after the 128-byte base
// inode and i_extra_isize bytes comes the magic 0xEA020000, then entries
// (struct ext4_xattr_entry) whose values lie at e_value_offs from the first
// entry. Inline data keeps the first 60 bytes of a file in i_block and the
// rest in the attribute "system.data" (name index 7, name "data").
const (
	xattrMagic       = 0xEA020000
	xattrIndexSystem = 7
)

// inlineData returns the content of an inline-data inode: i_block, then
// the system.data attribute, cut to the inode size.
func (in *inode) inlineData() []byte {
	data := append([]byte(nil), in.block[:]...)
	data = append(data, in.systemData()...)
	if uint64(len(data)) > in.size {
		data = data[:in.size]
	}
	return data
}

// systemData finds the value of system.data among the in-inode xattrs,
// checking every offset against the inode's bounds.
func (in *inode) systemData() []byte {
	le := binary.LittleEndian
	if len(in.extra) < 4 {
		return nil
	}
	isize := int(le.Uint16(in.extra))
	if isize < 4 || isize%4 != 0 || isize+4 > len(in.extra) {
		return nil
	}
	body := in.extra[isize:]
	if le.Uint32(body) != xattrMagic {
		return nil
	}
	entries := body[4:]
	for p := 0; p+16 <= len(entries); {
		nameLen, index := int(entries[p]), entries[p+1]
		if nameLen == 0 && index == 0 && le.Uint32(entries[p:]) == 0 {
			break // the end marker
		}
		off, size := int(le.Uint16(entries[p+2:])), int(le.Uint32(entries[p+8:]))
		if p+16+nameLen > len(entries) {
			break
		}
		name := string(entries[p+16 : p+16+nameLen])
		if index == xattrIndexSystem && name == "data" && le.Uint32(entries[p+4:]) == 0 {
			if off < 0 || size < 0 || off > len(entries) || size > len(entries)-off {
				return nil
			}
			return entries[off : off+size]
		}
		p += (16 + nameLen + 3) &^ 3
	}
	return nil
}
