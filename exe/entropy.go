package exe

import (
	"bytes"
	"math"
	"strings"
)

// pendingSection is a section whose entropy is measured in finish, once
// every table is read (so that a fat file's slices can shift offsets).
type pendingSection struct {
	Section
	off        int64
	fileBacked bool
}

// Entropy is measured on at most this many bytes per section and in all.
const (
	maxEntropySample = 8 << 20
	maxEntropyTotal  = 64 << 20
	// highEntropy is where packed or encrypted code lies (compressed data
	// is about 7.9-8.0 bits per byte; machine code 5.5-6.8, but dense ARM
	// Thumb-2 code reaches 7.2: Debian's static armhf BusyBox has 7.21).
	highEntropy = 7.5
	// fewImports: a packer's stub imports next to nothing.
	fewImports = 16
)

func (p *parser) addSection(name string, off, size int64, memSize uint64, fileBacked, exec bool) {
	if len(p.pending) >= maxSections {
		return
	}
	if !fileBacked {
		size = int64(min(memSize, 1<<62))
	}
	p.pending = append(p.pending, pendingSection{Section: Section{Name: name, Size: size, Exec: exec}, off: off, fileBacked: fileBacked})
	if fileBacked && exec {
		p.execRanges = append(p.execRanges, fileRange{off, size})
	}
}

// entropySpan is the part of a section whose entropy is measured; n is 0
// for none.
type entropySpan struct{ off, n int64 }

// entropyPlan says which bytes of each pending section are measured: the
// first maxEntropySample, within maxEntropyTotal in all, and none where
// the range is not inside the file.
func (p *parser) entropyPlan() []entropySpan {
	budget := int64(maxEntropyTotal)
	out := make([]entropySpan, len(p.pending))
	for i, s := range p.pending {
		if s.fileBacked && s.Size > 0 && budget > 0 {
			n := min(s.Size, maxEntropySample, budget)
			budget -= n
			if s.off >= 0 && s.off <= p.size && n <= p.size-s.off {
				out[i] = entropySpan{s.off, n}
			}
		}
	}
	return out
}

// measureSections fills in each section's entropy: from the string scan
// where it counted the section's bytes (measured), else by reading them.
func (p *parser) measureSections(entropies []float64, measured []bool) []Section {
	out := make([]Section, 0, len(p.pending))
	for i, sp := range p.entropyPlan() {
		s := p.pending[i]
		if measured[i] {
			s.Entropy = entropies[i]
		} else if sp.n > 0 {
			b, bp, err := p.readTemp(sp.off, sp.n)
			if err == nil {
				s.Entropy = entropy(b)
			}
			putTemp(bp)
		}
		out = append(out, s.Section)
	}
	return out
}

// entropy is Shannon entropy in bits per byte, rounded to 3 decimals.
func entropy(b []byte) float64 {
	var hist [256]uint64
	for _, c := range b {
		hist[c]++
	}
	return histEntropy(&hist, uint64(len(b)))
}

func histEntropy(hist *[256]uint64, n uint64) float64 {
	if n == 0 {
		return 0
	}
	var h float64
	for _, c := range hist {
		if c > 0 {
			f := float64(c) / float64(n)
			h -= f * math.Log2(f)
		}
	}
	return math.Round(h*1000) / 1000
}

// detectPacker names UPX from its own markers (the "UPX!" header near the
// start or the end, its section names, its notice string) and says
// "high-entropy" when the executable content is compressed or encrypted
// and the import surface small, as an unnamed packer's stub leaves it.
func (p *parser) detectPacker(sections []Section) string {
	for _, s := range sections {
		n := s.Name
		if i := strings.LastIndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		if n == "UPX0" || n == "UPX1" || n == "UPX2" || n == ".upx0" || n == ".upx1" {
			return "upx"
		}
	}
	if p.strs != nil && len(p.strs.hits["$Info: This file is packed with the UPX"]) > 0 {
		return "upx"
	}
	if p.upxMagicNearEnds() {
		return "upx"
	}
	if len(p.info.Imports) > fewImports || p.goInfo != nil {
		return ""
	}
	var execBytes, execBits float64
	for _, s := range sections {
		if s.Exec && s.Entropy > 0 && s.Size >= 512 {
			execBytes += float64(s.Size)
			execBits += float64(s.Size) * s.Entropy
		}
	}
	if execBytes >= 4096 && execBits/execBytes > highEntropy {
		return "high-entropy"
	}
	if p.strs != nil && p.strs.scanned >= 16<<10 && histEntropy(&p.strs.hist, uint64(p.strs.scanned)) > highEntropy {
		return "high-entropy"
	}
	return ""
}

// upxMagicNearEnds: UPX writes "UPX!" into its loader header, within the
// first pages, and into the pack header at the end of the file.
func (p *parser) upxMagicNearEnds() bool {
	const window = 4096
	var buf [window]byte
	for _, off := range []int64{0, max(0, p.size-window)} {
		n := min(window, p.size-off)
		if k, _ := p.r.ReadAt(buf[:n], off); int64(k) == n && bytes.Contains(buf[:n], []byte("UPX!")) {
			return true
		}
	}
	return false
}
