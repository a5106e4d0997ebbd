#!/usr/bin/env bash
# Records Claude Code's headless output against basalt's emulator, on
# loopback only. Usage: testdata/claude-code/record.sh [BASALT_BINARY]
# With a second argument, records that scenario alone.
# Writes testdata/claude-code/<scenario>.{json,stream.jsonl,partial.jsonl}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
basalt=${1:-/tmp/out-basalt}
command -v claude >/dev/null || { echo "claude is not installed" >&2; exit 3; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
echo "remember the milk." > "$work/notes.txt"
claude --version > "$here/VERSION"

# run SCENARIO NAME EXTRA_EMULATOR_ARGS -- CLAUDE_ARGS...
run1() {
	local scen=$1 name=$2; shift 2
	local emu=()
	while [ "$1" != -- ]; do emu+=("$1"); shift; done
	shift
	"$basalt" emulator --addr 127.0.0.1:0 --scenario "$here/scenarios/$scen.json" --var DIR="$work" "${emu[@]}" > "$work/emu.out" 2>"$work/emu.err" &
	local pid=$!
	for _ in $(seq 50); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
	local url; url=$(sed -n 's/^listening on //p' "$work/emu.out")
	local home; home=$(mktemp -d)
	for fmt in json stream partial; do
		local args=(--output-format json) out="$here/$name.json"
		case $fmt in
		stream) args=(--output-format stream-json --verbose); out="$here/$name.stream.jsonl";;
		partial) args=(--output-format stream-json --verbose --include-partial-messages); out="$here/$name.partial.jsonl";;
		esac
		(cd "$work" && env -i PATH="$PATH" HOME="$home" TERM=dumb \
			CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$url" \
			AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1 \
			IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
			DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1 CLAUDE_CODE_MAX_RETRIES="${max_retries:-10}" \
			timeout 60 claude "$@" "${args[@]}" < /dev/null > "$out" 2>"$work/claude.err") || echo "$name/$fmt: exit $?" >&2
		# The scratch directory differs on every run: a placeholder keeps diffs small.
		sed -i "s#$work#/WORK#g; s#$home#/HOME#g" "$out"
	done
	kill $pid; wait $pid 2>/dev/null || true
}

only=${2:-}
run() { [ -z "$only" ] || [ "$only" = "$2" ] || return 0; run1 "$@"; }
run answer answer -- -p 'what is 2+2?'
run tool tool -- -p 'what is in notes.txt?' --allowedTools Read
run denied denied -- -p 'delete notes.txt'
run maxturns maxturns -- -p 'what is in notes.txt?' --allowedTools Read --max-turns 1
# A key the emulator does not know: a 403 that is not retried.
max_retries=0 run apierror apierror --credentials "$here/scenarios/other-key.json" -- -p 'what is 2+2?'
# Throttled now and then (seeded): api_retry lines, then the answer.
run retry retry --faults throttle=0.7,seed=7 -- -p 'what is 2+2?'
