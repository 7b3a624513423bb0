#!/bin/sh
# sows.sh N DIR [BOOK]: N SOW files, one per project P-00001..., in DIR (made
# if missing), as gen.sh writes them for its database (BOOK mixed or tm). On
# its own it measures what parsed SOW files cost (`sow check DIR`) without
# generating time entries: tests/bench/sows.sh 20000 /tmp/s tm
set -eu
N=$1
DIR=$2
BOOK=${3:-mixed}
case $BOOK in mixed | tm) ;; *) echo "sows.sh: BOOK is mixed or tm, not $BOOK" >&2; exit 2 ;; esac
mkdir -p "$DIR"
awk -v n="$N" -v dir="$DIR" -v book="$BOOK" 'BEGIN {
	split("time_and_materials milestone on_sow_execution on_order_form half_and_half on_completion", terms, " ")
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/P-%05d.sow", dir, i)
		term = book == "tm" ? terms[1] : terms[(i - 1) % 6 + 1]
		printf "import \"std\"\n\nsow \"SOW-%05d\" for project \"P-%05d\" {\n", i, i > f
		printf "  customer   \"Customer %d\"\n  currency   USD\n  billing    %s\n", i % 997, term > f
		printf "  rate       \"PSE\" 250.00 per hour\n  rate       \"PM\"  200.00 per hour\n  rate       \"TA\"  150.00 per hour\n" > f
		if (term != "time_and_materials")
			for (m = 1; m <= 4; m++)
				printf "  milestone  \"P-%05d-M%d\" \"Milestone %d\" %d.50\n", i, m, m, 1000 * m > f
		if (book == "mixed")
			printf "  training   \"P-%05d-T1\" \"GitLab Basics\" 4500.00\n", i > f
		printf "}\n" > f
		close(f)
	}
}'
