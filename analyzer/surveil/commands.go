package surveil

import (
	"path"
	"strings"
)

// capture is a command that records from a device.
type capture struct {
	kind   string // camera, microphone, screen, input
	out    string // file written; "-" for standard output
	netOut string // a network URL or sink the command streams to itself
	serves bool   // streams to clients that connect (a listening sink)
}

// send is a command that sends data to another host.
type send struct {
	files []string // local files sent
	stdin bool     // sends its standard input
	dest  string   // where to, for the message
}

// listener is a command that waits for inbound traffic.
type listener struct{ what string }

// wrappers run their arguments as the command.
var wrappers = map[string]bool{"exec": true, "nohup": true, "sudo": true, "nice": true, "ionice": true, "setsid": true, "env": true, "command": true, "busybox": true, "time": true, "stdbuf": true}

// command returns the command's name and arguments past wrappers
// ("busybox nc", "nohup ffmpeg", "timeout 10 arecord").
func command(args []string) (string, []string) {
	for i := 0; i < len(args) && i < 8; i++ {
		n := path.Base(args[0])
		if n == "timeout" && len(args) > 2 {
			args = args[2:]
			continue
		}
		if wrappers[n] && len(args) > 1 {
			args = args[1:]
			for len(args) > 1 && (strings.HasPrefix(args[0], "-") || strings.Contains(args[0], "=")) {
				args = args[1:]
			}
			continue
		}
		break
	}
	if len(args) == 0 {
		return "", nil
	}
	return path.Base(args[0]), args[1:]
}

// devKind names what a device path captures, or "".
func devKind(s string) string {
	switch {
	case strings.HasPrefix(s, "/dev/video"), strings.HasPrefix(s, "/dev/v4l/"):
		return "camera"
	case strings.HasPrefix(s, "/dev/snd/pcmC") && strings.HasSuffix(s, "c"), strings.HasPrefix(s, "/dev/dsp"), s == "/dev/audio":
		return "microphone"
	case strings.HasPrefix(s, "/dev/fb"):
		return "screen"
	case strings.HasPrefix(s, "/dev/input/"):
		return "input"
	}
	return ""
}

