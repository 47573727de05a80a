package executable

import (
	"errors"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/exe"
)

// name is the analyzer's name; Finish reads only its own facts by it.
const name = "executable"

// Analyzer is the executable analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:     name,
	Doc:      "judges what ELF, PE and Mach-O binaries can do (bind and reverse shells, magic-packet listeners, hidden credential checks, packers, evasive implants) given where they live and what starts them, and lists them in the inventory",
	Keywords: keywords,
	Wants:    wants,
	Run:      run,
	Finish:   finish,
}

// Entry kinds of executables (the exe package's formats).
var kinds = map[artifact.Kind]bool{"elf": true, "pe": true, "macho": true, "macho-fat": true}

// Keywords: the multi-call banners, then the credential context words.
var keywords = append([]string{"BusyBox v", "multi-call binary", "Toybox ", "multicall binary"}, credKeywords...)

const (
	kwBusyBox   = 0
	kwMultiCall = 1
	kwToybox    = 2
	kwMulticall = 3
	kwCredFirst = 4
)

// factExecutable is the fact recorded per executable.
const factExecutable = "executable"

// Fact is what Run learned about one executable.
type Fact struct {
	Info        *exe.Info
	Size        int64
	MultiCall   bool
	Credentials []CredHint
}

func wants(e *artifact.Entry) bool { return kinds[e.Kind] && e.Size > 0 }

func run(p *analyzer.Pass) {
	src := p.Source()
	if src == nil || !kinds[p.Entry.Kind] {
		return
	}
	info, err := exe.Parse(newBoundedReader(src, p.Size()), p.Size())
	if info == nil {
		if err != nil && !errors.Is(err, exe.ErrNotExecutable) {
			info = &exe.Info{Format: string(p.Entry.Kind), Warnings: []string{err.Error()}}
		} else {
			return
		}
	}
	f := Fact{Info: info, Size: p.Size()}
	var banner, multi, toybox bool
	credHits := 0
	for _, h := range p.Hits() {
		switch {
		case h.Keyword == kwBusyBox:
			banner = true
		case h.Keyword == kwMultiCall || h.Keyword == kwMulticall:
			multi = true
		case h.Keyword == kwToybox:
			toybox = true
		case h.Keyword >= kwCredFirst:
			if credHits++; credHits > maxCredHits || len(f.Credentials) >= maxCredHints {
				continue
			}
			start := max(0, h.Offset-credWindow)
			w := p.ReadAt(start, 2*credWindow)
			f.Credentials = append(f.Credentials, credentialsNear(w, int(h.Offset-start), start)...)
		}
	}
	// A banner alone can be copied into anything; with the usage line of
	// the multi-call dispatcher it is BusyBox (or Toybox). A name alone
	// ("busybox") is not enough: a back door can be called anything.
	f.MultiCall = (banner || toybox) && multi
	f.Credentials = dedupCreds(f.Credentials)
	p.AddFact(factExecutable, f)
}

func dedupCreds(in []CredHint) []CredHint {
	seen := map[string]bool{}
	var out []CredHint
	for _, c := range in {
		if seen[c.Literal] || len(out) >= maxCredHints {
			continue
		}
		seen[c.Literal] = true
		out = append(out, c)
	}
	return out
}
