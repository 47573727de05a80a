// Command doorman finds backdoors and supply-chain tampering in firmware
// images, folders, archives, packages and binaries. See "doorman --help".
package main

import (
	"os"

	"github.com/doorman-sec/doorman/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
