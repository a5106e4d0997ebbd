#!/usr/bin/env bash
# Measures Claude Code's default hook timeout for UserPromptSubmit: a hook
# without "timeout" that sleeps 70 s. Claude Code 2.1.197 stopped it after
# about 30 s (time_to_request_ms 30497 in its JSON result; the hook's
# marker file was never written). Usage: timeout.sh [BASALT_BINARY]
set -euo pipefail
basalt=${1:-/tmp/hooks-basalt}
work=$(mktemp -d) home=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work" "$home"' EXIT
mkdir -p "$work/.claude" && (cd "$work" && git init -q .)
printf '{"hooks":{"UserPromptSubmit":[{"hooks":[{"type":"command","command":"sleep 70; touch %s/survived"}]}]}}\n' "$work" > "$work/.claude/settings.json"
"$basalt" emulator --addr 127.0.0.1:0 > "$work/emu.out" 2>/dev/null &
for _ in $(seq 50); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/emu.out")
start=$(date +%s)
(cd "$work" && env -i PATH="$PATH" HOME="$home" TERM=dumb CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$url" \
	AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1 IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 \
	CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 timeout 200 claude -p hi --output-format json </dev/null |
	jq -c '{time_to_request_ms, result}')
echo "elapsed $(( $(date +%s) - start ))s; hook finished: $([ -e "$work/survived" ] && echo yes || echo no)"
