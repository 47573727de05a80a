package surveil

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/finding"
)

// scriptFlow is what a script does with one recording.
type scriptFlow struct {
	cap     cmd
	c       *capture
	sendCmd *cmd
	dest    string
	how     string // "through a pipe", "through /tmp/a.jpg", "itself"
	serves  string // set when the capture is served to clients that connect
	trigger *cmd
	trigWhy string
}

func (f *scriptFlow) severity() finding.Severity {
	switch {
	case f.sendCmd != nil || f.how == "itself":
		if f.trigger != nil {
			return finding.Critical
		}
		return finding.High
	case f.serves != "":
		return finding.Medium
	}
	return 0
}

// runScript follows recordings from capture commands to network sends.
func runScript(p *analyzer.Pass, data []byte) {
	cmds := parseScript(data)
	type capAt struct {
		c *capture
		k cmd
	}
	var caps []capAt
	var sends []struct {
		s *send
		k cmd
	}
	var listeners []struct {
		l *listener
		k cmd
	}
	for _, k := range cmds {
		if c := classifyCapture(k); c != nil {
			caps = append(caps, capAt{c, k})
		}
		if s := classifySend(k); s != nil {
			sends = append(sends, struct {
				s *send
				k cmd
			}{s, k})
		}
		if l := classifyListener(k); l != nil {
			listeners = append(listeners, struct {
				l *listener
				k cmd
			}{l, k})
		}
	}
	if len(caps) == 0 {
		return
	}
	var best *scriptFlow
	for _, ca := range caps {
		f := &scriptFlow{cap: ca.k, c: ca.c}
		switch {
		case ca.c.netOut != "":
			f.how, f.dest = "itself", ca.c.netOut
		case ca.c.serves:
			f.serves = "serves the stream to clients that connect"
		}
		for i := range sends {
			s := sends[i]
			if f.how != "" {
				break
			}
			if ca.c.out == "-" && ca.k.pipe != 0 && s.k.pipe == ca.k.pipe && s.k.stage > ca.k.stage && s.s.stdin {
				f.sendCmd, f.dest, f.how = &sends[i].k, s.s.dest, "through a pipe"
				break
			}
			if ca.c.out != "-" && ca.c.out != "" && s.k.line >= ca.k.line {
				for _, file := range s.s.files {
					if sameFile(ca.c.out, file) {
						f.sendCmd, f.dest, f.how = &sends[i].k, s.s.dest, "through "+ca.c.out
						break
					}
				}
			}
		}
		used := map[int]bool{}
		for i, l := range listeners {
			if ca.c.out == "-" && ca.k.pipe != 0 && l.k.pipe == ca.k.pipe && l.k.stage > ca.k.stage {
				used[i] = true
				if f.serves == "" {
					f.serves = "pipes it to " + l.l.what + ", serving whoever connects"
				}
			}
		}
		for i, l := range listeners {
			if !used[i] && l.k.line <= ca.k.line && !(l.k.pipe != 0 && l.k.pipe == ca.k.pipe) {
				f.trigger, f.trigWhy = &listeners[i].k, l.l.what
			}
		}
		if best == nil || f.severity() > best.severity() {
			best = f
		}
	}
	if best.severity() == 0 {
		return // records to local storage only
	}
	reportScript(p, best)
}

var unknownPart = regexp.MustCompile(`\$\{[^}]*\}|\$\(…\)|\*+`)

// sameFile reports whether two words name the same file, an unknown part
// ("${ts}", "$(date +%s)") standing for anything.
func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	pa := unknownPart.ReplaceAllString(a, "*")
	pb := unknownPart.ReplaceAllString(b, "*")
	if !strings.Contains(pa, "*") {
		ok, _ := path.Match(pb, pa)
		return ok
	}
	if !strings.Contains(pb, "*") {
		ok, _ := path.Match(pa, pb)
		return ok
	}
	// Both partly unknown: the same literal start, and one literal end
	// ending the other.
	ia, ib := strings.Index(pa, "*"), strings.Index(pb, "*")
	pre := min(ia, ib)
	if pa[:pre] != pb[:pre] {
		return false
	}
	sa, sb := pa[strings.LastIndex(pa, "*")+1:], pb[strings.LastIndex(pb, "*")+1:]
	return strings.HasSuffix(sa, sb) || strings.HasSuffix(sb, sa)
}

func reportScript(p *analyzer.Pass, f *scriptFlow) {
	sev := f.severity()
	msg := fmt.Sprintf("line %d records the %s (`%s`)", f.cap.line, f.c.kind, clip(inventory.MaskText(f.cap.text)))
	switch {
	case f.how == "itself":
		msg += " and streams it to " + clip(inventory.MaskURL(f.dest))
	case f.sendCmd != nil:
		msg += fmt.Sprintf(" and line %d sends it %s to %s (`%s`)", f.sendCmd.line, f.how, clip(inventory.MaskURL(f.dest)), clip(inventory.MaskText(f.sendCmd.text)))
	default:
		msg += " and " + f.serves
	}
	cwe := []string{"CWE-359"}
	refs := []string{refCWE359}
	if f.trigger != nil {
		msg += fmt.Sprintf("; triggered remotely: it runs after %s (line %d)", f.trigWhy, f.trigger.line)
		cwe = append(cwe, "CWE-912")
		refs = append(refs, refCWE912)
	}
	if analyzer.InTestOrDocs(p.Entry) && sev > finding.Low {
		sev = finding.Low
	}
	p.Report(finding.Finding{
		Rule: RuleScript, Category: finding.SurveillanceCapability, CWE: cwe,
		Severity: sev, Confidence: finding.ConfidenceHigh, Title: Titles[RuleScript],
		Message:    msg,
		Location:   finding.Location{Line: f.cap.line},
		Evidence:   clip(inventory.MaskText(f.cap.text)),
		References: refs,
	})
}
