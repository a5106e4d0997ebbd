#!/bin/sh
# Arithmetic over whole numbers given as arguments.

# sum N... prints the sum of its arguments (0 when there are none).
sum() {
	total=0
	for n in "$@"; do
		total=$((total + n))
	done
	echo "$total"
}

# max N... prints the largest argument.
max() {
	best=$1
	shift
	for n in "$@"; do
		if [ "$n" -lt "$best" ]; then
			best=$n
		fi
	done
	echo "$best"
}

# min N... prints the smallest argument.
min() {
	best=$1
	shift
	for n in "$@"; do
		if [ "$n" -lt "$best" ]; then
			best=$n
		fi
	done
	echo "$best"
}

# mean N... prints the integer mean of its arguments, rounded down.
mean() {
	if [ "$#" -eq 0 ]; then
		echo 0
		return
	fi
	echo $(($(sum "$@") / $#))
}
