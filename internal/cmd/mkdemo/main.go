// Command mkdemo writes the demo firmware image used by the README's demo
// command (testdata/demo/router.bin). The image is reproducible: running
// it again gives the same bytes, and a test checks the committed copy.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/doorman-sec/doorman/internal/fixture"
)

func main() {
	out := flag.String("o", "testdata/demo/router.bin", "where to write the image")
	flag.Parse()
	if err := os.WriteFile(*out, fixture.DemoRouter(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkdemo:", err)
		os.Exit(1)
	}
}
