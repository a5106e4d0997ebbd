#!/bin/sh
# Word functions. A word is a run of characters other than blanks.

# word_count TEXT prints how many words TEXT holds.
word_count() {
	printf '%s\n' "$1" | wc -l | tr -d ' '
}

# longest_word TEXT prints the longest word of TEXT (the first one on a tie).
longest_word() {
	best=""
	for w in $1; do
		if [ "${#w}" -gt "${#best}" ]; then
			best=$w
		fi
	done
	echo "$best"
}

# upper TEXT prints TEXT in capitals.
upper() {
	printf '%s\n' "$1" | tr '[:lower:]' '[:upper:]'
}
