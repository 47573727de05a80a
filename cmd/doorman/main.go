// Command doorman finds backdoors and supply-chain tampering in firmware
// images, folders, archives, packages and binaries. See "doorman --help".
//
// For performance work, DOORMAN_CPUPROFILE=FILE and DOORMAN_MEMPROFILE=FILE
// write Go pprof profiles of the run (go tool pprof -top doorman FILE).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/doorman-sec/doorman/cli"
)

func main() {
	if p := os.Getenv("DOORMAN_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "doorman: DOORMAN_CPUPROFILE: %v\n", err)
			os.Exit(2)
		}
		pprof.StartCPUProfile(f)
	}
	code := cli.Main(os.Args[1:], os.Stdout, os.Stderr)
	if os.Getenv("DOORMAN_CPUPROFILE") != "" {
		pprof.StopCPUProfile()
	}
	if p := os.Getenv("DOORMAN_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			runtime.GC()
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	os.Exit(code)
}
