#!/usr/bin/env bash
# `make demo`: Charter on the shipped example project, in a scratch copy (.demo/).
# Usage: examples/demo.sh PATH-TO-CHARTER
set -euo pipefail
charter=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(pwd)/.demo/invoicing
rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$here/invoicing" "$work"
cd "$work"
export GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.invalid
export GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.invalid
git init -q && git add -A && git commit -qm "The invoicing service as it is"

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; }

step "The example's 11 decision records, validated" charter validate -v
"$charter" validate -v

step "Where its configuration comes from" charter config
"$charter" config

step "The whole tree against the decisions in force: clean" charter check --all
"$charter" check --all && echo "(no output: no violation)"

cat >> src/invoicing/api/routes.py <<'PY'


@router.get("/invoices/{number}")
def get_invoice(number: str) -> dict[str, str]:
    import datetime

    from invoicing.db.session import session
    from invoicing.db.tables import InvoiceRow

    with session() as db:
        row = db.get(InvoiceRow, number)
    return {"number": row.number, "checked": datetime.datetime.now().isoformat()}
PY
git add -A
step "An agent's change, staged: the hook blocks what it introduces (exit 1)" charter check --staged
"$charter" check --staged || echo "(exit $?: the commit is blocked)"

step "The same, as JSON for tools (charter-check/1)" charter check --staged --format json
"$charter" check --staged --format json | head -25 || true

step "Adopting Charter on legacy code: baseline today's violations" charter baseline
"$charter" baseline
"$charter" check --all && echo "(no output: the baselined violations no longer block)"

step "Decision records with mistakes: every problem with file:line and the fix (exit 2)" \
    charter validate --root examples/broken
"$charter" validate --root "$here/broken" || echo "(exit $?)"
