# A SOW file that holds only SOW blocks and checks without a message is kept
# as its terms (clauses equal to another file's shared), not its parse; a
# message about it later reads the file again. Everything must be as if the
# whole tree were kept.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
echo "-- a run on the compacted file and on a copy kept whole are the same"
mkdir whole
cp common.sow whole/common.sow
printf '\nconst keep_whole = 1\n' >> whole/common.sow
sow check --stats common.sow | head -1
sow check --stats whole/common.sow | head -1
sow run --db "$DB" --as-of 2026-11-30 --dry-run common.sow > compact.txt; echo "exit $?"
sow run --db "$DB" --as-of 2026-11-30 --dry-run whole/common.sow > whole.txt; echo "exit $?"
cmp compact.txt whole.txt && echo "same output ($(wc -l < compact.txt) lines)"
echo "-- a SOW file with a warning is kept whole, and warned about once"
cat > nocust.sow <<'SOW'
sow "S-N" for project "P-N" {
  currency USD
  billing  on_completion
}
SOW
sow check --stats nocust.sow | head -1
echo "-- a syntax error: reported once"
printf 'sow "S-X" for project "P-X" {\n  currency USD\n  billing on_completion\n' > open.sow
sow check open.sow; echo "exit $?"
echo "-- a SOW id twice, in two compacted files: the note shows the first file's line"
mkdir two
printf 'import "std"\n\nsow "S-TM" for project "P-2" {\n  customer "B"\n  currency USD\n  billing  on_completion\n}\n' > two/b.sow
sow check common.sow two/b.sow; echo "exit $?"
echo "-- memory: what one more SOW file costs (before compaction, about 2,500 bytes"
echo "-- for a T&M SOW and 4,600 for one with four milestones and a training)"
for book in tm mixed; do
	sh "$top/tests/bench/sows.sh" 100 few $book
	sh "$top/tests/bench/sows.sh" 400 many $book
	sow check --stats few | head -1
	sow check --stats many | head -1
	few=$(sow check --stats few | sed -n 's/^everything loaded: \([0-9]*\) bytes$/\1/p')
	many=$(sow check --stats many | sed -n 's/^everything loaded: \([0-9]*\) bytes$/\1/p')
	bound=$([ $book = tm ] && echo 800 || echo 2000)
	awk -v a="$few" -v b="$many" -v n="$bound" -v book=$book \
		'BEGIN { print book ": " ((b - a) / 300 <= n ? "at most " : "more than ") n " bytes a file" }'
	rm -rf few many
done
rm -rf whole two compact.txt whole.txt nocust.sow open.sow
