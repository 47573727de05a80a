package phpbehavior

import "testing"

// FuzzLex: any input lexes and analyses without panic, with offsets in
// range and brackets paired both ways.
func FuzzLex(f *testing.F) {
	for _, s := range []string{
		"<?php eval($_POST['x']); ?>",
		"<?php $f=$_GET['f'];$f($_GET['a']);",
		"<?php $s=chr(115).chr(121);$s('id'); echo `ls $x`;",
		"<?php $a = <<<'EOT'\nraw $x\nEOT;\n$b = <<<\"E\"\n{$_GET['y']}\n  E;\n",
		"<html><?= \"\\x41{$_SERVER['HTTP_X']}\" ?></html>",
		"<?php if (strpos($_SERVER['HTTP_USER_AGENTT'], 'zerodium') === 0) { eval(substr($_SERVER['HTTP_USER_AGENTT'], 8)); }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		toks := lex(b)
		m := matches(toks)
		for i, tk := range toks {
			if tk.off < 0 || tk.off > len(b) {
				t.Fatalf("token %d offset %d out of range", i, tk.off)
			}
			if m[i] >= 0 && m[m[i]] != i {
				t.Fatalf("bracket %d unpaired", i)
			}
		}
		fl := &file{toks: toks, match: m, tainted: map[string]string{}, consts: map[string]string{}, decoded: map[string]string{}}
		fl.walk(&reporter{p: nil, f: fl, counts: map[string]int{}, seen: map[int]bool{}, sink: func(int) {}})
	})
}
