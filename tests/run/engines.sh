# Two engines, one answer: each random book goes through the same months
# twice, once with --engine=walk (the reference tree-walker) and once with
# --engine=vm (compiled rules), on copies of one database; every table
# (the rules' outputs, their history, runs, sequences, invoices) must then
# hold the same rows, as sorted text, as must the month-end summaries, a
# dry run's, an ad-hoc query over rules run afresh, and `why` of revenue
# and billing rows. Wall-clock times are the only thing set aside.
# Books: tests/lib/books.sh's mixed book (T&M, capped T&M, fixed price, no
# SOW) with rate amendments mid-October on some T&M SOWs, and a small T&M
# book of tests/bench/gen.sh.
. "$top/tests/lib/books.sh"

# every table, sorted, timestamps (a run's start and end, a close) blanked
dump() { # DB
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
		sqlite3 -separator '|' "$1" "SELECT * FROM \"$t\"" | sed "s/^/$t|/" | LC_ALL=C sort
	done | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}[^|]*/TIME/g'
}

# the months of the mixed book, with ENGINE: September run and closed;
# October run, closed, reopened for approvals dated October, run again and
# closed; approvals dated September arrive, November runs (late rows) and
# runs again; then a preview of December
months() { # ENGINE DB
	e=$1
	d=$2
	sow run --engine="$e" --db "$d" --period 2026-09 sows || echo "September run failed"
	sow close --db "$d" --period 2026-09 >/dev/null
	sow run --engine="$e" --db "$d" --period 2026-10 sows || echo "October run failed"
	sow close --db "$d" --period 2026-10 >/dev/null
	sow reopen --db "$d" --period 2026-10 --reason "late approvals" >/dev/null
	sqlite3 "$d" "UPDATE time_entries SET approved_on = '2026-10-30' WHERE approved_on IS NULL AND worked_on BETWEEN '2026-10-01' AND '2026-10-20'"
	sow run --engine="$e" --db "$d" --period 2026-10 sows || echo "October re-run failed"
	sow close --db "$d" --period 2026-10 >/dev/null
	sqlite3 "$d" "UPDATE time_entries SET approved_on = '2026-09-28' WHERE approved_on IS NULL AND worked_on < '2026-09-20'"
	sow run --engine="$e" --db "$d" --period 2026-11 sows || echo "November run failed"
	sow run --engine="$e" --db "$d" --period 2026-11 sows || echo "November re-run failed"
	sow run --engine="$e" --db "$d" --as-of 2026-12-15 --dry-run sows || echo "December preview failed"
	# the rules run afresh (no stored run reused) under a query
	sow eval --engine="$e" --no-reuse --db "$d" --as-of 2026-12-15 sows \
		-e 'from r in revenue group by r.project_id, r.basis select r.project_id, r.basis, count(), sum(r.amount)'
	# why of a few revenue rows (two early ones, one at an amended rate) and
	# billing rows: as stored, and derived (the walker traces)
	for id in $(sqlite3 "$d" "SELECT source_id FROM revenue WHERE source = 'time' ORDER BY CAST(source_id AS INTEGER) LIMIT 2") \
		$(sqlite3 "$d" "SELECT r.source_id FROM revenue r JOIN time_entries t ON t.id = r.source_id WHERE r.source = 'time'
			AND t.role = 'PSE' AND r.recognized_on > '2026-10-25' AND r.amount / t.hours NOT IN (100, 100.0)
			ORDER BY CAST(r.source_id AS INTEGER) LIMIT 1"); do
		sow eval --db "$d" --as-of 2026-11-30 sows -e "why --full revenue { source: \"time\", source_id: \"$id\" }"
	done
	for p in $(sqlite3 "$d" "SELECT DISTINCT project_id FROM billing ORDER BY project_id LIMIT 2"); do
		sow eval --db "$d" --as-of 2026-11-30 sows -e "why --full billing { project_id: \"$p\", period: \"2026-11\" }"
	done
}

differ() { # LABEL: walk.txt and vm.txt, walk.db and vm.db
	dump walk.db > walk.dump
	dump vm.db > vm.dump
	if cmp -s walk.dump vm.dump && cmp -s walk.txt vm.txt; then
		echo "$1: the same, $(wc -l < walk.dump) rows in $(cut -d'|' -f1 walk.dump | uniq | wc -l) tables, $(wc -l < walk.txt) lines printed"
	else
		echo "$1: the engines differ"
		diff walk.dump vm.dump | head -20
		diff walk.txt vm.txt | head -20
	fi
}

for seed in 1 2 3; do
	book_data $seed
	# amendments: on some T&M SOWs a rate changes from mid-October
	for f in sows/*.sow; do
		n=$(basename "$f" .sow | sed 's/^P-0*//')
		if grep -q time_and_materials "$f" && [ $(((seed + n) % 3)) -ne 0 ]; then
			sed -i '$d' "$f"
			printf '  amendment "CR-%s" effective 2026-10-%02d {\n    rate "PSE" 1%02d.25 per hour\n  }\n}\n' "$n" $((10 + n)) $((seed * n % 100)) >> "$f"
		fi
	done
	for e in walk vm; do
		cp "$DB" $e.db
		months $e $e.db > $e.txt 2>&1
	done
	differ "mixed book, seed $seed ($(grep -l amendment sows/*.sow | wc -l) amended)"
done

# a T&M book of the bench, small: October run and closed, November run
SOW="$SOW_BIN" sh "$top/tests/bench/gen.sh" 0.001 bench tm > /dev/null
for e in walk vm; do
	cp bench/bench.db $e.db
	{
		sow run --engine=$e --db $e.db --period 2026-10 bench/sows || echo "October failed"
		sow close --db $e.db --period 2026-10 > /dev/null
		sow run --engine=$e --db $e.db --period 2026-11 bench/sows || echo "November failed"
	} > $e.txt 2>&1
done
differ "bench T&M book"

# errors: the same message at the same place, and the same exit, from
# both engines: an unset operand, a division by zero, and a step limit hit
# at each step of a rule (each node counts one step, in the same order)
sow init err.db > /dev/null
sqlite3 err.db < fixture.sql
sqlite3 err.db "INSERT INTO time_entries VALUES (901, 'P-TM', 'zed', 'PSE', '2026-11-03', '0', NULL, 1)"
cat > unset.sow <<'SOW'
relation due_days(entry text, due date) unique (entry)
rule due_dates
  for t in time_entries
  where t.project_id == "P-TM"
  let due = t.approved_on + 3 days
  emit due_days { entry: text(t.id), due: due }
SOW
cat > zero.sow <<'SOW'
relation per_hour(entry text, x number) unique (entry)
rule ratio
  for t in time_entries
  where t.project_id == "P-TM"
  emit per_hour { entry: text(t.id), x: 8 hours / t.hours }
SOW
cat > steps.sow <<'SOW'
relation chain(entry text, x number) unique (entry)
rule chained
  for t in time_entries
  where t.project_id == "P-TM" and not (t.approved_on is not set)
  let a = t.hours * 2
  let b = if a > 1 hours or a < 0 hours then a / 1 hours else 0
  emit chain { entry: text(t.id), x: b * b + b }
SOW
both() { # LABEL ARGS...: run both engines, compare what they said
	label=$1
	shift
	for e in walk vm; do
		cp err.db $e.db
		sow run --engine=$e --db $e.db --period 2026-11 "$@" > $e.txt 2>&1
		echo "exit $?" >> $e.txt
	done
	if cmp -s walk.txt vm.txt; then echo "$label: the same, $(head -1 vm.txt), $(tail -1 vm.txt)"; else
		echo "$label: the engines differ"
		diff walk.txt vm.txt | head -10
	fi
}
both "unset operand" unset.sow
both "division by zero" zero.sow
for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26; do
	both "--max-steps $s" --max-steps $s steps.sow
done | sed 's/: error: evaluation step limit reached ([0-9]* steps); see --max-steps//' | awk '
	/the same/ && /exit 1$/ { same++; sub(/,$/, "", $5); at = at " " $5; next }
	{ print }
	END { print "step limits: " same " the same, stopping at" at }'
both "no limit hit" --max-steps 40 steps.sow

# a rule's clauses the compiler does not take (more than 16 lets between
# two fors) run on the walker: the same rows, and the profile says why
{
	printf 'relation many(entry text, x number) unique (entry)\nrule many_lets\n  for t in time_entries\n'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do printf '  let v%d = t.hours * %d\n' $i $i; done
	printf '  emit many { entry: text(t.id), x: v17 / 1 hours }\n'
} > lets.sow
both "17 lets" lets.sow
cp err.db lets.db
sow run --db lets.db --period 2026-11 --profile-plan lets.sow 2>&1 >/dev/null | sed -n '/^rule .*many_lets: /,/^$/p' | sed 's/^rule [^ ]* /rule /'

# the profile says which engine ran each rule, and --profile-plan lists its plan
cp bench/bench.db p.db
sow run --db p.db --as-of 2026-11-30 --dry-run --profile-plan bench/sows 2> prof.txt > /dev/null; echo "profile-plan: exit $?"
echo "engines in the profile: $(sed -n '3,14p' prof.txt | grep -c '  vm  ') vm, $(sed -n '3,14p' prof.txt | grep -c '  walk  ') walk"
sed -n '/^rule .* release_time: /,/^$/p' prof.txt | sed -n '1,2p' | sed 's|^rule [^ ]*rules/std/|rule rules/std/|; s/[0-9]* instructions, [0-9]* registers/N instructions, N registers/'
grep -c '^rule ' prof.txt
sow run --db p.db --as-of 2026-11-30 --dry-run --engine=walk --profile bench/sows 2> prof.txt > /dev/null
echo "with --engine=walk: $(sed -n '3,14p' prof.txt | grep -c '  walk  ') of $(sed -n '3,14p' prof.txt | wc -l) shown walked"
sow run --db p.db --as-of 2026-11-30 --dry-run --engine=fast bench/sows; echo "bad engine: exit $?"
rm -rf sows bench walk.* vm.* p.db prof.txt err.db unset.sow zero.sow steps.sow lets.sow lets.db
