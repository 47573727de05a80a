package verifysource

import "strings"

// lineDelta counts the lines a release added to and removed from a file,
// as multisets (moved lines do not count): linear in the size, so a
// crafted pair of files cannot make it quadratic like a real diff. added
// holds the hashes of the added lines, for the payload check.
func lineDelta(old, new []byte) (nAdded, nRemoved int, added map[uint32]bool, firstAdded string) {
	count := map[string]int{}
	for _, l := range Lines(old) {
		count[l]++
	}
	added = map[uint32]bool{}
	for _, l := range Lines(new) {
		if count[l] > 0 {
			count[l]--
			continue
		}
		nAdded++
		added[LineHash(l)] = true
		if firstAdded == "" && strings.TrimSpace(l) != "" {
			firstAdded = l
		}
	}
	for _, n := range count {
		nRemoved += n
	}
	return nAdded, nRemoved, added, firstAdded
}

// pristineDelta measures content against a pristine version known only by
// its line hashes.
func pristineDelta(p *Pristine, data []byte) (nAdded, nRemoved int, added map[uint32]bool, firstAdded string) {
	added = map[uint32]bool{}
	have := map[uint32]bool{}
	for _, l := range Lines(data) {
		if strings.TrimSpace(l) == "" {
			continue
		}
		h := LineHash(l)
		have[h] = true
		if !p.Lines[h] {
			nAdded++
			added[h] = true
			if firstAdded == "" {
				firstAdded = l
			}
		}
	}
	for h := range p.Lines {
		if !have[h] {
			nRemoved++
		}
	}
	return nAdded, nRemoved, added, firstAdded
}

// nearest returns the pristine version closest to data.
func nearest(vs []*Pristine, data []byte) (best *Pristine, nAdded, nRemoved int, added map[uint32]bool, firstAdded string) {
	for _, p := range vs {
		a, r, set, first := pristineDelta(p, data)
		if best == nil || a+r < nAdded+nRemoved {
			best, nAdded, nRemoved, added, firstAdded = p, a, r, set, first
		}
	}
	return
}
