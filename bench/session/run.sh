#!/usr/bin/env bash
# The session benchmark: the same scripted multi-turn session (scenario.json:
# 11 tool-using turns that list and read files, grep, run the tests, edit two
# files and run the tests again, then a final answer) run by basalt and by
# the Claude Code CLI against `basalt emulator`, one client after the
# other, each against a fresh emulator and a fresh copy of the scratch
# project. It prints one Markdown table: wall time, time to the first
# request, peak RSS, request bytes, prompt tokens, cache reads and writes,
# cost at Bedrock prices and cost ÷ the caching ideal (defined in ideal.go).
#
# Usage: bench/session/run.sh
#   BASALT_BENCH_DIR=DIR        scratch folder (default: a new temporary one);
#                               reuse one to keep the npm install
#   BASALT_BENCH_REPEAT=N       runs per client, alternating; the table shows
#                               the median by wall time (default 5)
#   BASALT_BENCH_NO_CLAUDE=1    basalt only, as when node or npm is missing
#   BASALT_BENCH_CLAUDE_VERSION=V  @anthropic-ai/claude-code version
#                               (default below; "latest" for the newest)
#   BASALT_BENCH_NO_NETNS=1     run the clients in the host network namespace
#                               instead of a loopback-only one
#   BASALT_BENCH_WORKTREE=1     build basalt from the working tree instead of
#                               the last commit
#
# Nothing leaves the machine: the AWS keys are fake, the emulator plays
# Bedrock, and the clients run in a network namespace that has only lo. npm
# install (the only step that uses the network) runs before entering it.
#
# The scenario calls only Read, Edit and Bash (find and grep included):
# Claude Code 2.1.330 offers no Glob or Grep tool (it tells the model to use
# find and grep through Bash), and a tool one client lacks would turn that
# turn into an error result for it alone.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"

# The version this script was last run with; the README's table says so.
claude_version=${BASALT_BENCH_CLAUDE_VERSION:-2.1.330}
# Both clients are pinned to basalt's default model, so that the cost
# compares the harnesses and not Sonnet 4.5 against Sonnet 4.6 (Claude Code
# otherwise picks its own default).
bench_model=global.anthropic.claude-sonnet-4-6
prompt="The tests fail (sh test/run.sh). Find the bugs and fix them."

# Fake credentials that the emulator verifies SigV4 signatures against;
# through the recording proxy too, which proves it passes requests unchanged.
export AWS_ACCESS_KEY_ID=AKIABASALTSESSIONBENCH
export AWS_SECRET_ACCESS_KEY=session/bench/secret/0123456789abcdefABCD
export AWS_REGION=us-east-1

log() { printf '== %s\n' "$*" >&2; }

