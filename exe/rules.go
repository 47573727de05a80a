package exe

// rules say which facts make each capability. A rule fires when every
// group has at least one matching alternative; its evidence is every
// alternative that matched. Alternatives:
//
//	imp:NAME    an import, or a defined function left in a symbol table
//	str:TEXT    a string in the file ("$" at the end: TEXT must not be
//	            followed by a letter, digit or "_")
//	go:FUNC     a Go function in the pclntab
//	gopkg:PATH  a linked Go package (or one below it)
//	const:bpf   a classic BPF program in read-only data (const:bpf-link:
//	            one filtering link-layer frames)
//	cap:NAME    a capability found by an earlier rule
//	opaque      calls are not visible: a static binary without symbols,
//	            or a Go binary (system calls are made directly)
type rule struct {
	cap    CapName
	groups [][]string
}

var rules = []rule{
	// Network servers: socket+bind+listen+accept.
	{CapNetListen, [][]string{{"imp:bind"}, {"imp:listen"}, {"imp:accept", "imp:accept4", "imp:WSAAccept", "imp:AcceptEx"}}},
	{CapNetListen, [][]string{{"imp:kernel_listen", "imp:kernel_accept"}}},
	{CapNetListen, [][]string{{"go:net.Listen", "go:net.ListenTCP", "go:net.ListenUDP", "go:net.ListenPacket", "go:net.ListenUnix",
		"go:net.(*ListenConfig).Listen", "go:net.(*ListenConfig).ListenPacket", "go:net.(*TCPListener).Accept",
		"go:net.(*TCPListener).AcceptTCP", "go:net/http.ListenAndServe", "go:net/http.(*Server).ListenAndServe",
		"go:net/http.ListenAndServeTLS", "go:net/http.(*Server).ListenAndServeTLS"}}},

	{CapNetConnect, [][]string{{"imp:connect", "imp:getaddrinfo", "imp:gethostbyname", "imp:WSAConnect", "imp:InternetOpenUrlA",
		"imp:InternetOpenUrlW", "imp:InternetConnectA", "imp:InternetConnectW", "imp:HttpSendRequestA", "imp:HttpSendRequestW",
		"imp:WinHttpConnect", "imp:WinHttpSendRequest", "imp:URLDownloadToFileA", "imp:URLDownloadToFileW", "imp:URLOpenStreamA",
		"imp:URLOpenStreamW", "imp:curl_easy_perform", "imp:kernel_connect"}}},
	{CapNetConnect, [][]string{{"go:net.Dial", "go:net.DialTimeout", "go:net.DialTCP", "go:net.DialIP",
		"go:net.(*Dialer).Dial", "go:net/http.Get", "go:net/http.Post", "go:net/http.(*Client).Get", "go:net/http.(*Client).Post",
		"go:net/http.(*Client).Do", "go:net/http.NewRequest", "go:net/http.NewRequestWithContext"}}},
	// (not net.DialUDP or net.(*Dialer).DialContext: the DNS resolver and
	// net/http's default transport link them into every server too.)

	{CapRawSocket, [][]string{{"const:bpf-link"}}},
	{CapRawSocket, [][]string{{"imp:pcap_open_live", "imp:pcap_create", "imp:pcap_activate"}}},
	{CapRawSocket, [][]string{{"go:net.ListenIP", "go:golang.org/x/net/ipv4.NewRawConn", "gopkg:github.com/google/gopacket/afpacket",
		"gopkg:github.com/google/gopacket/pcap", "gopkg:github.com/gopacket/gopacket/afpacket", "gopkg:github.com/gopacket/gopacket/pcap",
		"gopkg:github.com/mdlayher/packet", "gopkg:github.com/mdlayher/raw"}}},

	{CapPacketFilter, [][]string{{"const:bpf"}}},
	{CapPacketFilter, [][]string{{"imp:pcap_setfilter", "imp:pcap_compile", "imp:nf_register_net_hook", "imp:nf_register_net_hooks", "imp:nf_register_hook"}}},
	{CapPacketFilter, [][]string{{"go:syscall.AttachLsf", "go:golang.org/x/sys/unix.SetsockoptSockFprog", "gopkg:golang.org/x/net/bpf"}}},

	{CapExec, [][]string{{"imp:execve", "imp:execv", "imp:execvp", "imp:execvpe", "imp:execl", "imp:execlp", "imp:execle", "imp:fexecve",
		"imp:execveat", "imp:system", "imp:popen", "imp:posix_spawn", "imp:posix_spawnp", "imp:CreateProcessA", "imp:CreateProcessW",
		"imp:CreateProcessAsUserA", "imp:CreateProcessAsUserW", "imp:CreateProcessWithLogonW", "imp:CreateProcessWithTokenW",
		"imp:WinExec", "imp:ShellExecuteA", "imp:ShellExecuteW", "imp:ShellExecuteExA", "imp:ShellExecuteExW", "imp:_wsystem",
		"imp:call_usermodehelper", "imp:call_usermodehelper_exec"}}},
	{CapExec, [][]string{{"go:os/exec.(*Cmd).Start", "go:os.StartProcess", "go:syscall.Exec", "go:syscall.ForkExec",
		"go:syscall.StartProcess", "go:golang.org/x/sys/unix.Exec"}}},

	{CapShell, [][]string{{"str:/bin/sh$", "str:/bin/bash$", "str:/bin/ash$", "str:/bin/dash$", "str:/bin/zsh$", "str:/system/bin/sh$",
		"str:sh -c$", "str:sh -i$", "str:cmd.exe", "str:powershell", "str:cmd /c"}}},

	{CapDupFD, [][]string{{"imp:dup2", "imp:dup3", "go:syscall.Dup2", "go:syscall.Dup3", "go:golang.org/x/sys/unix.Dup2",
		"go:golang.org/x/sys/unix.Dup3"}}},

	{CapCamera, [][]string{{"str:/dev/video"}, {"imp:ioctl", "imp:v4l2_ioctl", "opaque"}}},
	{CapCamera, [][]string{{"imp:v4l2_open", "imp:capCreateCaptureWindowA", "imp:capCreateCaptureWindowW", "imp:MFEnumDeviceSources",
		"str:AVCaptureVideoDataOutput", "str:AVCapturePhotoOutput", "str:AVCaptureStillImageOutput"}}},
	{CapCamera, [][]string{{"gopkg:github.com/blackjack/webcam", "gopkg:gocv.io/x/gocv", "gopkg:github.com/vladimirvivien/go4vl",
		"gopkg:github.com/pion/mediadevices", "gopkg:github.com/korandiz/v4l"}}},

	{CapMicrophone, [][]string{{"str:/dev/dsp$", "str:/dev/snd/", "str:/dev/audio$"}, {"imp:ioctl", "imp:read", "opaque"}}},
	{CapMicrophone, [][]string{{"imp:snd_pcm_readi", "imp:snd_pcm_readn", "imp:snd_pcm_mmap_readi", "imp:pa_simple_read",
		"imp:waveInOpen", "imp:waveInStart", "imp:AudioQueueNewInput", "str:AVAudioRecorder"}}},
	{CapMicrophone, [][]string{{"gopkg:github.com/gordonklaus/portaudio", "gopkg:github.com/gen2brain/malgo", "gopkg:github.com/MarkKremer/microphone"}}},

	{CapScreen, [][]string{{"str:/dev/fb0", "str:/dev/fb/0", "str:/dev/graphics/fb0"}, {"imp:mmap", "imp:mmap64", "imp:read", "opaque"}}},
	{CapScreen, [][]string{{"imp:XGetImage", "imp:XShmGetImage", "imp:CGDisplayCreateImage", "imp:CGWindowListCreateImage",
		"imp:CGDisplayStreamCreate", "imp:PrintWindow"}}},
	{CapScreen, [][]string{{"imp:BitBlt", "imp:StretchBlt"}, {"imp:GetDC", "imp:GetWindowDC", "imp:CreateDCA", "imp:CreateDCW"}}},
	{CapScreen, [][]string{{"gopkg:github.com/kbinani/screenshot", "gopkg:github.com/vova616/screenshot", "gopkg:github.com/go-vgo/robotgo"}}},

	{CapInput, [][]string{{"str:/dev/input/event", "str:/dev/input/by-path", "str:/dev/input/by-id"}}},
	{CapInput, [][]string{{"imp:SetWindowsHookExA", "imp:SetWindowsHookExW"}, {"imp:GetKeyState", "imp:GetAsyncKeyState",
		"imp:GetKeyboardState", "imp:ToAscii", "imp:ToUnicode", "imp:MapVirtualKeyA", "imp:MapVirtualKeyW", "imp:GetKeyNameTextA",
		"imp:GetKeyNameTextW"}}},
	{CapInput, [][]string{{"imp:GetAsyncKeyState"}, {"imp:GetForegroundWindow"}}},
	{CapInput, [][]string{{"imp:XRecordEnableContext", "imp:XQueryKeymap", "imp:CGEventTapCreate", "imp:IOHIDManagerOpen"}}},
	{CapInput, [][]string{{"gopkg:github.com/MarinX/keylogger", "gopkg:github.com/robotn/gohook", "gopkg:github.com/kindlyfire/go-keylogger"}}},

	{CapCredentials, [][]string{{"str:/etc/shadow$", "str:/etc/gshadow$", "str:/etc/master.passwd", "str:/etc/security/opasswd",
		"str:Login Data$", "str:logins.json", "str:key4.db", "str:signons.sqlite", "str:wallet.dat", "str:.aws/credentials"}}},
	{CapCredentials, [][]string{{"imp:CredEnumerateA", "imp:CredEnumerateW", "imp:CredReadA", "imp:CredReadW", "imp:CryptUnprotectData",
		"imp:LsaRetrievePrivateData", "imp:SecKeychainFindGenericPassword", "imp:SecKeychainFindInternetPassword", "imp:SecItemCopyMatching"}}},

	{CapPersistence, [][]string{{"str:/etc/init.d", "str:/etc/rc.local", "str:/etc/rc.d/", "str:/etc/inittab", "str:/etc/crontab",
		"str:/var/spool/cron", "str:crontab$", "str:/etc/cron.", "str:/etc/systemd/system", "str:/lib/systemd/system",
		"str:.config/autostart", "str:/etc/profile.d", "str:.bashrc", "str:Library/LaunchAgents", "str:Library/LaunchDaemons",
		"str:/etc/ld.so.preload", "str:schtasks"}}},
	{CapPersistence, [][]string{{"imp:RegSetValueExA", "imp:RegSetValueExW", "imp:RegSetValueA", "imp:RegSetValueW",
		"imp:RegSetKeyValueA", "imp:RegSetKeyValueW", "imp:RegCreateKeyExA", "imp:RegCreateKeyExW"},
		{`str:CurrentVersion\Run`, `str:CurrentVersion\Winlogon`, `str:Image File Execution Options`}}},
	{CapPersistence, [][]string{{"imp:CreateServiceA", "imp:CreateServiceW"}}},

	{CapMasquerade, [][]string{{"imp:prctl", "imp:pthread_setname_np", "imp:setproctitle", "go:golang.org/x/sys/unix.Prctl", "opaque"},
		{"str:[kworker/", "str:[ksoftirqd/", "str:[kthreadd]", "str:[migration/", "str:[watchdog/", "str:[khelper]", "str:[kblockd]",
			"str:[kswapd", "str:[jbd2/", "str:[rcu_sched]", "str:[kintegrityd", "str:[kdevtmpfs]", "str:[kauditd]", "str:[khungtaskd]"}}},

	{CapAntiDebug, [][]string{{"imp:ptrace", "imp:IsDebuggerPresent", "imp:CheckRemoteDebuggerPresent", "str:TracerPid"}}},

	{CapStringCompare, [][]string{{"imp:strcmp", "imp:strncmp", "imp:memcmp", "imp:strcasecmp", "imp:strncasecmp", "imp:bcmp",
		"imp:lstrcmpA", "imp:lstrcmpW", "imp:lstrcmpiA", "imp:lstrcmpiW", "imp:_stricmp", "imp:wcscmp"}}},

	// Self-update: download, make executable, run.
	{CapSelfUpdate, [][]string{{"cap:net-connect"},
		{"str:http://", "str:https://", "imp:curl_easy_perform", "imp:InternetReadFile", "imp:WinHttpReadData", "imp:URLDownloadToFileA",
			"imp:URLDownloadToFileW", "gopkg:net/http"},
		{"imp:chmod", "imp:fchmod", "imp:fchmodat", "str:chmod$", "go:os.Chmod", "go:os.(*File).Chmod", "go:syscall.Chmod",
			"go:syscall.Fchmod", "imp:URLDownloadToFileA", "imp:URLDownloadToFileW"},
		{"cap:exec"}}},
}

// Names the rules ask about, so that symbol tables keep only those.
var (
	ruleNames   = map[string]bool{}
	goRuleFuncs = map[string]bool{}
	markers     []marker
)

func init() {
	seen := map[string]bool{}
	for _, r := range rules {
		for _, g := range r.groups {
			for _, alt := range g {
				kind, arg := splitAlt(alt)
				switch kind {
				case "imp":
					ruleNames[arg] = true
				case "go":
					goRuleFuncs[arg] = true
				case "str":
					word := len(arg) > 1 && arg[len(arg)-1] == '$'
					if word {
						arg = arg[:len(arg)-1]
					}
					if !seen[arg] {
						seen[arg] = true
						markers = append(markers, marker{needle: arg, word: word})
					}
				}
			}
		}
	}
	// Packer markers looked for by the same scan.
	markers = append(markers, marker{needle: "$Info: This file is packed with the UPX"})
}

func splitAlt(alt string) (kind, arg string) {
	for i := 0; i < len(alt); i++ {
		if alt[i] == ':' {
			return alt[:i], alt[i+1:]
		}
	}
	return alt, ""
}
