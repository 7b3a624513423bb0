# The planner reads a joined table one of two ways: an index probe per SOW
# (a few SOWs against a large table) or one scan of the table probing a
# hash of the SOWs. Either way the results are the same, to the cent, as
# the release computed independently in SQL (integer arithmetic on the
# hours' text: hundredths rounded half up to quarters, times the rate).
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, calendar)
	VALUES ('P-A', 'A', 'A', 'consulting', 'Active', 'US', 'US'), ('P-B', 'B', 'B', 'consulting', 'Active', 'US', 'US'),
	       ('P-C', 'C', 'C', 'consulting', 'Active', 'US', 'US');
	INSERT INTO holidays VALUES ('US', '2026-11-26', 'Thanksgiving');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, CASE i % 3 WHEN 0 THEN 'P-A' WHEN 1 THEN 'P-B' ELSE 'P-C' END, 'p' || (i % 7),
	       CASE i % 5 WHEN 0 THEN 'PM' ELSE 'PSE' END, date('2026-09-01', '+' || (i % 80) || ' days'),
	       printf('%.2f', (i % 37) * 0.25 + (i % 4) * 0.01), date('2026-09-03', '+' || (i % 80) || ' days'), i % 10 <> 3
	FROM n"
for p in A B C; do
	cat > $p.sow <<SOW
import "std"
sow "S-$p" for project "P-$p" {
  customer "$p"
  currency USD
  billing  time_and_materials
  rate     "PSE" 250.00 per hour
  rate     "PM"  187.50 per hour
}
SOW
done
lines() { sqlite3 "$1" "SELECT source_id, amount, recognized_on, basis FROM revenue WHERE project_id = 'P-A' ORDER BY CAST(source_id AS INTEGER)"; }
cp "$DB" one.db
cp "$DB" three.db
sow run --db one.db --period 2026-11 A.sow >/dev/null; echo "one SOW (index probes): exit $?"
sow run --db three.db --period 2026-11 A.sow B.sow C.sow >/dev/null; echo "three SOWs (one scan): exit $?"
lines one.db > one.txt
lines three.db > three.txt
cmp -s one.txt three.txt && echo "P-A's $(wc -l < one.txt) lines are the same either way"
sqlite3 three.db "SELECT project_id, amount FROM revenue_totals ORDER BY project_id"
echo "independently:"
sqlite3 three.db "SELECT project_id, printf('%.2f', sum(((CAST(round(hours * 100) AS INTEGER) * 4 + 50) / 100)
		* CASE role WHEN 'PM' THEN 18750 ELSE 25000 END) / 400.0)
	FROM time_entries WHERE billable = 1 AND approved_on <= '2026-11-30' GROUP BY project_id ORDER BY project_id"

# The step limit bounds the work for one row (its queries' whole work
# included: a SOW's query over its 1,000 revenue lines), not for a rule: a
# rule over 3,000 rows runs within a limit far below its total work ...
cp "$DB" steps.db
sow run --db steps.db --period 2026-11 --max-steps 60000 A.sow B.sow C.sow >/dev/null; echo "--max-steps 60000: exit $?"
# ... and a runaway is stopped with the defaults: the language has no
# recursion (the checker refuses it), so a runaway is a call tree that
# doubles at each level (lists are not remembered, so nothing is cached).
{
	echo 'import "std"'
	echo 'fn f0(l) = size(l)'
	i=1
	while [ $i -le 26 ]; do
		echo "fn f$i(l) = f$((i - 1))(l) + f$((i - 1))(l)"
		i=$((i + 1))
	done
	echo 'rule runaway'
	echo '  for p in projects'
	echo '  emit findings { project_id: p.id, severity: "error", code: "boom", message: text(f26([1])), subject: p.id }'
} > runaway.sow
cp "$DB" runaway.db
sow run --db runaway.db --period 2026-11 runaway.sow A.sow 2>&1 >/dev/null
echo "runaway: exit $?"
echo "runs recorded: $(sqlite3 runaway.db 'SELECT count(*) FROM runs')"
# A recursion that calls itself twice is refused at once (finding what a
# rule reads walks each function once, not once per call).
cat > twice.sow <<'SOW'
import "std"
fn boom(n) = if n <= 0 then 0 else boom(n - 1) + boom(n - 1)
rule twice
  for p in projects
  emit findings { project_id: p.id, severity: "error", code: "boom", message: text(boom(60)), subject: p.id }
