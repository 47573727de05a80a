package updatepath

import (
	"testing"
)

// OpenWrt's way: the image is signed and checked with a key shipped in
// /etc/opkg/keys before sysupgrade.
func TestUsignBeforeSysupgradeIsQuiet(t *testing.T) {
	quiet(t, scan(t, map[string]string{"usr/sbin/signed_upgrade.sh": shebang +
		"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
		"wget -O /tmp/fw.bin.sig http://192.0.2.10/fw.bin.sig\n" +
		"if ! usign -V -q -m /tmp/fw.bin -x /tmp/fw.bin.sig -P /etc/opkg/keys; then\n\techo bad signature; exit 1\nfi\n" +
		"sysupgrade /tmp/fw.bin\n"}))
}

func TestOpensslAndGpgVerifyAreQuiet(t *testing.T) {
	quiet(t, scan(t, map[string]string{
		"usr/sbin/ossl.sh": shebang +
			"curl -o /tmp/fw.img http://192.0.2.10/fw.img\ncurl -o /tmp/fw.img.sig http://192.0.2.10/fw.img.sig\n" +
			"openssl dgst -sha256 -verify /etc/fw_pub.pem -signature /tmp/fw.img.sig /tmp/fw.img || exit 1\n" +
			"dd if=/tmp/fw.img of=/dev/mmcblk0p2 bs=1M\n",
		"usr/sbin/gpg.sh": shebang +
			"wget -O /tmp/pkg.deb http://192.0.2.10/pkg.deb\nwget -O /tmp/pkg.deb.asc http://192.0.2.10/pkg.deb.asc\n" +
			"gpgv --keyring /etc/vendor.gpg /tmp/pkg.deb.asc /tmp/pkg.deb && dpkg -i /tmp/pkg.deb\n",
	}))
}

// A digest written in the script pins the image, however it is compared.
func TestPinnedDigestIsQuiet(t *testing.T) {
	const h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	quiet(t, scan(t, map[string]string{
		"usr/sbin/pinned1.sh": shebang +
			"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
			"[ \"$(sha256sum /tmp/fw.bin | cut -d' ' -f1)\" = \"" + h + "\" ] || exit 1\n" +
			"mtd write /tmp/fw.bin firmware\n",
		"usr/sbin/pinned2.sh": shebang +
			"EXPECTED=" + h + "\n" +
			"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
			"SUM=$(sha256sum /tmp/fw.bin | awk '{print $1}')\n" +
			"if [ \"$SUM\" != \"$EXPECTED\" ]; then exit 1; fi\n" +
			"mtd write /tmp/fw.bin firmware\n",
		"usr/sbin/pinned3.sh": shebang +
			"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
			"echo \"" + h + "  /tmp/fw.bin\" | sha256sum -c - || exit 1\n" +
			"sysupgrade /tmp/fw.bin\n",
		"usr/sbin/pinned4.sh": shebang +
			"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
			"sha256sum -c /etc/fw.sha256 || exit 1\n" +
			"sysupgrade /tmp/fw.bin\n",
	}))
}

// Downloads that never reach a flash or install command.
func TestDownloadNeverFlashedIsQuiet(t *testing.T) {
	quiet(t, scan(t, map[string]string{
		"usr/sbin/check_version.sh": shebang +
			"wget -q -O /tmp/latest.txt http://192.0.2.10/fw/latest.txt\n" +
			"cat /tmp/latest.txt\n" +
			"mtd write /usr/share/factory.bin firmware_backup\n",
		// OpenWrt's /sbin/sysupgrade fetches a URL image and hands it on
		// through ubus after validating it; it writes no flash itself.
		"sbin/sysupgrade": shebang +
			"case \"$IMAGE\" in\n\thttp://*|\\\n\thttps://*)\n\t\twget -O/tmp/sysupgrade.img \"$IMAGE\" || exit 1\n\t\tIMAGE=/tmp/sysupgrade.img\n\t\t;;\nesac\n" +
			"ubus call system sysupgrade \"{ \\\"path\\\": \\\"$IMAGE\\\" }\"\n",
		"usr/bin/fetch.py": "#!/usr/bin/python3\nimport os\nos.system('wget -O /tmp/fw.bin http://192.0.2.1/fw.bin; mtd write /tmp/fw.bin firmware')\n",
		"usr/sbin/sysupgrade_test.sh": shebang +
			"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\nsysupgrade -T /tmp/fw.bin\n",
	}))
}

// A verification function the script defines is followed: one that
// checks nothing does not count.
func TestFakeVerifyFunction(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/fake.sh": shebang +
		"verify_image() {\n\treturn 0\n}\n" +
		"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
		"verify_image /tmp/fw.bin && mtd write /tmp/fw.bin firmware\n"})
	one(t, r, RuleScript, "fake.sh")
	// ...and one that really verifies does.
	quiet(t, scan(t, map[string]string{"usr/sbin/real.sh": shebang +
		"verify_image() {\n\tusign -V -m \"$1\" -p /etc/keys/fw.pub -q\n}\n" +
		"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
		"verify_image /tmp/fw.bin && mtd write /tmp/fw.bin firmware\n"}))
}
