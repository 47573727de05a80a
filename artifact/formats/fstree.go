package formats

import (
	"io"
	"io/fs"

	"github.com/doorman-sec/doorman/artifact"
)

// fsFile is one file of a file-system image as its reader's walk reports
// it, in the shape the adapters need.
type fsFile struct {
	Path       string
	Mode       fs.FileMode
	Size       int64
	LinkTarget string
	Compressed int64 // image bytes behind the content, for the ratio limit; 0 unknown
	Open       func() (io.Reader, error)
}

// emitTree turns a file-system reader's walk into children, each regular
// file's content streamed on demand. walk calls visit for every file; an
// error from emit (a limit, the timeout) stops the walk and is returned
// as it is, so the walker recognises it.
func emitTree(emit func(artifact.Child) error, walk func(visit func(fsFile) error) error) error {
	var stop error
	err := walk(func(f fsFile) error {
		c := artifact.Child{Name: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget, Compressed: f.Compressed}
		if f.Mode.IsRegular() {
			open := f.Open
			c.Stream = func() (io.ReadCloser, error) {
				r, err := open()
				if err != nil {
					return nil, err
				}
				return nopCloser{r}, nil
			}
		}
		if err := emit(c); err != nil {
			stop = err
			return err
		}
		return nil
	})
	if stop != nil {
		return stop
	}
	return err
}