if [[ "${BASALT_BENCH_PHASE:-}" != run ]]; then
	command -v go >/dev/null || { echo "bench/session: go not found" >&2; exit 1; }
	dir=${BASALT_BENCH_DIR:-$(mktemp -d -t basalt-bench.XXXXXX)}
	mkdir -p "$dir/bin"
	dir=$(cd "$dir" && pwd)
	log "scratch folder $dir"

	# basalt is built once, outside the timed runs, from the committed
	# tree (git archive HEAD): the working tree often holds other people's
	# unfinished work, which once made the binary three times larger and
	# doubled its RSS. BASALT_BENCH_WORKTREE=1 measures the working tree.
	commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	src=$root
	if [[ -n "${BASALT_BENCH_WORKTREE:-}" ]]; then
		[[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ]] || commit+="-dirty"
	elif [[ "$commit" != unknown ]]; then
		src=$dir/src
		rm -rf "$src"
		mkdir -p "$src"
		git -C "$root" archive HEAD | tar -x -C "$src"
	fi
	log "go build basalt ($commit) and the benchmark helper"
	(cd "$src" && go build -ldflags "-X github.com/basalt-dev/basalt/internal/cli.Commit=$commit" -o "$dir/bin/basalt" ./cmd/basalt)
	(cd "$root" && go build -o "$dir/bin/session" ./bench/session)

	claude=""
	if [[ -n "${BASALT_BENCH_NO_CLAUDE:-}" ]]; then
		echo "skip: claude code not installed (BASALT_BENCH_NO_CLAUDE is set)"
	elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "skip: claude code not installed (node or npm not found)"
	else
		npmdir=$dir/claude-code
		mkdir -p "$npmdir"
		[[ -f "$npmdir/package.json" ]] || printf '{"name":"basalt-bench-session","private":true}\n' >"$npmdir/package.json"
		installed=$(node -p 'require(process.argv[1]).version' "$npmdir/node_modules/@anthropic-ai/claude-code/package.json" 2>/dev/null || true)
		if [[ "$installed" != "$claude_version" ]]; then
			log "npm install @anthropic-ai/claude-code@$claude_version"
			if ! (cd "$npmdir" && npm install --no-audit --no-fund --loglevel=error "@anthropic-ai/claude-code@$claude_version" >npm-install.log 2>&1); then
				cat "$npmdir/npm-install.log" >&2
				echo "skip: claude code not installed (npm install failed)"
			fi
		fi
		# npm may leave the postinstall that puts the native binary in
		# place to the user; run it ourselves when needed.
		if [[ -e "$npmdir/node_modules/@anthropic-ai/claude-code/package.json" ]] &&
			! "$npmdir/node_modules/.bin/claude" --version >/dev/null 2>&1; then
			(cd "$npmdir/node_modules/@anthropic-ai/claude-code" && node install.cjs) >&2 || true
		fi
		if "$npmdir/node_modules/.bin/claude" --version >/dev/null 2>&1; then
			claude=$npmdir/node_modules/.bin/claude
		elif [[ -e "$npmdir/node_modules/@anthropic-ai/claude-code/package.json" ]]; then
			echo "skip: claude code not installed (its binary does not run)"
		fi
	fi

	export BASALT_BENCH_DIR=$dir BASALT_BENCH_PHASE=run BASALT_BENCH_CLAUDE=$claude
	if [[ -z "${BASALT_BENCH_NO_NETNS:-}" ]]; then
		if unshare --net --map-root-user true 2>/dev/null; then
			log "clients run in a loopback-only network namespace"
			exec unshare --net --map-root-user bash "$self"
		fi
		# Without the namespace Claude Code would run on the host network;
		# that is only done when asked for.
		if [[ -n "$claude" ]]; then
			echo "skip: claude code not run (no loopback-only network namespace: unshare --net failed; BASALT_BENCH_NO_NETNS=1 runs it on the host network)"
			export BASALT_BENCH_CLAUDE=""
		fi
	fi
	log "clients run in the host network namespace (loopback addresses only)"
	exec bash "$self"
fi

# ---- run phase ---------------------------------------------------------------
dir=$BASALT_BENCH_DIR
claude=${BASALT_BENCH_CLAUDE:-}
repeat=${BASALT_BENCH_REPEAT:-5}
# A fresh network namespace has lo down.
ip link set lo up 2>/dev/null || true

cat >"$dir/credentials.json" <<EOF
{"keys":[{"access_key_id":"$AWS_ACCESS_KEY_ID","secret_access_key":"$AWS_SECRET_ACCESS_KEY"}]}
EOF
final_text=$(node -e 'const t = require(process.argv[1]).turns; console.log(t[t.length - 1].text)' "$here/scenario.json" 2>/dev/null ||
	sed -n 's/^ *"text": "\(Fixed .*\)"$/\1/p' "$here/scenario.json")

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	pids=()
}
trap cleanup EXIT

