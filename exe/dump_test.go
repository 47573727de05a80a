package exe

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestDump prints what Parse makes of the files named in EXE_DUMP
// (colon-separated): a tool for looking at real binaries, skipped
// otherwise.
func TestDump(t *testing.T) {
	list := os.Getenv("EXE_DUMP")
	if list == "" {
		t.Skip("set EXE_DUMP=file[:file...] to print what Parse makes of them")
	}
	for _, name := range strings.Split(list, ":") {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		info, err := Parse(f, st.Size())
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if os.Getenv("EXE_DUMP_FULL") == "" {
			info.Sections = nil
			if info.Go != nil && len(info.Go.Packages) > 20 {
				info.Go.Packages = append(info.Go.Packages[:20], "...")
			}
			if len(info.Imports) > 40 {
				info.Imports = append(info.Imports[:40], "...")
			}
		}
		b, _ := json.MarshalIndent(info, "", "  ")
		t.Logf("%s:\n%s", name, b)
	}
}
