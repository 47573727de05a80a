package corpus

import (
	"testing"
)

// TestCorpus runs every case of testdata/corpus through the real pipeline.
func TestCorpus(t *testing.T) {
	cases, err := Load("../../testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no corpus cases found")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r, err := Run(c, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK() {
				t.Errorf("case %s (%s):\n%s", c.Name, c.Description, Describe(r))
			}
		})
	}
}
