package bootsvc

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// TestAndroidADBOverTCP: init.rc sets the ADB TCP port at boot and
// default.prop turns off ADB authentication.
func TestAndroidADBOverTCP(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"init.rc": `import /init.usb.rc

on boot
    setprop service.adb.tcp.port 5555
    start adbd

service adbd /sbin/adbd --root_seclabel=u:r:su:s0
    class core
    socket adbd stream 660 system system
    disabled

service debugsh /system/bin/telnetd -l /system/bin/sh
    class main
`,
		"default.prop": "ro.secure=0\nro.adb.secure=0\nro.debuggable=1\n",
	}})
	want(t, rep, RuleADBTCP, "init.rc", finding.Critical, 4)
	want(t, rep, RuleADBInsecure, "default.prop", finding.Medium, 2)
	want(t, rep, RuleTelnetShell, "init.rc", finding.Critical, 12)
}

// TestAndroidQuiet: adbd over USB with authentication, and a TCP port
// property that turns TCP off, are not findings.
func TestAndroidQuiet(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"init.rc":           "on property:sys.usb.config=adb\n    start adbd\n    setprop service.adb.tcp.port -1\n\nservice adbd /system/bin/adbd\n    disabled\n",
		"system/build.prop": "ro.adb.secure=1\npersist.adb.tcp.port=0\n",
		"vendor/build.prop": "ro.product.model=Example\n",
	}})
	quietAbove(t, rep, finding.Info)
}
