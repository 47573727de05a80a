package updatepath

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

const opkgConfSigned = "dest root /\ndest ram /tmp\nlists_dir ext /var/opkg-lists\noption overlay_root /overlay\noption check_signature\n"

const opkgConfUnsigned = "dest root /\ndest ram /tmp\nlists_dir ext /var/opkg-lists\noption overlay_root /overlay\n#option check_signature\n"

const distfeedsHTTP = "src/gz openwrt_core http://downloads.example.com/releases/23.05.3/targets/ramips/mt7621/packages\n" +
	"src/gz openwrt_base http://downloads.example.com/releases/23.05.3/packages/mipsel_24kc/base\n"

const distfeedsHTTPS = "src/gz openwrt_core https://downloads.example.com/releases/23.05.3/targets/ramips/mt7621/packages\n"

func TestOpkgUnsignedHTTPFeeds(t *testing.T) {
	r := scan(t, map[string]string{
		"etc/opkg.conf":             opkgConfUnsigned,
		"etc/opkg/distfeeds.conf":   distfeedsHTTP,
		"etc/opkg/customfeeds.conf": "# add your custom package feeds here\n#src/gz example_feed_name http://www.example.com/path/to/files\n",
	})
	f := one(t, r, RuleFeeds, "etc/opkg.conf")
	if f.Severity != finding.High || f.Location.Line != 5 || f.Evidence != "#option check_signature" {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "commented out", "2 feed(s)", "etc/opkg/distfeeds.conf:1")
	if len(r.Findings) != 1 {
		t.Fatalf("want one finding for the configuration, got %d", len(r.Findings))
	}
}

// Entware-style: feeds in opkg.conf itself, no check_signature line.
func TestOpkgFeedInMainConf(t *testing.T) {
	r := scan(t, map[string]string{"opt/etc/opkg.conf": "src/gz entware http://bin.example.com/mipselsf-k3.4\ndest root /\nlists_dir ext /opt/var/opkg-lists\n"})
	f := one(t, r, RuleFeeds, "opkg.conf")
	if f.Severity != finding.High || f.Location.Line != 1 {
		t.Fatalf("got %+v", f)
	}
}

func TestOpkgUnsignedHTTPSFeedsMedium(t *testing.T) {
	r := scan(t, map[string]string{"etc/opkg.conf": opkgConfUnsigned, "etc/opkg/distfeeds.conf": distfeedsHTTPS})
	if f := one(t, r, RuleFeeds, "etc/opkg.conf"); f.Severity != finding.Medium {
		t.Fatalf("got %+v", f)
	}
}

func TestOpkgNearMisses(t *testing.T) {
	// Signature checking on: quiet whatever the feeds' scheme (the index
	// is usign-signed and packages are pinned by SHA-256 in it).
	quiet(t, scan(t, map[string]string{"etc/opkg.conf": opkgConfSigned, "etc/opkg/distfeeds.conf": distfeedsHTTPS}))
	quiet(t, scan(t, map[string]string{"etc/opkg.conf": opkgConfSigned, "etc/opkg/distfeeds.conf": distfeedsHTTP}))
	// Local feeds only.
	quiet(t, scan(t, map[string]string{"etc/opkg.conf": opkgConfUnsigned, "etc/opkg/distfeeds.conf": "src/gz local file:///mnt/usb/packages\n"}))
	// Two file systems do not mix: the signed image is quiet, the other
	// is reported alone.
	tarOf := func(conf string) string {
		return string(fixture.Tar([]fixture.File{{Path: "etc/opkg.conf", Data: []byte(conf)}, {Path: "etc/opkg/distfeeds.conf", Data: []byte(distfeedsHTTP)}}))
	}
	r := scan(t, map[string]string{"signed.tar": tarOf(opkgConfSigned), "unsigned.tar": tarOf(opkgConfUnsigned)})
	one(t, r, RuleFeeds, "unsigned.tar!/etc/opkg.conf")
	if len(r.Findings) != 1 {
		t.Fatalf("got %+v", r.Findings)
	}
}

func TestParseOpkgConf(t *testing.T) {
	f := ParseOpkgConf([]byte("option check_signature 0\nsrc/gz a \"http://x.example.com/a\"\n  # option check_signature\n"), "etc/opkg.conf")
	if !f.CheckSig || len(f.Feeds) != 1 || f.Feeds[0].URL != "http://x.example.com/a" || f.Commented != 3 {
		t.Fatalf("got %+v", f)
	}
}
