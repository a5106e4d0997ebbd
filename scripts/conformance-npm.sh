#!/usr/bin/env bash
# Proves `basalt emulator` against Bedrock clients we did not write, from npm:
#   - @aws-sdk/client-bedrock-runtime (HTTP/2 cleartext, SigV4 over :authority)
#   - @aws-sdk/client-bedrock (inference profiles, as Claude Code calls them)
#   - @anthropic-ai/bedrock-sdk (raw ':' in paths, dated anthropic_version)
#   - the Claude Code CLI (@anthropic-ai/claude-code, native binary), driving a
#     scripted Read → Edit → Bash session that must fix a failing test, over
#     InvokeModel and again over Mantle (CLAUDE_CODE_USE_MANTLE).
#   - @aws-sdk/client-bedrock-runtime's Converse and ConverseStream (tool round
#     trip, cache points, CountTokens with input.converse, errors).
#   - the Vercel AI SDK (ai + @ai-sdk/amazon-bedrock, ConverseStream signed by
#     aws4fetch), streaming a tool-using exchange through streamText.
#   - boto3, when python3 has it (not from npm): Converse, ConverseStream and
#     the control plane as an eu-west-1 caller.
#   - OpenCode (opencode-ai, native binary) configured for amazon-bedrock with
#     the emulator as endpoint: a scripted read → edit → bash session over
#     ConverseStream that must fix the same failing test.
#
# Usage: scripts/conformance-npm.sh
#   CONFORMANCE_DIR=DIR   scratch folder to install into and run in (default: a
#                         new temporary folder; reuse one to skip reinstalling)
#   CONFORMANCE_NO_NETNS=1  do not isolate the client runs in a loopback-only
#                         network namespace (they are isolated when unshare works)
#   CONFORMANCE_LATEST=1  install the newest releases instead of the versions
#                         below, which are the ones this script last passed with
#
# Skips (exit 0, "skip: …") when node or npm is missing. Exits non-zero when any
# client fails. Nothing is sent anywhere but loopback: the keys are fake, and the
# clients run in a network namespace that has only lo when `unshare` allows it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
self="$root/scripts/$(basename "${BASH_SOURCE[0]}")"
here="$root/scripts/conformance"

# Fake credentials the emulator verifies signatures against.
export AWS_ACCESS_KEY_ID=AKIAEMULATORNPMCONF1
export AWS_SECRET_ACCESS_KEY=npm/conformance/secret/0123456789abcdefABCD
export AWS_SESSION_TOKEN=FwoGZXIvYXdzENpmConformanceSessionToken//////
export AWS_REGION=us-east-1
# A Bedrock API key (bearer token) the emulator accepts.
export BEARER_TOKEN=ABSKbnBtLWNvbmZvcm1hbmNlLWJlYXJlcg==
# The AWS JS SDK warns on every run under node < 22; the warning is noise here.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

packages=(
	@aws-sdk/client-bedrock-runtime@3.1164.0
	@aws-sdk/client-bedrock@3.1164.0
	@anthropic-ai/bedrock-sdk@1.1.3
	@anthropic-ai/claude-code@2.1.197
	ai@6.0.333
	@ai-sdk/amazon-bedrock@4.0.186
	opencode-ai@1.18.33
)
if [[ -n "${CONFORMANCE_LATEST:-}" ]]; then
	packages=("${packages[@]%@*}")
fi

log() { printf '== %s\n' "$*"; }