// netURL reports whether an output argument is a network destination.
func netURL(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"udp://", "tcp://", "rtp://", "rtmp://", "rtmps://", "srt://", "http://", "https://", "ftp://", "rtsp://", "icecast://", "sftp://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// flagValue returns the value of a flag given as "-o X", "--output X" or
// "--output=X".
func flagValue(args []string, names ...string) (string, bool) {
	for i, a := range args {
		for _, n := range names {
			if a == n && i+1 < len(args) {
				return args[i+1], true
			}
			if strings.HasPrefix(n, "--") && strings.HasPrefix(a, n+"=") {
				return a[len(n)+1:], true
			}
		}
	}
	return "", false
}

func hasArg(args []string, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// lastPositional is the last argument that is not an option.
func lastPositional(args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[len(args)-1], "-") && args[len(args)-1] != "-" {
		return ""
	}
	return args[len(args)-1]
}

// classifyCapture recognises capture commands.
func classifyCapture(c cmd) *capture {
	name, args := command(c.args)
	out := func(o string) string {
		if o == "" || o == "-" || o == "/dev/stdout" || o == "pipe:1" || o == "pipe:" {
			if c.out != "" {
				return c.out
			}
			return "-"
		}
		return o
	}
	switch name {
	case "ffmpeg", "avconv":
		kind := ""
		if f, ok := flagValue(args, "-f"); ok {
			switch f {
			case "v4l2", "video4linux2":
				kind = "camera"
			case "alsa", "oss", "pulse", "sndio":
				kind = "microphone"
			case "x11grab", "fbdev", "kmsgrab", "gdigrab", "avfoundation":
				kind = "screen"
			}
		}
		if in, ok := flagValue(args, "-i"); ok && kind == "" {
			kind = devKind(in)
		}
		if kind == "" {
			return nil
		}
		o := lastPositional(args)
		if netURL(o) {
			if hasArg(args, "-listen") {
				return &capture{kind: kind, serves: true}
			}
			return &capture{kind: kind, netOut: o}
		}
		return &capture{kind: kind, out: out(o)}
	case "arecord":
		o := ""
		if pos := positionals(args, "-D", "-f", "-r", "-c", "-d", "-t", "-s", "-B", "-F", "-N", "--device", "--format", "--rate", "--channels", "--duration", "--file-type"); len(pos) > 0 {
			o = pos[len(pos)-1]
		}
		return &capture{kind: "microphone", out: out(o)}
	case "fswebcam", "streamer", "uvccapture":
		o, ok := flagValue(args, "-o", "--save")
		if !ok {
			o = lastPositional(args)
		}
		return &capture{kind: "camera", out: out(o)}
	case "raspistill", "raspivid", "libcamera-still", "libcamera-vid", "libcamera-jpeg", "rpicam-still", "rpicam-vid", "rpicam-jpeg":
		o, _ := flagValue(args, "-o", "--output")
		if netURL(o) {
			return &capture{kind: "camera", netOut: o}
		}
		return &capture{kind: "camera", out: out(o)}
	case "fbgrab", "fbcat", "fbdump", "scrot":
		return &capture{kind: "screen", out: out(lastPositional(args))}
	case "evtest":
		return &capture{kind: "input", out: out("")}
	case "gst-launch-1.0", "gst-launch-0.10", "gst-launch":
		return gstCapture(args, out)
	case "cat", "dd", "head", "od", "hexdump":
		src := c.in
		if v, ok := flagPrefix(args, "if="); ok {
			src = v
		}
		for _, a := range args {
			if devKind(a) != "" {
				src = a
			}
		}
		kind := devKind(src)
		if kind == "" {
			return nil
		}
		o, _ := flagPrefix(args, "of=")
		return &capture{kind: kind, out: out(o)}
	}
	return nil
}

func flagPrefix(args []string, prefix string) (string, bool) {
	for _, a := range args {
		if strings.HasPrefix(a, prefix) {
			return a[len(prefix):], true
		}
	}
	return "", false
}

// gstCapture reads a gst-launch pipeline description: a capture source
// element and where its sink sends.
func gstCapture(args []string, out func(string) string) *capture {
	kind := ""
	for _, a := range args {
		switch a {
		case "v4l2src", "libcamerasrc", "rpicamsrc":
			kind = "camera"
		case "alsasrc", "pulsesrc", "osssrc", "autoaudiosrc":
			kind = "microphone"
		case "ximagesrc", "fbdevsrc":
			kind = "screen"
		}
	}
	if kind == "" {
		return nil
	}
	c := &capture{kind: kind}
	for i, a := range args {
		switch a {
		case "udpsink", "multiudpsink", "tcpclientsink", "rtmpsink", "rtmp2sink", "souphttpclientsink", "srtsink", "shout2send":
			dest := a
			for _, p := range args[i+1:] {
				if p == "!" {
					break
				}
				if strings.HasPrefix(p, "host=") || strings.HasPrefix(p, "location=") || strings.HasPrefix(p, "clients=") || strings.HasPrefix(p, "uri=") {
					dest = a + " " + p
				}
			}
			c.netOut = dest
		case "tcpserversink", "rtspclientsink", "srtserversink":
			if a == "rtspclientsink" {
				c.netOut = a
			} else {
				c.serves = true
			}
		case "filesink", "multifilesink":
			for _, p := range args[i+1:] {
				if p == "!" {
					break
				}
				if strings.HasPrefix(p, "location=") {
					c.out = p[len("location="):]
				}
			}
		case "fdsink":
			c.out = out("")
		}
	}
	return c
}

// classifySend recognises commands that send data to another host.
func classifySend(c cmd) *send {
	name, args := command(c.args)
	s := &send{}
	stdinFile := func(f string) {
		if f == "-" || f == "." || f == "/dev/stdin" {
			s.stdin = true
		} else if f != "" {
			s.files = append(s.files, f)
		}
	}
	switch name {
	case "curl":
		for i, a := range args {
			v := ""
			if i+1 < len(args) {
				v = args[i+1]
			}
			switch {
			case a == "-F" || a == "--form" || a == "--form-string":
				if _, f, ok := strings.Cut(v, "=@"); ok {
					f, _, _ = strings.Cut(f, ";")
					stdinFile(f)
				} else if _, f, ok := strings.Cut(v, "=<"); ok {
					stdinFile(f)
				}
			case a == "-T" || a == "--upload-file":
				stdinFile(v)
			case a == "-d" || a == "--data" || a == "--data-binary" || a == "--data-raw" || a == "--data-urlencode":
				if strings.HasPrefix(v, "@") {
					stdinFile(v[1:])
				}
			case strings.HasPrefix(a, "-F") && len(a) > 2 && strings.Contains(a, "=@"):
				_, f, _ := strings.Cut(a, "=@")
				stdinFile(f)
			case strings.HasPrefix(a, "--upload-file="):
				stdinFile(a[len("--upload-file="):])
			case strings.HasPrefix(a, "--data-binary=@"):
				stdinFile(a[len("--data-binary=@"):])
			}
			if netURL(a) && s.dest == "" {
				s.dest = a
			}
		}
	case "wget", "uclient-fetch":
		if f, ok := flagValue(args, "--post-file", "--body-file"); ok {
			stdinFile(f)
		}
		for _, a := range args {
			if netURL(a) {
				s.dest = a
			}
		}
	case "nc", "netcat", "ncat", "nc.traditional", "nc.openbsd":
		if listening(args) {
			return nil
		}
		pos := positionals(args, "-p", "-w", "-s", "-i", "-q", "-x", "-X")
		if len(pos) < 2 {
			return nil
		}
		s.dest = pos[0] + ":" + pos[1]
		if c.in != "" {
			stdinFile(c.in)
		} else {
			s.stdin = true
		}
	case "socat":
		if len(args) < 2 {
			return nil
		}
		remote := ""
		local := ""
		for _, a := range args {
			u := strings.ToUpper(a)
			switch {
			case strings.HasPrefix(u, "TCP:"), strings.HasPrefix(u, "TCP4:"), strings.HasPrefix(u, "TCP6:"), strings.HasPrefix(u, "UDP:"),
				strings.HasPrefix(u, "UDP4:"), strings.HasPrefix(u, "UDP-SENDTO:"), strings.HasPrefix(u, "UDP-DATAGRAM:"), strings.HasPrefix(u, "OPENSSL:"):
				remote = a
			case a == "-" || u == "STDIN" || u == "STDIO":
				local = "-"
			case strings.HasPrefix(u, "FILE:"), strings.HasPrefix(u, "OPEN:"):
				local, _, _ = strings.Cut(a[strings.IndexByte(a, ':')+1:], ",")
			}
		}
		if remote == "" || local == "" {
			return nil
		}
		s.dest = remote
		if local == "-" && c.in != "" {
			local = c.in
		}
		stdinFile(local)
	case "ftpput":
		pos := positionals(args, "-u", "-p", "-P")
		if len(pos) < 2 {
			return nil
		}
		s.dest = "ftp://" + pos[0]
		for _, f := range pos[min(2, len(pos)-1):] {
			stdinFile(f)
		}
	case "tftp", "atftp":
		if !hasArg(args, "-p", "--put") && !strings.Contains(strings.Join(args, " "), "put") {
			return nil
		}
		if f, ok := flagValue(args, "-l", "--local-file"); ok {
			stdinFile(f)
		} else if f, ok := flagValue(args, "-r", "--remote-file"); ok {
			stdinFile(f)
		}
		if pos := positionals(args, "-l", "-r", "-b", "--local-file", "--remote-file"); len(pos) > 0 {
			s.dest = "tftp://" + pos[0]
		}
	case "scp", "rsync", "sftp":
		pos := positionals(args, "-P", "-i", "-o", "-e", "-l", "-F", "-c")
		if len(pos) < 2 || !strings.Contains(pos[len(pos)-1], ":") {
			return nil
		}
		s.dest = pos[len(pos)-1]
		for _, f := range pos[:len(pos)-1] {
			stdinFile(f)
		}
	default:
		return nil
	}
	if len(s.files) == 0 && !s.stdin {
		return nil // a download, not an upload
	}
	return s
}

// listening reports whether netcat arguments ask it to listen.
func listening(args []string) bool {
	for _, a := range args {
		if a == "--listen" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'l') {
			return true
		}
	}
	return false
}

