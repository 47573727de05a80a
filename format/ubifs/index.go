package ubifs

import "sort"

// maxLevel bounds the index tree's height; a real one is under 10 even
// with billions of nodes.
const maxLevel = 64

// walkIndex visits the index tree from the root and records its leaves.
// Nodes met twice (a loop, a shared subtree) are visited once; a bad
// index node drops its subtree only.
func (im *Image) walkIndex() error {
	seen := map[nodeRef]bool{}
	type item struct {
		ref   nodeRef
		level int
	}
	stack := []item{{im.root, -1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[it.ref] {
			continue
		}
		seen[it.ref] = true
		if im.nodes++; im.nodes > im.opt.MaxNodes {
			return errorf(ErrLimit, "more than %d index nodes", im.opt.MaxNodes)
		}
		b, err := im.readNode(it.ref, typeIdx, idxNodeSize)
		if err != nil {
			if it.level < 0 {
				return err // the root itself
			}
			continue
		}
		cnt, level := int(le.Uint16(b[24:])), int(le.Uint16(b[26:]))
		if cnt == 0 || level > maxLevel || it.level >= 0 && level != it.level-1 {
			continue
		}
		bsz := (len(b) - idxNodeSize) / cnt
		if bsz < 20 {
			continue
		}
		for i := range cnt {
			br := b[idxNodeSize+i*bsz:]
			ref := nodeRef{lnum: le.Uint32(br), offs: le.Uint32(br[4:]), len: le.Uint32(br[8:])}
			if level > 0 {
				stack = append(stack, item{ref, level})
				continue
			}
			if seen[ref] {
				continue
			}
			seen[ref] = true
			if im.nodes++; im.nodes > im.opt.MaxNodes {
				return errorf(ErrLimit, "more than %d nodes", im.opt.MaxNodes)
			}
			im.leaf(parseKey(br[12:]), ref)
		}
	}
	for _, d := range im.data {
		sort.Slice(d, func(i, j int) bool { return d[i].block < d[j].block })
	}
	for _, d := range im.dents {
		sort.Slice(d, func(i, j int) bool { return d[i].name < d[j].name })
	}
	return nil
}

// leaf records one leaf of the index. Data nodes are only noted (their
// key gives inode and block); inode and entry nodes are read now.
func (im *Image) leaf(k key, ref nodeRef) {
	switch k.typ {
	case keyData:
		im.data[k.inum] = append(im.data[k.inum], dataRef{block: k.val, ref: ref})
	case keyIno:
		if b, err := im.readNode(ref, typeIno, inoNodeSize); err == nil {
			if in := parseInode(b); in != nil && in.inum == k.inum {
				im.inodes[k.inum] = in
			}
		}
	case keyDent:
		if b, err := im.readNode(ref, typeDent, dentNodeSize); err == nil {
			if d, ok := parseDent(b); ok && parseKey(b[24:]).inum == k.inum {
				im.dents[k.inum] = append(im.dents[k.inum], d)
			}
		}
	}
}
