package fit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// exercise checks Open's promises on any input: Sniff never accepts what
// Open calls no FIT, images lie within the data, Length fits.
func exercise(t testing.TB, data []byte) {
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if Sniff(data, int64(len(data))) && errors.Is(err, ErrNotFIT) {
			t.Fatalf("Sniff accepted, Open: %v", err)
		}
		return
	}
	if f.Length() <= 0 || f.Length() > int64(len(data)) {
		t.Fatalf("Length %d of %d", f.Length(), len(data))
	}
	for _, im := range f.Images {
		if im.Offset < 0 || im.Size <= 0 || im.Offset+im.Size > int64(len(data)) {
			t.Fatalf("image %+v outside %d bytes", im, len(data))
		}
	}
}

func TestTruncated(t *testing.T) {
	img := sampleFIT([]byte("KERNEL"), []byte("RAMDISK!"), []byte("DT"))
	for cut := 0; cut < len(img); cut++ {
		exercise(t, img[:cut])
		if _, err := Open(bytes.NewReader(img[:cut]), int64(cut)); err == nil {
			t.Fatalf("cut at %d of %d opened", cut, len(img))
		}
	}
}

func TestHostile(t *testing.T) {
	open := func(b []byte) (*FIT, error) { return Open(bytes.NewReader(b), int64(len(b))) }
	t.Run("external data past the end", func(t *testing.T) {
		img := fdt(tnode{children: []tnode{{name: "images", children: []tnode{
			{name: "far", props: []tprop{{"data-offset", cell(0)}, {"data-size", cell(1 << 30)}}},
			{name: "neg", props: []tprop{{"data-position", cell(0xffffffff)}, {"data-size", cell(4)}}},
			{name: "none", props: []tprop{{"data-size", cell(4)}}},
			{name: "ok", props: []tprop{{"data-offset", cell(0)}, {"data-size", cell(4)}}},
		}}}}, []byte("DATA"))
		f, err := open(img)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Images) != 1 || f.Images[0].Name != "ok" || len(f.Warnings()) != 3 {
			t.Errorf("images %+v, warnings %v", f.Images, f.Warnings())
		}
	})
	t.Run("deep", func(t *testing.T) {
		n := tnode{name: "leaf"}
		for range maxDepth + 5 {
			n = tnode{name: "n", children: []tnode{n}}
		}
		img := fdt(tnode{children: []tnode{{name: "images"}, n}}, nil)
		if _, err := open(img); !errors.Is(err, ErrLimit) {
			t.Errorf("got %v, want ErrLimit", err)
		}
	})
	t.Run("lying property length", func(t *testing.T) {
		img := sampleFIT([]byte("KERNEL"), []byte("R"), []byte("D"))
		i := bytes.Index(img, []byte("KERNEL"))
		be.PutUint32(img[i-8:], 1<<30)
		if _, err := open(img); !errors.Is(err, ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
	})
	t.Run("bad header", func(t *testing.T) {
		good := sampleFIT([]byte("K"), []byte("R"), []byte("D"))
		for name, edit := range map[string]func(b []byte){
			"total size": func(b []byte) { be.PutUint32(b[4:], uint32(len(b)+1)) },
			"struct off": func(b []byte) { be.PutUint32(b[8:], 0xfffffff0) },
			"strings":    func(b []byte) { be.PutUint32(b[32:], 0xfffffff0) },
			"version":    func(b []byte) { be.PutUint32(b[20:], 3) },
		} {
			b := append([]byte(nil), good...)
			edit(b)
			if _, err := open(b); !errors.Is(err, ErrNotFIT) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	t.Run("bad tokens", func(t *testing.T) {
		good := sampleFIT([]byte("K"), []byte("R"), []byte("D"))
		end := bytes.LastIndex(good, cell(tokEnd))
		for name, edit := range map[string]func(b []byte){
			"unknown token": func(b []byte) { be.PutUint32(b[end:], 7) },
			"end node early": func(b []byte) {
				be.PutUint32(b[end-4:], tokEnd) // the root's FDT_END_NODE
			},
			"second root": func(b []byte) { be.PutUint32(b[end:], tokBeginNode) },
		} {
			b := append([]byte(nil), good...)
			edit(b)
			if _, err := open(b); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	t.Run("long name", func(t *testing.T) {
		img := fdt(tnode{children: []tnode{{name: "images", children: []tnode{{name: strings.Repeat("x", 300)}}}}}, nil)
		if _, err := open(img); !errors.Is(err, ErrCorrupt) {
			t.Errorf("got %v", err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	f.Add(sampleFIT([]byte("KERNEL"), []byte("RAMDISK!"), []byte("DT")))
	f.Add(fdt(tnode{children: []tnode{{name: "images", children: []tnode{
		{name: "k", props: []tprop{{"data-offset", cell(0)}, {"data-size", cell(4)}}},
		{name: "r", props: []tprop{{"data-position", cell(0)}, {"data-size", cell(8)}}},
	}}}}, []byte("DATA")))
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data) })
}