// classifyListener recognises commands that wait for inbound traffic.
func classifyListener(c cmd) *listener {
	name, args := command(c.args)
	switch name {
	case "nc", "netcat", "ncat", "nc.traditional", "nc.openbsd":
		if listening(args) {
			proto := "TCP"
			for _, a := range args {
				if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'u') || a == "--udp" {
					proto = "UDP"
				}
			}
			port, _ := flagValue(args, "-p")
			if port == "" {
				if pos := positionals(args, "-w", "-s", "-i", "-q"); len(pos) > 0 {
					port = pos[len(pos)-1]
				}
			}
			return &listener{what: name + " listening on " + proto + " port " + port}
		}
	case "socat":
		for _, a := range args {
			u := strings.ToUpper(a)
			for _, k := range []string{"UDP-RECV:", "UDP-RECVFROM:", "UDP-LISTEN:", "UDP4-RECV:", "UDP4-LISTEN:", "TCP-LISTEN:", "TCP4-LISTEN:", "IP-RECV:", "SOCKET-RECV:"} {
				if strings.HasPrefix(u, k) {
					return &listener{what: "socat " + a}
				}
			}
		}
	}
	return nil
}

// positionals returns the arguments that are not options or their values.
func positionals(args []string, valueFlags ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if hasArg(valueFlags, a) {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			continue
		}
		out = append(out, a)
	}
	return out
}
