#!/usr/bin/env bash
# Records what Claude Code sends for custom slash commands, skills and an
# output style, against basalt's emulator on loopback only, through
# proxy.py (which saves each request body). Usage:
#   internal/slashcmd/testdata/claude-code/record.sh [BASALT_BINARY]
# Writes facts.json beside this script: the parts of the requests and of
# the stream-json init line that the slashcmd, skills and outputstyle
# packages must reproduce (not Claude Code's prompts, only their shape).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
basalt=${1:-/tmp/out-basalt}
command -v claude >/dev/null || { echo "claude is not installed" >&2; exit 3; }
py=$(command -v python3)
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

waiturl() { for _ in $(seq 100); do grep -q listening "$1" 2>/dev/null && break; sleep 0.1; done; sed -n 's/^listening on //p' "$1"; }

# run NAME SCENARIO SETTINGS PROMPT: one `claude -p` in a fresh copy of
# project/, with an empty HOME, or a copy of home/ when $with_home is set.
run() {
	local name=$1 scen=$2 settings=$3 prompt=$4 out="$tmp/$1"
	mkdir -p "$out" "$out/work" "$out/home"
	cp -r "$here/${project:-project}/." "$out/work/"
	[ -z "${with_home:-}" ] || cp -r "$here/home/." "$out/home/"
	rm -f "$out/work/settings-"*.json
	[ -z "$settings" ] || cp "$here/project/$settings" "$out/work/.claude/settings.json"
	"$basalt" emulator --scenario "$here/scenarios/$scen.json" > "$out/emu.out" 2>&1 &
	local url; url=$(waiturl "$out/emu.out")
	[ -n "$url" ] || { echo "emulator did not start" >&2; exit 1; }
	"$py" "$here/proxy.py" "$url" "$out" > "$out/proxy.out" &
	local purl; purl=$(waiturl "$out/proxy.out")
	# Without the proxy's URL Claude Code would go to AWS: stop instead.
	[ -n "$purl" ] || { echo "proxy did not start" >&2; exit 1; }
	(cd "$out/work" && env -i PATH="$PATH" HOME="$out/home" TERM=dumb \
		CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$purl" \
		AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1 \
		IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
		DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1 CLAUDE_CODE_MAX_RETRIES=1 \
		timeout 90 claude -p "$prompt" --output-format stream-json --verbose < /dev/null > "$out/stdout" 2>"$out/stderr") || echo "$name: exit $?" >&2
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
}

run command text "" "/mycmd alpha 'beta gamma' delta"
run skill skill settings-pirate.json "use my skill"
run noargs text "" "/nocmdargs hello world"
run clash text "" "/plain one two"
run blank text "" "/blank zz"
# User-level entries of the same names as the project's: which one runs.
with_home=1 run user text "" "/mycmd q"
# A `!` line that fails, and one the permission check refuses.
project=project-bang run failing text "" "/failing"
project=project-bang run denied text "" "/denied"
claude --version > "$here/VERSION"
# The scratch directories differ on every run: a placeholder keeps diffs small.
"$py" "$here/extract.py" "$tmp" | sed -E "s#$tmp/[a-z]+/work#/WORK#g; s#$tmp/[a-z]+/home#/HOME#g; s#$tmp#/TMP#g" > "$here/facts.json"
