// Package analyzers is the registry: the one list of every analyzer doorman
// runs. Adding an analyzer is adding its package and one line here.
package analyzers

import (
	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/accounts"
	"github.com/doorman-sec/doorman/analyzer/bootsvc"
	"github.com/doorman-sec/doorman/analyzer/buildscript"
	"github.com/doorman-sec/doorman/analyzer/cbehavior"
	"github.com/doorman-sec/doorman/analyzer/executable"
	"github.com/doorman-sec/doorman/analyzer/gobehavior"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/analyzer/jsbehavior"
	"github.com/doorman-sec/doorman/analyzer/lockfile"
	"github.com/doorman-sec/doorman/analyzer/phpbehavior"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/analyzer/privatekey"
	"github.com/doorman-sec/doorman/analyzer/pybehavior"
	"github.com/doorman-sec/doorman/analyzer/shbehavior"
	"github.com/doorman-sec/doorman/analyzer/signature"
	"github.com/doorman-sec/doorman/analyzer/surveil"
	"github.com/doorman-sec/doorman/analyzer/trojansource"
	"github.com/doorman-sec/doorman/analyzer/updatepath"
	"github.com/doorman-sec/doorman/rules"
)

// New returns every analyzer, the signature analyzer driven by set (the
// built-in rules plus any --rules folders).
func New(set *rules.Set) []*analyzer.Analyzer {
	return []*analyzer.Analyzer{
		signature.New(set),
		privatekey.New(),
		accounts.Analyzer,
		bootsvc.Analyzer,
		updatepath.Analyzer,
		surveil.Analyzer,
		trojansource.Analyzer,
		pkgmeta.Analyzer,
		buildscript.Analyzer,
		lockfile.Analyzer,
		jsbehavior.Analyzer,
		pybehavior.Analyzer,
		phpbehavior.Analyzer,
		shbehavior.Analyzer,
		cbehavior.Analyzer,
		gobehavior.Analyzer,
		executable.Analyzer,
		inventory.Analyzer,
	}
}
