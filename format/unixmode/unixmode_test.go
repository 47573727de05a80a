package unixmode

import (
	"io/fs"
	"testing"
)

func TestFileMode(t *testing.T) {
	for _, c := range []struct {
		in   uint32
		want fs.FileMode
	}{
		{0o100644, 0o644},
		{0o104755, fs.ModeSetuid | 0o755},
		{0o041777, fs.ModeDir | fs.ModeSticky | 0o777},
		{0o120777, fs.ModeSymlink | 0o777},
		{0o020600, fs.ModeDevice | fs.ModeCharDevice | 0o600},
		{0o060600, fs.ModeDevice | 0o600},
		{0o010644, fs.ModeNamedPipe | 0o644},
		{0o140755, fs.ModeSocket | 0o755},
		{0o000644, fs.ModeIrregular | 0o644},
		{0o170644, fs.ModeIrregular | 0o644},
	} {
		if got := FileMode(c.in); got != c.want {
			t.Errorf("FileMode(%o) = %v, want %v", c.in, got, c.want)
		}
	}
}
