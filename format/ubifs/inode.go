package ubifs

import (
	"github.com/doorman-sec/doorman/format/unixmode"
	"io/fs"
	"strings"
	"time"
)

// inode is the part of an inode node the reader keeps.
type inode struct {
	inum     uint32
	size     int64
	mtime    int64
	uid, gid uint32
	mode     uint32
	compr    uint16
	flags    uint32
	inline   []byte // symlink target, device number; at most maxInline
}

// maxInline bounds the inline data kept: a symlink target (PATH_MAX) or
// a device number.
const maxInline = 4096

// inodeFlagCrypt marks an encrypted inode (UBIFS_CRYPT_FL).
const inodeFlagCrypt = 0x40

func parseInode(b []byte) *inode {
	dl := int64(le.Uint32(b[112:]))
	if inoNodeSize+dl > int64(len(b)) {
		return nil
	}
	in := &inode{
		inum:  parseKey(b[24:]).inum,
		size:  int64(le.Uint64(b[48:]) & (1<<62 - 1)),
		mtime: int64(le.Uint64(b[72:]) & (1<<62 - 1)),
		uid:   le.Uint32(b[96:]), gid: le.Uint32(b[100:]),
		mode: le.Uint32(b[104:]), flags: le.Uint32(b[108:]),
		compr: le.Uint16(b[132:]),
	}
	if dl > 0 && dl <= maxInline {
		in.inline = append([]byte(nil), b[inoNodeSize:inoNodeSize+dl]...)
	}
	return in
}

// dent is a directory entry.
type dent struct {
	inum uint32 // 0: a deletion
	typ  uint8
	name string
}

func parseDent(b []byte) (dent, bool) {
	nl := int(le.Uint16(b[50:]))
	if dentNodeSize+nl > len(b) || nl == 0 {
		return dent{}, false
	}
	ino := le.Uint64(b[40:])
	if ino > 1<<32-1 {
		return dent{}, false
	}
	return dent{inum: uint32(ino), typ: b[49], name: string(b[dentNodeSize : dentNodeSize+nl])}, true
}

// validName reports whether a name can be one path element.
func validName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, "/\x00")
}

// fileMode converts a Linux st_mode to an fs.FileMode.
func fileMode(m uint32) fs.FileMode { return unixmode.FileMode(m) }

func unixTime(s int64) time.Time { return time.Unix(s, 0).UTC() }
