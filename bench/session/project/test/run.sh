#!/bin/sh
# Runs every test; prints one line per failure and exits 1 if any failed.
here=$(dirname "$0")/..
. "$here/lib/num.sh"
. "$here/lib/text.sh"

failures=0
check() { # check NAME GOT WANT
	if [ "$2" != "$3" ]; then
		echo "FAIL $1: got '$2', want '$3'"
		failures=$((failures + 1))
	fi
}

check "sum 1 2 3" "$(sum 1 2 3)" 6
check "sum (none)" "$(sum)" 0
check "max 3 9 4" "$(max 3 9 4)" 9
check "max 7" "$(max 7)" 7
check "min 3 9 4" "$(min 3 9 4)" 3
check "mean 1 2 4" "$(mean 1 2 4)" 2
check "word_count" "$(word_count "the quick brown fox")" 4
check "word_count (blanks)" "$(word_count "  two   words ")" 2
check "longest_word" "$(longest_word "a bb ccc dd")" ccc
check "upper" "$(upper "shell")" SHELL

if [ "$failures" -gt 0 ]; then
	echo "$failures test(s) failed"
	exit 1
fi
echo "all tests passed"
