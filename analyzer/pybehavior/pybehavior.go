package pybehavior

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the files read: Python source larger than this is
// generated data, not a package's code.
const maxFile = 8 << 20

// maxPerRule bounds the findings of one rule in one file.
const maxPerRule = 10

// Analyzer is the Python behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:   "pybehavior",
	Doc:    "follows data within Python files to find download-and-run, theft of secrets, remote command execution, decoded payloads, time bombs and magic passwords",
	Wants:  wants,
	Run:    run,
	Finish: finish,
}

func wants(e *artifact.Entry) bool {
	if !e.IsRegular() || e.Size <= 0 || e.Size > maxFile {
		return false
	}
	base := e.Base()
	switch strings.ToLower(path.Ext(base)) {
	case ".py", ".pyw", ".pth":
		return true
	}
	return base == "setup.cfg"
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil {
		return
	}
	base := p.Entry.Base()
	if base == "setup.cfg" {
		readSetupCfg(p, data)
		return
	}
	src := string(data)
	pth := strings.HasSuffix(strings.ToLower(base), ".pth")
	if pth {
		src = pthCode(src)
	}
	rep := newReporter(p)
	stmts, hidden := parseFile(src)
	a := newAnalysis(src, rep.add)
	a.run(stmts)
	for _, off := range hidden {
		hiddenCode(rep, src, off)
	}
	if pth {
		pthLines(rep, a, stmts)
	}
}

// pthCode keeps only the lines Python's site module executes in a .pth
// file (those starting with "import"), blanking the others so that offsets
// and line numbers stay those of the file.
func pthCode(src string) string {
	b := []byte(src)
	start := 0
	for start < len(b) {
		end := start
		for end < len(b) && b[end] != '\n' {
			end++
		}
		line := b[start:end]
		if !(len(line) > 6 && string(line[:6]) == "import" && (line[6] == ' ' || line[6] == '\t')) {
			for i := range line {
				if line[i] != '\r' {
					line[i] = ' '
				}
			}
		}
		start = end + 1
	}
	return string(b)
}

// pthDangerous are calls that have no business in a .pth import line.
var pthDangerous = []string{"exec", "eval", "compile", "base64.", "codecs.decode", "zlib.", "marshal.", "pickle.", "urllib",
	"requests.", "http.", "socket.", "subprocess.", "os.system", "os.popen", "os.exec", "os.spawn", "binascii.", "ctypes."}

// pthLines reports .pth import lines that call what no path setup needs
// (real ones: "import _virtualenv", setuptools' distutils-precedence.pth,
// editable-install finders).
func pthLines(rep *reporter, a *analysis, stmts []stmt) {
	for _, s := range stmts {
		var bad string
		check := func(n *node) bool {
			if bad != "" {
				return false
			}
			if n.kind == nCall {
				fn := a.dotted(n.x)
				for _, d := range pthDangerous {
					if fn == d || strings.HasSuffix(d, ".") && strings.HasPrefix(fn, d) || d == "urllib" && strings.HasPrefix(fn, d) {
						bad = fn
					}
				}
				if (fn == "__import__" || fn == "importlib.import_module") && len(n.kids) > 0 && n.kids[0].kind == nStr {
					for _, d := range pthDangerous {
						if strings.HasPrefix(n.kids[0].str+".", d) {
							bad = "__import__('" + n.kids[0].str + "')"
						}
					}
				}
			}
			return bad == ""
		}
		walk(s.value, check)
		for _, t := range s.targets {
			walk(t, check)
		}
		if bad != "" {
			rep.add(rulePthExec, s.off, "a .pth import line, run at every interpreter start, calls "+bad, "")
		}
	}
}

// hiddenCode reports code pushed out of sight by a long run of blanks.
func hiddenCode(rep *reporter, src string, off int) {
	end := off
	for end < len(src) && end-off < 400 && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	code := src[off:end]
	r := ruleHiddenCode
	for _, w := range []string{"exec", "eval", "__import__", "compile", "b64decode", "system", "urlopen", "requests", "marshal", "zlib"} {
		if strings.Contains(code, w) {
			r.severity = finding.High
			break
		}
	}
	rep.add(r, off, fmt.Sprintf("code starts after %d blanks, out of sight in editors and diffs: %s", blanksBefore(src, off), clip(code, 80)), "")
}

func blanksBefore(src string, off int) int {
	n := 0
	for i := off - 1; i >= 0 && (src[i] == ' ' || src[i] == '\t'); i-- {
		n++
	}
	return n
}

// reporter turns detector results into deferred findings: one per rule
// and line, at most maxPerRule per rule and file.
type reporter struct {
	p     *analyzer.Pass
	seen  map[string]bool
	count map[string]int
}

func newReporter(p *analyzer.Pass) *reporter {
	return &reporter{p: p, seen: map[string]bool{}, count: map[string]int{}}
}

func (r *reporter) add(ru rule, off int, msg, secret string) {
	line, col := r.p.Line(int64(off))
	key := fmt.Sprintf("%s:%d", ru.id, line)
	if r.seen[key] || r.count[ru.id] >= maxPerRule {
		return
	}
	r.seen[key] = true
	r.count[ru.id]++
	ev := strings.TrimSpace(r.p.LineText(int64(off)))
	if secret != "" {
		ev = strings.ReplaceAll(ev, secret, finding.Mask(secret))
	}
	if len(ev) > 200 {
		// Long lines (padded one-liners): show the part around the finding.
		rel := col - 1 - (len(r.p.LineText(int64(off))) - len(strings.TrimLeft(r.p.LineText(int64(off)), " \t")))
		if rel < 0 || rel > len(ev) {
			rel = 0
		}
		ev = clip(ev[rel:], 200)
	}
	o := int64(off)
	f := finding.Finding{
		Rule:       ru.id,
		Category:   ru.category,
		CWE:        ru.cwe,
		Severity:   ru.severity,
		Confidence: ru.confidence,
		Title:      ru.title,
		Message:    msg,
		Location:   finding.Location{Line: line, Column: col, Offset: &o},
		Evidence:   ev,
	}
	deferFinding(r.p, f)
}
