package updatediff

import (
	"github.com/doorman-sec/doorman/finding"
)

// Key is what makes two findings of different versions the same: the
// rule, the normalised location path (NormPath) and the evidence. The
// line is left out: an edit above a finding moves it without changing it.
type Key struct {
	Rule, Path, Evidence string
}

// KeyOf returns the matching key of a finding of a report whose target is
// named target.
func KeyOf(f *finding.Finding, target string) Key {
	t := f.Location.Target
	if t == "" {
		t = target
	}
	return Key{Rule: f.Rule, Path: NormPath(f.Location.Path, t), Evidence: f.Evidence}
}

// matchFindings splits findings into those only NEW has (introduced) and
// those only OLD has (removed). Keys are counted, not just looked up: if
// OLD had one empty-password account in a file and NEW has two with the
// same evidence, one of NEW's is new.
func matchFindings(oldFs []finding.Finding, oldTarget string, newFs []finding.Finding, newTarget string) (introduced, removed []finding.Finding) {
	oldCount := map[Key]int{}
	for i := range oldFs {
		oldCount[KeyOf(&oldFs[i], oldTarget)]++
	}
	newCount := map[Key]int{}
	for i := range newFs {
		newCount[KeyOf(&newFs[i], newTarget)]++
	}
	introduced = []finding.Finding{}
	seen := map[Key]int{}
	for _, f := range newFs {
		k := KeyOf(&f, newTarget)
		seen[k]++
		if seen[k] > oldCount[k] {
			introduced = append(introduced, f)
		}
	}
	removed = []finding.Finding{}
	seen = map[Key]int{}
	for _, f := range oldFs {
		k := KeyOf(&f, oldTarget)
		seen[k]++
		if seen[k] > newCount[k] {
			removed = append(removed, f)
		}
	}
	return introduced, removed
}
