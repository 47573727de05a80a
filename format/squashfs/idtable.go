package squashfs

import (
	"encoding/binary"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// readIDs loads the id table, which maps the 16-bit uid and gid indexes
// in inodes to 32-bit ids. It holds at most 65535 entries (256 KiB), so it
// is read whole once.
func (im *Image) readIDs() ([]uint32, error) {
	n := int(im.sb.idCount)
	blocks := (n + layout.IDsPerBlock - 1) / layout.IDsPerBlock
	index := make([]byte, 8*blocks)
	if err := im.readAt(index, int64(im.sb.idTable)); err != nil {
		return nil, err
	}
	ids := make([]uint32, 0, n)
	for i := range blocks {
		pos := binary.LittleEndian.Uint64(index[8*i:])
		if pos >= uint64(im.end) {
			return nil, errorf(ErrCorrupt, "id table block at %d past the image end", pos)
		}
		m, err := im.metaReaderAt(int64(pos), im.end, 0)
		if err != nil {
			return nil, err
		}
		raw := make([]byte, 4*min(layout.IDsPerBlock, n-len(ids)))
		if err := m.read(raw); err != nil {
			return nil, err
		}
		for j := 0; j < len(raw); j += 4 {
			ids = append(ids, binary.LittleEndian.Uint32(raw[j:]))
		}
	}
	return ids, nil
}
