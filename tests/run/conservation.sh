# Conservation on random books (SPEC 9.1), as a property: after September
# and October are run and closed, late approvals arrive and November runs,
# every approved billable time entry (up to the as-of date) of a T&M SOW or
# of a project with no SOW, every accepted milestone and every delivered
# training with its roster is released in some run or named in a finding;
# no capped SOW releases more rounded hours than it authorizes; nothing is
# released twice. Books come from tests/lib/books.sh (a seed, a
# hash of the row number: the same seeds, the same books).
. "$top/tests/lib/books.sh"
book() {  # SEED: the SOW files in sows/, the database $DB
	book_data "$1"
	# approvals that arrive after October is closed, dated in September
	sqlite3 "$DB" "SELECT id FROM time_entries WHERE approved_on IS NULL AND worked_on < '2026-09-20'" > late.txt
	sow run --db "$DB" --period 2026-09 sows >/dev/null 2>&1 || echo "seed $seed: September run failed"
	sow close --db "$DB" --period 2026-09 >/dev/null
	sow run --db "$DB" --period 2026-10 sows >/dev/null 2>&1 || echo "seed $seed: October run failed"
	sow close --db "$DB" --period 2026-10 >/dev/null
	sqlite3 "$DB" "UPDATE time_entries SET approved_on = '2026-09-28' WHERE approved_on IS NULL AND worked_on < '2026-09-20'"
	sow run --db "$DB" --period 2026-11 sows >/dev/null 2>&1 || echo "seed $seed: November run failed"
}
# the rows the property is about, each with how the books account for it
property() {
	sqlite3 "$DB" "
		CREATE TEMP TABLE kind AS SELECT printf('P-%02d', i) AS project_id,
			CASE i % 4 WHEN 0 THEN 'none' WHEN 3 THEN 'fixed' ELSE 'tm' END AS kind
			FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) SELECT i FROM n);
		CREATE TEMP TABLE named AS SELECT DISTINCT f.subject FROM findings f JOIN runs r ON r.id = f.run_id
			WHERE r.status <> 'superseded';
		CREATE TEMP TABLE due AS
			SELECT 'time_entries:' || t.id AS subject, 'time' AS source, CAST(t.id AS TEXT) AS source_id FROM time_entries t
				JOIN kind k ON k.project_id = t.project_id
				WHERE k.kind IN ('tm', 'none') AND t.approved_on <= '2026-11-30' AND t.billable = 1
			UNION ALL SELECT 'milestones:' || m.id, 'milestone', m.id FROM milestones m
				WHERE m.sign_off_received_on <= '2026-11-30' OR m.sign_off_sent_on <= '2026-11-16'
			UNION ALL SELECT 'trainings:' || t.id, 'training', t.id FROM trainings t
				WHERE max(t.delivered_on, t.roster_received_on) <= '2026-11-30';
		SELECT 'due: ' || (SELECT count(*) FROM due WHERE source = 'time') || ' time entries, '
			|| (SELECT count(*) FROM due WHERE source = 'milestone') || ' milestones, '
			|| (SELECT count(*) FROM due WHERE source = 'training') || ' trainings'
			WHERE (SELECT count(*) FROM due WHERE source = 'time') < 100;
		SELECT 'vanished: ' || d.subject FROM due d
			WHERE NOT EXISTS (SELECT 1 FROM revenue r WHERE r.source = d.source AND r.source_id = d.source_id)
			AND d.subject NOT IN (SELECT subject FROM named);
		SELECT 'released twice: ' || source || ' ' || source_id FROM revenue GROUP BY source, source_id HAVING count(*) > 1;
		SELECT 'changed, though nothing was: ' || subject FROM findings WHERE code = 'released_row_changed';
		SELECT 'released on a SOW-less project: ' || r.source_id FROM revenue r JOIN kind k ON k.project_id = r.project_id
			WHERE k.kind = 'none';
		SELECT 'released but unapproved or not billable: ' || r.source_id FROM revenue r JOIN time_entries t ON t.id = r.source_id
			WHERE r.source = 'time' AND (t.approved_on IS NULL OR t.billable = 0);"
	# the caps: released rounded hours (quarter hours here, so as stored) within each capped SOW
	for f in sows/*.sow; do
		cap=$(sed -n 's/^  authorized hours \([0-9]*\)$/\1/p' "$f")
		[ -n "$cap" ] || continue
		p=$(basename "$f" .sow)
		sqlite3 "$DB" "SELECT 'over the cap: $p ' || sum(t.hours) || ' > $cap' FROM revenue r JOIN time_entries t ON t.id = r.source_id
			WHERE r.source = 'time' AND r.project_id = '$p' HAVING sum(t.hours) > $cap"
		# and a SOW that holds hours says so
		held=$(sqlite3 "$DB" "SELECT count(*) FROM time_entries WHERE project_id = '$p' AND approved_on <= '2026-11-30' AND billable = 1
			AND role <> 'XX' AND CAST(id AS TEXT) NOT IN (SELECT source_id FROM revenue WHERE source = 'time')")
		said=$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.period = '2026-11' AND f.code = 'time_over_cap' AND f.subject = 'sow:S-$p'")
		[ "$held" -gt 0 ] && [ "$said" -eq 0 ] && echo "held without a word: $p"
		[ "$held" -eq 0 ] && [ "$said" -gt 0 ] && echo "a cap finding with nothing held: $p"
	done
}
for seed in 1 2 3; do
	book $seed
	property
	echo "seed $seed: checked"
done
# the same check finds a vanished row: one released revenue row taken away
sqlite3 "$DB" "DELETE FROM revenue WHERE rowid = (SELECT min(rowid) FROM revenue WHERE source = 'time' AND run_id = (SELECT max(id) FROM runs))"
property | sed 's/time_entries:[0-9]*/time_entries:N/'
rm -rf sows late.txt
