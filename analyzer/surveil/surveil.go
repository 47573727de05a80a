// Package surveil finds programs that can watch or listen to the people
// around a device and send what they record: binaries and shell scripts
// that open a camera, microphone, screen or input device (/dev/video*,
// V4L2, ALSA capture, /dev/dsp, the framebuffer, X11 screen grabs,
// /dev/input) and also send data over the network. This is the central
// scenario of a covert surveillance implant: a program that waits for a
// signal, then switches on the camera or microphone and uploads what it
// records.
//
// One finding per program, category surveillance-capability (CWE-359;
// CWE-912 is added when a trigger or a fixed upload endpoint makes the
// capability hidden functionality). The category stays
// surveillance-capability even when a trigger is found: the trigger is a
// property of the capture, and one finding per program keeps the report
// readable; the message says "triggered remotely".
//
// Binaries are judged by the symbols they import from their dynamic symbol
// table (whole names such as connect, bind, recvfrom, snd_pcm_readi,
// v4l2_open, read with debug/elf under recover) and by device paths and
// URLs among their strings:
//
//   - camera or microphone capture alone: info (a camera application);
//   - serving captured data to clients that connect (listen/accept, an
//     mjpg-streamer-like server): info, that is a camera's ordinary job;
//   - capture and an outbound connection (connect, curl): medium;
//   - and a datagram or packet trigger (bind + recvfrom with no
//     listen/accept, or a pcap sniffer), or a hard-coded upload endpoint:
//     high;
//   - trigger and fixed endpoint together: critical.
//
// Framebuffer, /dev/input and /dev/dsp are weak evidence (every GUI draws
// on the framebuffer and reads touch events; audio players open /dev/dsp):
// a program with only these is reported only when it also sends to a fixed
// upload endpoint (medium) and has a trigger (high).
//
// Scripts are parsed with mvdan.cc/sh. A capture command (ffmpeg/avconv
// -f v4l2|alsa|x11grab|fbdev, arecord, fswebcam, raspistill, libcamera,
// gst-launch with a v4l2src/alsasrc, cat or dd of a device) whose output
// reaches a send command (curl -F/-T/--data-binary, wget --post-file, nc
// HOST PORT, socat to a remote address, ftpput, tftp -p, scp) through a
// pipe or a file, or that streams to a network URL itself, is high; when
// a listener (nc -l, socat UDP-RECV/-LISTEN) comes before the capture, the
// capture is triggered remotely: critical. Capture piped into a listener
// (serving whoever connects) is medium. Capture to local storage only,
// uploads of files that were not captured, and documentation are quiet.
//
// Rules:
//
//	DM-SURV-001  Program captures camera, microphone, screen or input and sends data out
//	DM-SURV-002  Script captures camera, microphone, screen or input and sends the recording out
package surveil

import (
	"bytes"

	"github.com/doorman-sec/doorman/analyzer"
)

// Rule ids.
const (
	RuleBinary = "DM-SURV-001"
	RuleScript = "DM-SURV-002"
)

// Titles maps each rule id to its title.
var Titles = map[string]string{
	RuleBinary: "Program captures camera, microphone, screen or input and sends data out",
	RuleScript: "Script captures camera, microphone, screen or input and sends the recording out",
}

const (
	refCWE359 = "https://cwe.mitre.org/data/definitions/359.html"
	refCWE912 = "https://cwe.mitre.org/data/definitions/912.html"
	refV4L2   = "https://www.kernel.org/doc/html/latest/userspace-api/media/v4l/v4l2.html"
	refALSA   = "https://www.alsa-project.org/alsa-doc/alsa-lib/pcm.html"
)

// keywords: indices 0..lastCapture are capture evidence (device paths,
// V4L2/ALSA/X11 names as they sit in .dynstr or messages, capture tools);
// the rest are network strings used only once a capture hit was seen.
var keywords = []string{
	"/dev/video", "/dev/v4l/", "v4l2", "VIDIOC_", // 0-3 camera
	"/dev/snd/pcmC", "snd_pcm_readi", "snd_pcm_readn", "snd_pcm_mmap_readi", "/dev/dsp", // 4-8 microphone
	"XGetImage", "XShmGetImage", "/dev/fb", // 9-11 screen
	"/dev/input/event",                                                  // 12 input
	"ffmpeg", "avconv", "arecord", "fswebcam", "raspistill", "raspivid", // 13-18 script tools
	"libcamera-", "rpicam-", "gst-launch", "fbgrab", "fbcat", "uvccapture", "x11grab", // 19-25
	"http://", "https://", "ftp://", "tftp://", "rtmp://", // 26-30 endpoints
	"POST ", "multipart/form-data", "PUT ", // 31-33 upload verbs
}

const (
	lastCapture = 25
	firstURL    = 26
	lastURL     = 30
	firstVerb   = 31
)

// Analyzer is the surveillance-capability analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:     "surveil",
	Doc:      "finds binaries and scripts that open a camera, microphone, screen or input device and send data over the network, worse when an inbound trigger or a fixed upload endpoint is present",
	Keywords: keywords,
	Run:      run,
}

func run(p *analyzer.Pass) {
	capture := false
	for _, h := range p.Hits() {
		if h.Keyword <= lastCapture {
			capture = true
			break
		}
	}
	if !capture {
		return // URLs alone are the inventory's business
	}
	if p.Entry.Kind == "elf" {
		runBinary(p)
		return
	}
	data := p.Data()
	if len(data) == 0 || len(data) > maxScript || bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 || !isShell(p.Entry.Name, data) {
		return
	}
	runScript(p, data)
}
