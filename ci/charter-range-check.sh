#!/usr/bin/env bash
# Charter's range check for CI: the violations the pushed commits, the pull request or the
# merge request introduce, as SARIF (for code scanning) and in the job's log.
#
# Used by action.yml (GitHub) and ci/gitlab-charter.yml (GitLab); it reads the variables
# those set. Environment:
#   CHARTER_BASE         the commit to compare with; default: the pull request's base,
#                        the merge request's diff base, or the commit before the push
#   CHARTER_SARIF        where to write the SARIF report (default: charter.sarif)
#   CHARTER_DEFER_EXIT   1: exit 0 and leave the verdict in $GITHUB_OUTPUT (exit-code), so
#                        the SARIF upload runs before the job fails
#   CHARTER              the command (default: charter)
# Exit codes are charter check's: 0 clean, 1 violations, 2 usage or configuration error.
set -euo pipefail

charter=${CHARTER:-charter}
sarif=${CHARTER_SARIF:-charter.sarif}
zero=0000000000000000000000000000000000000000

base=${CHARTER_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    base=$(python3 -c '
import json, sys
event = json.load(open(sys.argv[1]))
print((event.get("pull_request") or {}).get("base", {}).get("sha") or event.get("before") or "")
' "$GITHUB_EVENT_PATH")
fi
if [ -z "$base" ]; then
    base=${CI_MERGE_REQUEST_DIFF_BASE_SHA:-${CI_COMMIT_BEFORE_SHA:-}}
fi

if [ -z "$base" ] || [ "$base" = "$zero" ]; then
    echo "charter: no base commit (a new branch, or a manual run): checking the whole tree"
    range=(--all)
else
    if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
        echo "charter: the base commit $base is not in this clone; fetch the whole history" \
            "(GitHub: actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: \"0\")" >&2
        exit 2
    fi
    echo "charter: checking what $(git rev-parse --short HEAD) introduces over $(git rev-parse --short "$base")"
    range=(--from-ref "$base" --to-ref HEAD)
fi

status=0
"$charter" check "${range[@]}" --format sarif >"$sarif" || status=$?
# The log: GitHub annotations on the pull request's diff, or text elsewhere.
log_format=text
if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
    log_format=github
fi
"$charter" check "${range[@]}" --format "$log_format" || true

if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
    echo "exit-code=$status" >>"$GITHUB_OUTPUT"
fi
if [ "${CHARTER_DEFER_EXIT:-0}" = "1" ]; then
    exit 0
fi
exit "$status"