SOW
sow check twice.sow 2>&1 | tail -1
rm -f one.db three.db steps.db runaway.db one.txt three.txt

# --profile: one line per rule (the slowest first, a dozen at most, then the
# rest summed), with the rows it read and emitted and its plan in source
# terms. Timings vary, so only the structure is compared.
cp "$DB" prof.db
sow run --db prof.db --period 2026-11 --profile A.sow B.sow C.sow 2>prof.txt >/dev/null; echo "profile: exit $?"
sed -n 1p prof.txt | sed 's/[0-9]* ms$/N ms/'
sed -n 2p prof.txt | tr -s ' '
echo "lines: $(wc -l < prof.txt)"
for r in release_time missing_rate; do
	grep " $r " prof.txt | sed 's|[^ ]*rules/std/|rules/std/|' |
		awk '{ printf "%s %s read=%s emitted=%s\n   ", $4, $5, $2, $3; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print $0 }'
done
rm -f prof.db prof.txt

# Rules that read their sources the same way (the same two `for`s and
# filters) share one scan: each row is offered to each rule, which emits
# what it would alone (a filter of one rule's own, like long_days' role,
# must not reach the SQL of the shared scan). In two files the same rules
# never share (names resolve per file), so the two runs must agree row for row.
rules() {
	cat <<'SOW'
rule long_days
  for s in sows
  where s.billing == "time_and_materials"
  for t in time_entries
  where t.project_id == s.project_id and t.approved_on is set
  let h = t.hours
  where t.role == "PSE"
  when h > 8 hours
  emit findings { project_id: s.project_id, severity: "warning", code: "long_day", message: t.person + " logged " + text(t.hours), subject: "time_entries:" + text(t.id) }
SOW
	[ "$1" = split ] && echo "---"
	cat <<'SOW'
relation pm_time(project_id text, entry text, worked_on date) unique (entry)
rule pm_days
  for s in sows
  where s.billing == "time_and_materials"
  for t in time_entries
  where t.project_id == s.project_id and t.approved_on is set
  when t.role == "PM"
  emit pm_time { project_id: s.project_id, entry: text(t.id), worked_on: t.worked_on }
SOW
}
# (the SOWs without the standard rules, so that the profile lists just these)
for p in A B C; do grep -v '^import' $p.sow > bare$p.sow; done
rules one > shared.sow
rules split | sed '/^---$/,$d' > split1.sow
rules split | sed '1,/^---$/d' > split2.sow
for how in shared split; do
	cp "$DB" $how.db
	files=shared.sow
	[ $how = split ] && files="split1.sow split2.sow"
	sow run --db $how.db --period 2026-11 --profile bareA.sow bareB.sow bareC.sow $files 2>$how.prof >/dev/null
	echo "$how: exit $?, $(sed -n 1p $how.prof | sed 's/, [0-9]* ms$//'), $(grep -c 'shares the scan' $how.prof) sharing a scan"
	sow eval --db $how.db --as-of 2026-11-30 bareA.sow bareB.sow bareC.sow $files \
		-e 'from p in pm_time group by p.project_id select p.project_id, count(), min(p.worked_on), max(p.worked_on)' > $how.pm
	sqlite3 $how.db "SELECT project_id, code, message, subject FROM findings WHERE code = 'long_day' ORDER BY subject" > $how.findings
done
grep 'shares the scan' shared.prof | sed 's/  */ /g; s/^ [0-9]* //'
cmp shared.findings split.findings && echo "findings: the same $(wc -l < shared.findings) long days either way"
cmp shared.pm split.pm && echo "pm_time: the same either way" && cat shared.pm
echo "independently: $(sqlite3 "$DB" "SELECT count(*) FROM time_entries WHERE approved_on IS NOT NULL AND role = 'PSE' AND CAST(hours AS REAL) > 8") long days, $(sqlite3 "$DB" "SELECT count(*) FROM time_entries WHERE approved_on IS NOT NULL AND role = 'PM'") PM entries"
rm -f shared.* split*.db split*.sow split.* bare?.sow
