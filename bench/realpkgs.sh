#!/usr/bin/env bash
# Precision on real software: fetch some of the most downloaded npm packages
# (npm pack, from the npm registry) and popular Go modules (module proxy),
# scan them with every rule, and list every high or critical finding. The
# goal is none: each one listed is a false alarm to fix or a real problem
# to explain in the README.
#
#   bench/realpkgs.sh            # fetch once into bench/out/realpkgs, scan, summarise
#   FETCH=0 bench/realpkgs.sh    # scan what was fetched before
#
# The lists are chosen by public download counts (npm: the most depended-upon
# and most downloaded packages of 2025-2026; Go: the most imported modules on
# pkg.go.dev), with exact versions for Go because the proxy refuses @latest
# for some modules here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
OUT=bench/out/realpkgs
FETCH=${FETCH:-1}

NPM_PACKAGES="lodash react react-dom express chalk axios debug commander tslib ms semver uuid moment
typescript webpack esbuild @babel/core eslint prettier jquery vue rxjs yargs glob minimist dotenv
body-parser fs-extra underscore async node-fetch ws socket.io mongoose core-js classnames prop-types
inherits qs sharp puppeteer bcrypt sqlite3 node-gyp husky electron"

GO_MODULES="golang.org/x/net@v0.62.0 golang.org/x/sys@v0.50.0 github.com/spf13/cobra@v1.10.2
github.com/stretchr/testify@v1.12.1 github.com/sirupsen/logrus@v1.10.2 github.com/gin-gonic/gin@v1.12.0
github.com/gorilla/mux@v1.8.1 google.golang.org/grpc@v1.85.0 google.golang.org/protobuf@v1.36.12
github.com/prometheus/client_golang@v1.25.0 github.com/go-chi/chi/v5@v5.5.0 github.com/labstack/echo/v4@v4.16.0
github.com/urfave/cli/v2@v2.27.7 github.com/google/uuid@v1.6.0 github.com/pkg/errors@v0.9.1 go.uber.org/zap@v1.28.0
github.com/spf13/viper@v1.21.0 github.com/redis/go-redis/v9@v9.23.0 github.com/jackc/pgx/v5@v5.12.0 gorm.io/gorm@v1.31.2
github.com/golang-jwt/jwt/v5@v5.3.1 github.com/gofiber/fiber/v2@v2.52.15 github.com/mattn/go-sqlite3@v1.14.53
github.com/valyala/fasthttp@v1.78.0 github.com/klauspost/compress@v1.20.4 github.com/ulikunitz/xz@v0.5.17"

mkdir -p "$OUT/npm" "$OUT/gomod"
# A go.mod makes bench/out its own module, so `go build ./...` in the repo
# does not wander into the fetched module cache.
[ -f bench/out/go.mod ] || printf 'module doorman.invalid/benchout\n\ngo 1.26\n' > bench/out/go.mod
if [ "$FETCH" = 1 ]; then
  echo "== npm pack ($(echo $NPM_PACKAGES | wc -w) packages)" >&2
  for p in $NPM_PACKAGES; do
    (cd "$OUT/npm" && npm pack --silent "$p" >/dev/null 2>&1) || echo "warning: npm pack $p failed" >&2
  done
  echo "== go mod download ($(echo $GO_MODULES | wc -w) modules)" >&2
  for m in $GO_MODULES; do
    GOMODCACHE="$ROOT/$OUT/gomod" GOFLAGS=-modcacherw go mod download "$m" >/dev/null 2>&1 || echo "warning: go mod download $m failed" >&2
  done
fi
go build -o "$OUT/doorman" ./cmd/doorman
# The module cache's zips duplicate its extracted trees: scan the trees.
targets=("$OUT/npm")
for d in "$OUT"/gomod/*; do
  [ "$(basename "$d")" = cache ] || targets+=("$d")
done
echo "== scan" >&2
/usr/bin/time -f "%e s, %M KiB peak" "$OUT/doorman" scan "${targets[@]}" --format json -o "$OUT/report.json" --fail-on none --quiet
python3 - "$OUT/report.json" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1]))
fs = r["findings"]
by = collections.Counter(f["severity"] for f in fs)
print(f"{r['stats']['files']} files, {r['stats']['bytes']/1e6:.0f} MB, {r['stats']['duration_ms']/1000:.1f} s; findings by severity: {dict(by)}")
hi = [f for f in fs if f["severity"] in ("critical", "high")]
print(f"high/critical: {len(hi)}")
for f in hi:
    print(f"  {f['severity']:8} {f['rule']:12} {f['location']['path'].split('realpkgs/',1)[-1][:110]}  {f['message'][:120]}")
rules = collections.Counter((f["rule"], f["severity"]) for f in fs if f["severity"] == "medium")
if rules:
    print("medium by rule:", ", ".join(f"{k[0]}×{v}" for k, v in rules.most_common()))
PY
