package exe

import (
	"bytes"
	"unicode/utf16"
)

// The string scan reads the file once, in chunks, up to maxScan bytes. In
// one pass it finds the marker strings capability rules ask about (with
// bytes.Index, which is fast on rare first bytes), collects the printable
// runs that look like endpoints, and counts bytes for the file's entropy.

// marker is one string a capability rule looks for.
type marker struct {
	needle string
	// word: the byte after the needle must not continue a name, so that
	// "/bin/sh" does not match "/bin/shutdown".
	word bool
}

// scanResult is what the scan found.
type scanResult struct {
	// hits maps a needle to the printable strings it was found in (a few).
	hits      map[string][]string
	endpoints map[string]bool
	hist      [256]uint64
	scanned   int64
}

const (
	scanChunk       = 1 << 20
	scanOverlap     = 4 << 10
	maxHitsPerMark  = 3
	maxEvidenceLen  = 96
	maxEndpointsOut = 256
	minRun          = 4
)

func printable(c byte) bool { return c >= 0x20 && c < 0x7f || c == '\t' }

// scanStrings runs the scan over the file.
func (p *parser) scanStrings() *scanResult {
	res := &scanResult{hits: map[string][]string{}, endpoints: map[string]bool{}}
	type needle struct {
		m    marker
		b    []byte
		wide bool
	}
	var needles []needle
	for _, m := range markers {
		needles = append(needles, needle{m, []byte(m.needle), false})
		if p.scanWide {
			needles = append(needles, needle{m, utf16le(m.needle), true})
		}
	}
	// Go packs its string literals end to end without terminators: a
	// match cannot be told from its neighbours, so no word boundary is
	// asked for and the evidence is the needle alone.
	packed := p.goInfo != nil
	buf := make([]byte, min(int64(scanChunk+scanOverlap), p.size))
	limit := min(p.size, maxScan)
	prevPrintable := false
	for off := int64(0); off < limit; off += scanChunk {
		n, _ := p.r.ReadAt(buf[:min(int64(len(buf)), p.size-off)], off)
		if n <= 0 {
			break
		}
		b := buf[:n]
		own := min(n, scanChunk, int(limit-off))
		for _, c := range b[:own] {
			res.hist[c]++
		}
		res.scanned += int64(own)
		for _, nd := range needles {
			if len(res.hits[nd.m.needle]) >= maxHitsPerMark {
				continue
			}
			for from := 0; from < own; {
				i := bytes.Index(b[from:], nd.b)
				if i < 0 || from+i >= own {
					break
				}
				at := from + i
				from = at + len(nd.b)
				if nd.m.word && !packed && from < len(b) && nameByte(b[from]) {
					continue
				}
				ev := nd.m.needle
				if !nd.wide && !packed {
					ev = runAround(b, at, len(nd.b))
				}
				res.addHit(nd.m.needle, ev)
				if len(res.hits[nd.m.needle]) >= maxHitsPerMark {
					break
				}
			}
		}
		// Printable runs: endpoints.
		i := 0
		if prevPrintable {
			for i < own && printable(b[i]) {
				i++
			}
		}
		for i < own {
			if !printable(b[i]) {
				i++
				continue
			}
			j := i
			for j < len(b) && j-i < scanOverlap && printable(b[j]) {
				j++
			}
			if j-i >= 7 && len(res.endpoints) < maxEndpointsOut {
				findEndpoints(b[i:j], res.endpoints)
			}
			i = j
		}
		prevPrintable = own > 0 && printable(b[own-1])
	}
	return res
}

func (r *scanResult) addHit(needle, ev string) {
	for _, e := range r.hits[needle] {
		if e == ev {
			return
		}
	}
	r.hits[needle] = append(r.hits[needle], ev)
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// runAround is the printable string a match at b[at:at+n] is part of,
// cut to maxEvidenceLen around the match.
func runAround(b []byte, at, n int) string {
	s, e := at, at+n
	for s > 0 && at-s < maxEvidenceLen/2 && printable(b[s-1]) {
		s--
	}
	for e < len(b) && e-s < maxEvidenceLen && printable(b[e]) {
		e++
	}
	return string(b[s:e])
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u))
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}