# start_server NAME CMD… : starts a server that prints "listening on URL"
# first (the emulator, the proxy), waits for that line and sets URL.
start_server() {
	local name=$1
	shift
	"$@" >"$run/$name.out" 2>"$run/$name.err" &
	pids+=($!)
	local line=""
	for _ in $(seq 1 200); do
		line=$(head -n 1 "$run/$name.out" 2>/dev/null || true)
		[[ "$line" == "listening on "* ]] && break
		if ! kill -0 "${pids[-1]}" 2>/dev/null; then
			echo "$name exited:" >&2
			cat "$run/$name.out" "$run/$name.err" >&2
			return 1
		fi
		sleep 0.05
	done
	[[ "$line" == "listening on "* ]] || { echo "$name did not print its address" >&2; return 1; }
	URL=${line#listening on }
}

# new_repo DIR: the scratch project, committed, with its tests failing.
new_repo() {
	local repo=$1
	cp -R "$here/project" "$repo"
	git -C "$repo" init -q
	git -C "$repo" add .
	git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qm "wordstats with two bugs"
	if sh "$repo/test/run.sh" >/dev/null; then
		echo "the scratch project's tests should fail before the session" >&2
		return 1
	fi
}

# session CLIENT N: one measured run of CLIENT (basalt or claude) into
# $dir/runs/CLIENT-N, against its own emulator, proxy, project and home.
session() {
	local client=$1 n=$2
	run=$dir/runs/$client-$n
	rm -rf "$run"
	mkdir -p "$run/home"
	local repo=$run/repo
	new_repo "$repo"
	start_server emulator "$dir/bin/basalt" emulator --addr 127.0.0.1:0 --region "$AWS_REGION" \
		--credentials "$dir/credentials.json" --scenario "$here/scenario.json" --var "REPO=$repo" \
		--ledger "$run/ledger.jsonl"
	start_server proxy "$dir/bin/session" proxy --target "$URL" --out "$run/requests.jsonl"
	# The same environment for both clients, built from nothing, so that
	# neither picks up settings of the machine: a scratch home, the fake
	# keys, the proxy in front of the emulator as the Bedrock endpoint, and
	# the model pinned.
	local env=(
		PATH="$PATH" HOME="$run/home" XDG_CONFIG_HOME="$run/home/.config" XDG_STATE_HOME="$run/home/.local/state"
		TMPDIR="${TMPDIR:-/tmp}" LANG=C.UTF-8 TERM=dumb
		AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" AWS_REGION="$AWS_REGION"
		AWS_EC2_METADATA_DISABLED=true
		CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$URL" ANTHROPIC_MODEL="$bench_model"
	)
	local cmd
	case $client in
	basalt)
		"$dir/bin/basalt" version >"$run/version.txt"
		cmd=("$dir/bin/basalt" -p "$prompt" --permission-mode bypassPermissions --output-format json)
		;;
	claude)
		echo "Claude Code $("$claude" --version | cut -d' ' -f1)" >"$run/version.txt"
		# IS_SANDBOX lets --dangerously-skip-permissions run as root (the
		# namespace maps us to root); the last two keep Claude Code from
		# reaching for anything but the emulator, as a gateway user would.
		env+=(IS_SANDBOX=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1)
		cmd=("$claude" -p "$prompt" --output-format json --dangerously-skip-permissions)
		;;
	esac
	local status=0
	(cd "$repo" && env -i "${env[@]}" "$dir/bin/session" measure --out "$run/measure.json" --timeout 5m -- "${cmd[@]}" \
		</dev/null >"$run/result.json" 2>"$run/stderr.txt") || status=$?
	cleanup

	# What the session achieved, checked after the fact: the scenario ran
	# to its last turn and the project's tests really pass.
	local outcome=""
	if grep -qF "\"$final_text\"" "$run/result.json"; then
		outcome="all turns"
	else
		outcome="did not finish the scenario"
	fi
	if sh "$repo/test/run.sh" >/dev/null 2>&1; then
		outcome+=", tests pass"
	else
		outcome+=", tests still fail"
	fi
	echo "$outcome" >"$run/outcome.txt"
	log "$client run $n: exit $status, $outcome"
	if ((status != 0)); then
		sed 's/^/   /' "$run/stderr.txt" >&2
	fi
}

clients=(basalt)
[[ -n "$claude" ]] && clients+=(claude)
for n in $(seq 1 "$repeat"); do
	for client in "${clients[@]}"; do
		session "$client" "$n"
	done
done

runs_of() { # runs_of CLIENT: its run directories, comma-separated
	local out=()
	for n in $(seq 1 "$repeat"); do out+=("$dir/runs/$1-$n"); done
	(IFS=,; echo "${out[*]}")
}
columns=("basalt=$(runs_of basalt)")
[[ -n "$claude" ]] && columns+=("Claude Code=$(runs_of claude)")

{
	echo "Session benchmark, $(date -u +%Y-%m-%d): $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
	echo "$(go version | cut -d' ' -f3-), node $(node --version 2>/dev/null || echo none); scenario bench/session/scenario.json, model $bench_model for both"
	echo
	"$dir/bin/session" report "${columns[@]}"
} | tee "$dir/table.md"
"$dir/bin/session" report --requests "${columns[@]}" >"$dir/requests.txt"
log "table in $dir/table.md, every request in $dir/requests.txt"
