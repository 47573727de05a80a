package squashfs

import (
	"encoding/binary"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// fragmentCacheSize is how many decoded fragment blocks are kept. Small
// files are packed together into fragment blocks in directory order, so a
// walk that reads every file hits the same block many times in a row.
const fragmentCacheSize = 4

// fragmentCache is a tiny round-robin cache of decoded fragment blocks.
type fragmentCache struct {
	index [fragmentCacheSize]uint32
	data  [fragmentCacheSize][]byte
	next  int
}

func (c *fragmentCache) get(index uint32) []byte {
	for i, d := range c.data {
		if d != nil && c.index[i] == index {
			return d
		}
	}
	return nil
}

func (c *fragmentCache) put(index uint32, data []byte) {
	c.index[c.next], c.data[c.next] = index, data
	c.next = (c.next + 1) % fragmentCacheSize
}

// fragmentBlock returns the decoded fragment block with the given index.
// The result is shared and must not be modified.
func (im *Image) fragmentBlock(index uint32) ([]byte, error) {
	im.mu.Lock()
	cached := im.frags.get(index)
	im.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	if index >= im.sb.fragmentCount {
		return nil, errorf(ErrCorrupt, "fragment %d of %d", index, im.sb.fragmentCount)
	}
	// The table index lists the metadata blocks that hold the entries.
	var ptr [8]byte
	if err := im.readAt(ptr[:], int64(im.sb.fragmentTable)+8*int64(index/layout.FragmentsPerBlock)); err != nil {
		return nil, err
	}
	blockPos := binary.LittleEndian.Uint64(ptr[:])
	if blockPos >= uint64(im.end) {
		return nil, errorf(ErrCorrupt, "fragment table block at %d past the image end", blockPos)
	}
	m, err := im.metaReaderAt(int64(blockPos), im.end, int(index%layout.FragmentsPerBlock)*layout.FragmentEntrySize)
	if err != nil {
		return nil, err
	}
	e, err := m.next(layout.FragmentEntrySize)
	if err != nil {
		return nil, err
	}
	start, word := binary.LittleEndian.Uint64(e[0:]), binary.LittleEndian.Uint32(e[8:])
	if start >= uint64(im.end) {
		return nil, errorf(ErrCorrupt, "fragment %d at %d past the image end", index, start)
	}
	buf := make([]byte, im.blockSize)
	n, err := im.readBlock(buf, int64(start), word)
	if err != nil {
		return nil, err
	}
	data := buf[:n:n]
	im.mu.Lock()
	im.frags.put(index, data)
	im.mu.Unlock()
	return data, nil
}
