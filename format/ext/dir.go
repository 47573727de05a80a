package ext

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// dirent is one entry of a directory (struct ext4_dir_entry_2).
type dirent struct {
	ino  uint32
	name string
}

// parseDirBlock decodes the entries of one directory block. Entries never
// cross a block; an htree directory's index blocks and the tail of
// checksummed blocks are entries with inode 0, which are skipped. A bad
// record length ends the block with an error, keeping what came before.
func parseDirBlock(b []byte, blockSize int64, out []dirent) ([]dirent, error) {
	le := binary.LittleEndian
	for p := 0; p+8 <= len(b); {
		ino := le.Uint32(b[p:])
		rec := int(le.Uint16(b[p+4:]))
		if blockSize == 65536 && (rec == 0 || rec == 65535) { // ext4_rec_len_from_disk
			rec = 65536
		}
		nameLen := int(b[p+6]) // the high byte is the file type with the filetype feature, else 0 in practice
		if rec < 8 || rec%4 != 0 || rec > len(b)-p || 8+nameLen > rec {
			return out, errorf(ErrCorrupt, "directory entry at %d has record length %d and name length %d", p, rec, nameLen)
		}
		if ino != 0 && nameLen > 0 {
			out = append(out, dirent{ino: ino, name: string(b[p+8 : p+8+nameLen])})
		}
		p += rec
	}
	return out, nil
}

// readDir returns the entries of directory in, reading at most budget
// bytes and keeping at most limit entries; it reports how many bytes it
// read.
func (im *Image) readDir(in *inode, budget int64, limit int) ([]dirent, int64, error) {
	bs := im.sb.blockSize
	if in.flags&flagInlineData != 0 {
		// i_block starts with the parent's inode number (the ".."
		// entry), then entries to its end; system.data holds more.
		var out []dirent
		var errs error
		out, err := parseDirBlock(in.block[4:], bs, out)
		if err != nil {
			errs = err
		}
		if extra := in.systemData(); len(extra) > 0 {
			out, err = parseDirBlock(extra, bs, out)
			if err != nil && errs == nil {
				errs = err
			}
		}
		return out, inodeBlockLen, errs
	}
	r, err := im.open(in)
	if err != nil {
		return nil, 0, err
	}
	size := int64(min(in.size, 1<<62))
	if size > budget {
		return nil, 0, errorf(ErrLimit, "directory of %d bytes exceeds the %d bytes left of Options.MaxDirBytes", size, budget)
	}
	var out []dirent
	var firstErr error
	block := make([]byte, bs)
	var read int64
	for read < size {
		n, err := io.ReadFull(r, block[:min(bs, size-read)])
		read += int64(n)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("directory block %d: %w", (read-1)/bs, err)
			}
			break
		}
		if isZero(block[:n]) { // a hole: no entries (the kernel refuses these)
			continue
		}
		if out, err = parseDirBlock(block[:n], bs, out); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("directory block %d: %w", (read-1)/bs, err)
		}
		if len(out) > limit {
			return out[:limit], read, errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", limit)
		}
	}
	return out, read, firstErr
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// safeName reports whether a directory entry name can be a path element.
func safeName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, "/\x00")
}
