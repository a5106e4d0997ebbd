#!/usr/bin/env bash
# Records the JSON that Claude Code writes on a hook's stdin, one file per
# event, by running the real Claude Code (headless) against basalt's
# emulator on loopback, with a project whose .claude/settings.json hooks
# every event to a command that copies its stdin to a file.
# Usage: internal/hooks/testdata/claude-code/record.sh [BASALT_BINARY]
# Writes internal/hooks/testdata/claude-code/stdin/<Event>.json and VERSION;
# run-dependent values (paths, IDs) are replaced by placeholders.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
basalt=${1:-/tmp/hooks-basalt}
command -v claude >/dev/null || { echo "claude is not installed" >&2; exit 3; }
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 3; }
work=$(mktemp -d) home=$(mktemp -d) dump=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work" "$home" "$dump"' EXIT
claude --version > "$here/VERSION"

mkdir -p "$work/.claude"
# Every event basalt may fire; each hook appends its stdin to DUMP/<event>.jsonl.
events=(PreToolUse PostToolUse PostToolUseFailure PermissionRequest UserPromptSubmit Notification Stop SubagentStop PreCompact SessionStart SessionEnd)
jq -n --arg dump "$dump" --args '{hooks: ($ARGS.positional | map({key: ., value: [{matcher: "", hooks: [{type: "command", command: ("cat >> " + $dump + "/" + . + ".jsonl; echo >> " + $dump + "/" + . + ".jsonl")}]}]}) | from_entries)}' "${events[@]}" > "$work/.claude/settings.json"
(cd "$work" && git init -q .)

"$basalt" emulator --addr 127.0.0.1:0 --scenario "$here/scenario.json" --var DIR="$work" > "$work/emu.out" 2>"$work/emu.err" &
for _ in $(seq 50); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/emu.out")
(cd "$work" && env -i PATH="$PATH" HOME="$home" TERM=dumb \
	CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$url" \
	AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1 \
	IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
	DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1 \
	timeout 120 claude -p 'say hi, then read missing.txt' --allowedTools 'Bash(echo:*)' Read \
	--output-format json < /dev/null > "$work/claude.out" 2>"$work/claude.err") || echo "claude: exit $?" >&2

mkdir -p "$here/stdin"
rm -f "$here/stdin/"*.json
for f in "$dump"/*.jsonl; do
	ev=$(basename "$f" .jsonl)
	# The first call of each event, pretty-printed; paths and IDs made stable.
	grep -v '^$' "$f" | head -1 |
		jq -S 'if has("duration_ms") then .duration_ms = 0 else . end
			| if has("transcript_path") then .transcript_path = "/HOME/.claude/projects/KEY/UUID.jsonl" else . end' |
		sed "s#$work#/WORK#g; s#$home#/HOME#g" |
		sed -E 's/"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/"UUID"/g; s/"toolu_[A-Za-z0-9_]+"/"TOOLU"/g' \
		> "$here/stdin/$ev.json"
done
ls "$here/stdin"
