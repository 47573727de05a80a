// Package executable judges what an executable can do — ELF of every
// architecture, PE and Mach-O — given where it lives and what starts it.
// exe.Parse says what a binary is able to do (capabilities with evidence:
// imports, symbols, strings, linked Go packages); this analyzer decides
// which combinations are a back door, and lists every executable in the
// report's inventory under "binaries".
//
// Run parses each executable through a bounded reader and records a fact;
// Finish joins the facts with the boot chain (bootsvc.Started: inittab,
// rcS and init.d, systemd, inetd naming the binary), judges each binary
// with Judge — a pure function of (exe.Info, Context), so every severity
// below is unit-tested with hand-made exe.Info values — and fills the
// inventory.
//
// Rules:
//
//	DM-EXE-001  Bind shell: listens, redirects descriptors and runs a shell    remote-access-service
//	DM-EXE-002  Reverse shell: connects out, redirects descriptors, runs a shell remote-access-service
//	DM-EXE-003  Hard-coded public endpoint in a binary that runs commands      unexpected-endpoint
//	DM-EXE-004  Magic-packet listener (raw socket/BPF + compare + exec)        hidden-trigger
//	DM-EXE-005  Hidden credential check: a password-like literal beside a login prompt and a compare  hardcoded-credential
//	DM-EXE-006  Camera/microphone and network (PE and Mach-O; ELF is DM-SURV-001's) surveillance-capability
//	DM-EXE-007  Packed executable (UPX or high-entropy code)                    obfuscated-payload
//	DM-EXE-008  Evasive network program: process masquerade + anti-debug + network obfuscated-payload
//
// Severity table. Each rule has a base; raisers add one level each (at most
// critical); a role then caps it (at most the cap), unless the binary lives
// in an odd place — a shell in /tmp is not /bin/sh, so odd places void roles.
//
//	rule  base                                  raised by
//	001   high (shell named), low (exec only)   started at boot (shell only), odd place
//	002   high with a hard-coded public dial     started at boot, odd place
//	      target (address, host:port, URL with an address or port), low
//	      without one (the peer comes from arguments)
//	003   low                                   odd place (not the boot: firmware daemons call home)
//	004   high (raw socket and packet filter),  started at boot, odd place, masquerade
//	      medium (one of them)
//	005   medium (confidence medium)            high when it also listens and runs a shell
//	                                            (a network login with a baked-in password), or
//	                                            started at boot
//	006   medium (capture + connect)            high with a trigger (raw socket, packet filter)
//	                                            or a hard-coded public endpoint; critical with both
//	007   medium (upx), low (high-entropy)      started at boot, firmware /bin or /sbin, odd place
//	008   medium                                started at boot, odd place
//
//	role (from the name, or the BusyBox banner and "multi-call binary")  caps
//	BusyBox, Toybox (multi-call: contains every applet)   001–004, 008 at low; 005, 007 at medium
//	shells (sh, bash, dash, ash, zsh, ksh, mksh, hush)    001–003 at low (exec is their job)
//	interpreters (perl, python, ruby, lua, node, php, awk; "perl5.36.0" too)  001–003 at low
//	servers (httpd, lighttpd, nginx, uhttpd, boa, telnetd, sshd, dropbear, inetd, socat, nc…)  001 at low
//	clients (telnet, ssh, dbclient, curl, wget, ftp, tftp, rsync, nc, socat…)  002, 003 at low
//	packet tools (dhclient, udhcpc, dhcpcd, odhcp6c, tcpdump, ping, arping, hostapd, wpa_supplicant, pppd)  004 at low
//	debuggers (gdb, gdbserver, strace, ltrace, valgrind, perf)  008 not reported
//
// Endpoints: private, loopback and local names never count; neither do
// licence, manual and bug-tracker URLs (gnu.org/licenses,
// bugs.debian.org): programs print them in --help.
//
// Odd places: /tmp, /var, /dev and any hidden folder (a name starting
// with "."). Firmware /bin: bin/, sbin/, usr/bin/, usr/sbin/ inside a
// container (a firmware image, an archive), where a packed binary is a
// tampering sign rather than a distributor's choice.
//
// References: BPFDoor analyses (Sandfly Security, Elastic Security Labs),
// MITRE ATT&CK T1059.004 (Unix shell), T1027.002 (software packing),
// T1036 (masquerading), T1622 (debugger evasion), T1125/T1123 (video and
// audio capture), CWE-798 (hard-coded credentials).
package executable
