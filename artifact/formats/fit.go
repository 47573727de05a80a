package formats

import (
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/fit"
)

// U-Boot FIT images, read with our format/fit: each node of /images
// (kernel, ramdisk, fdt-1) is a child named after the node, its data a
// region of the image, inline or external (mkimage -E). Detection needs
// the /images node early in the tree, so plain device trees stay data.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "fit",
		Priority: 70,
		Magic:    [][]byte{{0xd0, 0x0d, 0xfe, 0xed}},
		Detect:   fit.Sniff,
		Open:     openFIT,
		Length: func(src artifact.Source) int64 {
			f, err := fit.Open(src, src.Size())
			if err != nil {
				return -1
			}
			return f.Length()
		},
	})
}

func openFIT(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	f, err := fit.Open(src, src.Size())
	if err != nil {
		return err
	}
	for _, w := range f.Warnings() {
		oc.Warn(w)
	}
	seen := map[string]bool{}
	for i, im := range f.Images {
		name := im.Name
		if name == "" || seen[name] {
			name = fmt.Sprintf("image%d", i)
		}
		seen[name] = true
		if err := emit(artifact.Child{Name: name, Mode: 0o644, Size: im.Size, Section: io.NewSectionReader(src, im.Offset, im.Size)}); err != nil {
			return err
		}
	}
	return nil
}
