#!/usr/bin/env bash
# Runs `basalt -p` for the GitHub Action (action.yml) and reports the
# result: step outputs, the job summary and, on a pull request, a comment.
# Inputs come as the environment the action sets (INPUT_*); it is also
# run as is by the tests against basalt's emulator.
#
#   INPUT_PROMPT           the prompt (required)
#   INPUT_ALLOWED_TOOLS    --allowedTools (default: read-only tools)
#   INPUT_MAX_BUDGET_USD   --max-budget-usd (default 1.00)
#   INPUT_MAX_TURNS        --max-turns (default 20)
#   INPUT_MODEL            --model (optional)
#   INPUT_POST_COMMENT     "true": comment the answer on the pull request
#   INPUT_FAIL_ON_ERROR    "false": never fail the step (default true)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, GITHUB_REPOSITORY:
#                          the runner's; GH_TOKEN for the comment (gh CLI)
#
# basalt never waits for a terminal here: -p with standard input closed,
# and tools not allowed are refused, not asked.
set -uo pipefail

prompt=${INPUT_PROMPT:-}
if [ -z "$prompt" ]; then
  echo "::error title=basalt::the prompt input is empty" >&2
  exit 2
fi
args=(-p "$prompt" --output-format json
  --allowedTools "${INPUT_ALLOWED_TOOLS:-Read,Grep,Glob}"
  --max-budget-usd "${INPUT_MAX_BUDGET_USD:-1.00}"
  --max-turns "${INPUT_MAX_TURNS:-20}")
[ -n "${INPUT_MODEL:-}" ] && args+=(--model "$INPUT_MODEL")

export CLAUDE_CODE_USE_BEDROCK=${CLAUDE_CODE_USE_BEDROCK:-1}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
basalt "${args[@]}" </dev/null >"$out" 2>"$err"
code=$?
cat "$err" >&2

field() { jq -r "$1 // empty" "$out" 2>/dev/null; }
result=$(field .result)
subtype=$(field .subtype)
cost=$(field .total_cost_usd)
session=$(field .session_id)
turns=$(field .num_turns)
[ -n "$result" ] || result=$(tail -n 20 "$err")

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  delim="basalt_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  {
    echo "exit-code=$code"
    echo "cost-usd=${cost:-0}"
    echo "session-id=$session"
    echo "subtype=$subtype"
    echo "result<<$delim"
    echo "$result"
    echo "$delim"
  } >>"$GITHUB_OUTPUT"
fi

status="finished"
[ "$code" -ne 0 ] && status="stopped (exit $code: ${subtype:-error})"
body=$(printf '### basalt %s\n\n%s\n\n<sub>cost $%s · %s turns · session %s</sub>\n' "$status" "$result" "${cost:-0}" "${turns:-0}" "${session:-none}")
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && echo "$body" >>"$GITHUB_STEP_SUMMARY"

if [ "${INPUT_POST_COMMENT:-false}" = true ] && [ -n "${GITHUB_EVENT_PATH:-}" ]; then
  pr=$(jq -r '.pull_request.number // .issue.number // empty' "$GITHUB_EVENT_PATH" 2>/dev/null)
  if [ -n "$pr" ]; then
    if ! printf '%s' "$body" | gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F body=@- >/dev/null; then
      echo "::warning title=basalt::could not comment on #$pr (does the job have pull-requests: write?)" >&2
    fi
  fi
fi

if [ "$code" -ne 0 ]; then
  echo "::error title=basalt::basalt exited $code (${subtype:-error}); see the log above" >&2
  [ "${INPUT_FAIL_ON_ERROR:-true}" = false ] && exit 0
fi
exit "$code"
