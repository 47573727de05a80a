// Package unixmode converts a Unix st_mode, as archive and file-system
// formats store it, to an fs.FileMode. Every format reader of doorman uses
// it, so a file type means the same thing whatever format carried it.
package unixmode

import "io/fs"

// Type bits of st_mode (S_IF*), as Linux stores them.
const (
	TypeMask = 0o170000
	Socket   = 0o140000
	Symlink  = 0o120000
	Regular  = 0o100000
	Block    = 0o060000
	Dir      = 0o040000
	Char     = 0o020000
	Fifo     = 0o010000
)

// FileMode converts st_mode: permission bits, setuid/setgid/sticky and the
// type. A type that is no Unix file type (0 included) gives
// fs.ModeIrregular, so a crafted mode is never taken for a regular file.
func FileMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	switch m & TypeMask {
	case Regular:
	case Dir:
		mode |= fs.ModeDir
	case Symlink:
		mode |= fs.ModeSymlink
	case Char:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case Block:
		mode |= fs.ModeDevice
	case Fifo:
		mode |= fs.ModeNamedPipe
	case Socket:
		mode |= fs.ModeSocket
	default:
		mode |= fs.ModeIrregular
	}
	return mode
}
