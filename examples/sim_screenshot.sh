#!/bin/sh
# A screenshot of a charter sim HTML report, by headless Chromium (as
# tests/test_sim_report_browser.py loads it): examples/sim_screenshot.sh REPORT.html OUT.png
set -eu
page=$1
shot=$2
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then browser=$name; break; fi
done
if [ -z "${browser:-}" ]; then
    echo "no headless Chromium (Debian: apt-get install chromium)" >&2
    exit 1
fi
dir=$(cd "$(dirname "$page")" && pwd)
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --window-size=1200,1500 --screenshot="$shot" "file://$dir/$(basename "$page")" 2>/dev/null
echo "screenshot: $shot"
