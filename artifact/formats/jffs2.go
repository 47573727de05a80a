package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/jffs2"
)

// JFFS2, the flash filesystem of NOR-flash routers and cameras, in either
// byte order, read with our format/jffs2. Carving looks for the first node
// of an image: a cleanmarker (mkfs.jffs2's default), or a dirent or inode
// node (mkfs.jffs2 -n), whose header CRC Detect then checks.
func init() {
	var magic [][]byte
	for _, t := range []uint16{0x2003, 0xe001, 0xe002} {
		magic = append(magic,
			[]byte{0x85, 0x19, byte(t), byte(t >> 8)}, // little-endian
			[]byte{0x19, 0x85, byte(t >> 8), byte(t)}) // big-endian
	}
	artifact.Register(&artifact.Format{
		Kind:     "jffs2",
		Priority: 75,
		Magic:    magic,
		Detect:   func(h []byte, _ int64) bool { return jffs2.Sniff(h) },
		Open:     openJFFS2,
		Length:   jffs2Length,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			l := jffs2Length(src)
			return l, l > 0
		},
	})
}

func jffs2Length(src artifact.Source) int64 {
	im, err := jffs2.Open(src, src.Size(), jffs2.Options{})
	if err != nil {
		return -1
	}
	return im.Length()
}

func openJFFS2(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := jffs2.Open(src, src.Size(), jffs2.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	for _, w := range im.Warnings() {
		oc.Warn(w)
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *jffs2.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget, Compressed: max(f.Compressed, 1),
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