if [[ "${CONFORMANCE_PHASE:-}" != run ]]; then
	for tool in node npm go; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "skip: $tool not found; the npm conformance suite needs node, npm and go"
			exit 0
		fi
	done
	dir=${CONFORMANCE_DIR:-$(mktemp -d -t basalt-conformance.XXXXXX)}
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	log "scratch folder $dir (node $(node --version), npm $(npm --version))"

	cd "$dir"
	[[ -f package.json ]] || printf '{"name":"basalt-conformance","private":true,"type":"module"}\n' >package.json
	log "npm install"
	npm install --no-audit --no-fund --loglevel=error "${packages[@]}" >npm-install.log 2>&1 ||
		{ cat npm-install.log; exit 1; }
	# npm may leave the postinstall that puts the native binary in place to the
	# user (install scripts need approval); run it ourselves if needed.
	if ! ./node_modules/.bin/claude --version >/dev/null 2>&1; then
		(cd node_modules/@anthropic-ai/claude-code && node install.cjs)
	fi
	node -e '
		for (const p of ["@aws-sdk/client-bedrock-runtime", "@aws-sdk/client-bedrock", "@anthropic-ai/bedrock-sdk", "@anthropic-ai/sdk", "@anthropic-ai/claude-code", "ai", "@ai-sdk/amazon-bedrock", "opencode-ai"])
			console.log("   " + p + " " + require("./node_modules/" + p + "/package.json").version)'
	log "claude $(./node_modules/.bin/claude --version)"
	log "opencode $(./node_modules/.bin/opencode --version)"

	log "go build basalt"
	(cd "$root" && go build -o "$dir/basalt" ./cmd/basalt)
	cp "$here"/*.mjs "$here"/*.json "$here"/*.py "$dir/"

	export CONFORMANCE_DIR=$dir CONFORMANCE_PHASE=run
	if [[ -z "${CONFORMANCE_NO_NETNS:-}" ]] && unshare --net --map-root-user true 2>/dev/null; then
		log "clients run in a loopback-only network namespace"
		exec unshare --net --map-root-user bash "$self"
	fi
	log "clients run in the host network namespace (loopback addresses only)"
	exec bash "$self"
fi

# ---- run phase: emulators and clients ----------------------------------------
dir=$CONFORMANCE_DIR
cd "$dir"
# A fresh network namespace has lo down.
ip link set lo up 2>/dev/null || true
# The emulator appends to its ledger; a reused folder must start clean.
rm -f ledger-*.jsonl emulator-*.out emulator-*.err claude-code*.json claude-code*.err opencode*.out opencode*.err

cat >credentials.json <<EOF
{"keys":[{"access_key_id":"$AWS_ACCESS_KEY_ID","secret_access_key":"$AWS_SECRET_ACCESS_KEY","session_token":"$AWS_SESSION_TOKEN"}],
 "bearer_tokens":["$BEARER_TOKEN"]}
EOF

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_emulator NAME ARGS… : starts `basalt emulator`, waits for its
# "listening on" line and sets URL.
start_emulator() {
	local name=$1
	shift
	./basalt emulator --addr 127.0.0.1:0 --region "$AWS_REGION" --credentials credentials.json \
		--ledger "ledger-$name.jsonl" "$@" >"emulator-$name.out" 2>"emulator-$name.err" &
	pids+=($!)
	local line=""
	for _ in $(seq 1 300); do
		line=$(head -n 1 "emulator-$name.out" 2>/dev/null || true)
		[[ "$line" == "listening on "* ]] && break
		if ! kill -0 "${pids[-1]}" 2>/dev/null; then
			echo "emulator $name exited:" >&2
			cat "emulator-$name.out" "emulator-$name.err" >&2
			return 1
		fi
		sleep 0.1
	done
	[[ "$line" == "listening on "* ]] || { echo "emulator $name did not print its address" >&2; return 1; }
	URL=${line#listening on }
	log "emulator $name at $URL"
}

# ledger_summary FILE: one line per request the client made.
ledger_summary() {
	node -e '
		const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
		for (const l of lines) {
			const r = JSON.parse(l);
			const extra = [r.error_type, r.stream ? "stream" : "", r.anthropic_beta && r.anthropic_beta.length ? "beta=" + r.anthropic_beta : "",
				r.breakpoints ? "bp=" + r.breakpoints : "", r.cache_read_input_tokens ? "cache_read=" + r.cache_read_input_tokens : "",
				r.cache_creation_input_tokens ? "cache_write=" + r.cache_creation_input_tokens : ""].filter(Boolean).join(" ");
			console.log(`   ${r.method} ${r.path} -> ${r.status} ${r.operation || ""} auth=${r.auth} model=${r.model || "-"} max_tokens=${r.max_tokens || "-"} ${extra}`);
		}' "$1"
}

failed=()
run_client() {
	local name=$1
	shift
	log "client: $name"
	if "$@"; then
		log "PASS $name"
	else
		log "FAIL $name"
		failed+=("$name")
	fi
}

start_emulator sdk --scenario scenario-sdk.json --var CITY=Lisbon
sdk_url=$URL
start_emulator faults --scenario scenario-sdk.json --var CITY=Lisbon --faults stream-error=1,seed=1
faults_url=$URL

export SIDE_REPLY="pong from basalt emulator" CITY=Lisbon FAULTS_URL=$faults_url
EMULATOR_URL=$sdk_url run_client aws-sdk-js node aws-sdk-runtime.mjs
EMULATOR_URL=$sdk_url run_client aws-sdk-js-control node aws-sdk-control.mjs
EMULATOR_URL=$sdk_url run_client bedrock-sdk node bedrock-sdk.mjs
EMULATOR_URL=$sdk_url run_client aws-sdk-js-converse node aws-sdk-converse.mjs
EMULATOR_URL=$sdk_url run_client ai-sdk-bedrock node ai-sdk-bedrock.mjs
# boto3 is not from npm, but it is the other Converse client most teams
# have; it runs when the machine's python3 has it.
if python3 -c 'import boto3' 2>/dev/null; then
	EMULATOR_URL=$sdk_url run_client boto3 python3 boto3-converse.py
else
	log "skip boto3: python3 with boto3 not found"
fi
log "requests seen by the sdk emulator:"
ledger_summary ledger-sdk.jsonl

# ---- Claude Code: fix a failing test in a scratch repository ----------------
# new_repo DIR: a git repository with a shell calculator whose test fails.
new_repo() {
	local repo=$1
	rm -rf "$repo"
	mkdir -p "$repo"
	cat >"$repo/calc.sh" <<'EOF'
#!/bin/sh
# add A B prints A + B.
add() {
	echo $(($1 - $2))
}
EOF
	cat >"$repo/test.sh" <<'EOF'
#!/bin/sh
. "$(dirname "$0")/calc.sh"
got=$(add 2 3)
if [ "$got" != 5 ]; then
	echo "FAIL: add 2 3 = $got, want 5"
	exit 1
fi
echo "PASS"
EOF
	git -C "$repo" init -q
	git -C "$repo" -c user.name=conformance -c user.email=conformance@example.invalid add .
	git -C "$repo" -c user.name=conformance -c user.email=conformance@example.invalid commit -qm "calculator with a failing test"
	if sh "$repo/test.sh" >/dev/null; then
		echo "the scratch repository's test should fail before Claude Code runs" >&2
		return 1
	fi
}

# claude_session NAME [EMULATOR ARGS…]: Claude Code, headless, against its own
# emulator and repository; the scripted session must end with the test fixed.
# With throttling faults the session must ride out the 429s.
claude_session() {
	local name=$1
	shift
	local repo=$dir/repo-$name home=$dir/home-$name
	new_repo "$repo" || return 1
	rm -rf "$home"
	mkdir -p "$home"
	start_emulator "$name" --scenario scenario-claude-code.json --var "REPO=$repo" "$@" || return 1
	local url=$URL
	# A name with "mantle" in it runs Claude Code against the emulator's
	# Mantle endpoint (Anthropic Messages shape, Bedrock API key) instead.
	local provider=(CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$url") model=()
	if [[ $name == *mantle* ]]; then
		provider=(CLAUDE_CODE_USE_MANTLE=1 ANTHROPIC_BEDROCK_MANTLE_BASE_URL="$url/anthropic" AWS_BEARER_TOKEN_BEDROCK="$BEARER_TOKEN")
		model=(--model anthropic.claude-sonnet-4-6)
	fi
	(
		cd "$repo"
		# HOME keeps Claude Code's state out of the user's; IS_SANDBOX lets
		# --dangerously-skip-permissions run as root; the last two keep it
		# from trying to reach anything but the emulator.
		env HOME="$home" XDG_CONFIG_HOME="$home/.config" \
			"${provider[@]}" \
			IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
			timeout 300 "$dir/node_modules/.bin/claude" -p "The test in this repository fails (sh test.sh). Fix it." \
			--output-format json --dangerously-skip-permissions --max-turns 10 "${model[@]}" \
			>"$dir/$name.json" 2>"$dir/$name.err"
	) || { echo "   claude exited $?"; cat "$dir/$name.err" "$dir/$name.json"; }
	log "claude -p result:"
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(`   subtype=${r.subtype} is_error=${r.is_error} num_turns=${r.num_turns} duration_ms=${r.duration_ms} result=${JSON.stringify(r.result)}`);
		console.log(`   usage=${JSON.stringify(r.usage)}`);
		if (r.is_error || r.result !== process.argv[2]) process.exit(1);' \
		"$dir/$name.json" "Fixed: add now adds, and test.sh passes." || return 1
	log "requests Claude Code made:"
	ledger_summary "ledger-$name.jsonl"
	# The scripted session is four streamed main-model turns (Read, Edit,
	# Bash, final text). Nothing may have been refused but throttled calls,
	# and those only when the emulator was told to throttle, in which case
	# at least one streamed turn must have been retried after a 429.
	node -e '
		const [file, faults] = process.argv.slice(1);
		const recs = require("fs").readFileSync(file, "utf8").split("\n").filter(Boolean).map(JSON.parse);
		const throttling = faults.includes("throttle=");
		const refused = recs.filter((r) => r.status >= 400 && !(throttling && r.status === 429));
		const streamed = (r) => r.operation === "InvokeModelWithResponseStream" || (r.operation === "MantleMessages" && r.stream);
		const turns = recs.filter((r) => streamed(r) && r.status === 200);
		const retried = recs.filter((r) => streamed(r) && r.status === 429);
		if (refused.length) { console.log("   refused requests: " + JSON.stringify(refused)); process.exit(1); }
		if (turns.length < 4) { console.log(`   ${turns.length} streamed turns, want at least 4`); process.exit(1); }
		if (throttling && retried.length === 0) { console.log("   no streamed turn was throttled; the fault seed no longer exercises retries"); process.exit(1); }
		if (throttling) console.log(`   Claude Code retried ${retried.length} throttled streamed request(s)`);
		' "ledger-$name.jsonl" "$*" || return 1
	log "the test, run by this script after the session:"
	sh "$repo/test.sh" && git -C "$repo" diff --stat
}
run_client claude-code claude_session claude-code
# Seeded so that the first streamed turn is throttled several times in a row
# (the three access probes before it take the first draws).
run_client claude-code-throttled claude_session claude-code-throttled --faults throttle=0.4,seed=11
# The same session with CLAUDE_CODE_USE_MANTLE: /anthropic/v1/messages.
run_client claude-code-mantle claude_session claude-code-mantle

# ---- OpenCode: the same fix over the Converse API ---------------------------
# opencode_session NAME: OpenCode's `run`, its amazon-bedrock provider pointed
# at the emulator by opencode.json (options.endpoint) and signing with the fake
# keys; the scripted read → edit → bash session must leave the test passing.
opencode_session() {
	local name=$1
	local repo=$dir/repo-$name home=$dir/home-$name
	new_repo "$repo" || return 1
	rm -rf "$home"
	mkdir -p "$home"
	start_emulator "$name" --scenario scenario-opencode.json --var "REPO=$repo" || return 1
	cat >"$repo/opencode.json" <<JSON
{"\$schema": "https://opencode.ai/config.json",
 "model": "amazon-bedrock/global.anthropic.claude-sonnet-4-6",
 "small_model": "amazon-bedrock/global.anthropic.claude-sonnet-4-6",
 "permission": {"edit": "allow", "bash": "allow"},
 "provider": {"amazon-bedrock": {"options": {"region": "$AWS_REGION", "endpoint": "$URL"}}}}
JSON
	(
		cd "$repo"
		# A scratch HOME and XDG tree keep OpenCode's state out of the
		# user's; the OPENCODE_DISABLE_* switches keep it from fetching the
		# model catalog, updates or language servers.
		env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
			XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state" \
			OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_LSP_DOWNLOAD=1 \
			OPENCODE_DISABLE_SHARE=1 OPENCODE_DISABLE_CLAUDE_CODE=1 \
			timeout 300 "$dir/node_modules/.bin/opencode" run "The test in this repository fails (sh test.sh). Fix it." \
			>"$dir/$name.out" 2>"$dir/$name.err"
	) || { echo "   opencode exited $?"; cat "$dir/$name.err"; }
	log "opencode run output:"
	sed 's/^/   /' "$dir/$name.out"
	grep -qx "Fixed: add now adds, and test.sh passes." "$dir/$name.out" || { echo "   the scripted final answer is missing"; return 1; }
	log "requests OpenCode made:"
	ledger_summary "ledger-$name.jsonl"
	# Every request is a streamed Converse call (the title too); the four
	# scripted turns must all have been answered, none refused.
	node -e '
		const recs = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
		const refused = recs.filter((r) => r.status >= 400);
		const turns = recs.filter((r) => r.operation === "ConverseStream" && r.status === 200);
		if (refused.length) { console.log("   refused requests: " + JSON.stringify(refused)); process.exit(1); }
		if (turns.length < 4) { console.log(`   ${turns.length} streamed Converse turns, want at least 4`); process.exit(1); }
		' "ledger-$name.jsonl" || return 1
	log "the test, run by this script after the session:"
	sh "$repo/test.sh" && git -C "$repo" diff --stat
}
run_client opencode opencode_session opencode

if ((${#failed[@]} > 0)); then
	echo "conformance-npm: FAILED: ${failed[*]}"
	exit 1
fi
echo "conformance-npm: all clients passed"
