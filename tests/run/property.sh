# Property: over random data and random sequences of runs, re-runs, closes
# and late approvals, the total released equals the total releasable, no
# source row is released twice, and a row is `late` exactly when its month
# is on or before the latest period closed when it was released (SPEC 8.1:
# whether or not its own month was ever run or closed). The expected total is computed here, in awk,
# independently of sow (hours are multiples of 1/8, so quarter-hour rounding
# half up is exact integer arithmetic on eighths).
cat > tm.sow <<'SOW'
import "std"

sow "S-P" for project "P-P" {
  customer "Prop"
  currency USD
  billing  time_and_materials
  rate     "PSE" 180.00 per hour
  rate     "PM"  220.00 per hour
}
SOW
# rand(): a seeded linear congruential generator, the same on every awk.
gen() { # seed first_id count approved_from approved_to
	awk -v seed="$1" -v first="$2" -v n="$3" -v from="$4" -v to="$5" '
	function rnd(k) { seed = (seed * 1103515245 + 12345) % 2147483648; return int(seed / 65536) % k }
	BEGIN {
		split("PSE PM TA", roles, " ")
		for (i = 0; i < n; i++) {
			id = first + i
			m = from + rnd(to - from + 1); d = 1 + rnd(28)
			eighths = 1 + rnd(80)
			role = roles[1 + rnd(3)]
			approved = rnd(10) < 8 ? sprintf("'\''2026-%02d-%02d'\''", m, d) : "NULL"
			billable = rnd(10) < 9 ? 1 : 0
			printf "INSERT INTO time_entries VALUES (%d, '\''P-P'\'', '\''p%d'\'', '\''%s'\'', '\''2026-%02d-01'\'', '\''%s'\'', %s, %d);\n",
				id, rnd(5), role, m, eighths / 8, approved, billable
		}
	}'
}
check() { # last period end
	sqlite3 "$DB" "SELECT count(*) FROM (SELECT source, source_id FROM revenue GROUP BY 1, 2 HAVING count(*) > 1)" | grep -qx 0 || echo "a source released twice"
	got=$(sqlite3 "$DB" "SELECT count(*) || ' ' || printf('%.2f', coalesce(sum(amount), 0)) FROM revenue WHERE source = 'time'")
	want=$(sqlite3 -separator ' ' "$DB" "SELECT role, hours, approved_on, billable FROM time_entries" | awk -v end="$1" '
		BEGIN { rate["PSE"] = 180; rate["PM"] = 220 }
		$3 != "" && $3 <= end && $4 == 1 && ($1 in rate) {
			e = $2 * 8; q = int((e + 1) / 2)   # eighths -> quarter hours, half up
			n++; cents += q * rate[$1] * 25
		}
		END { printf "%d %d.%02d\n", n, cents / 100, cents % 100 }')
	[ "$got" = "$want" ] || echo "released $got, releasable $want"
}
for seed in 1 2 3 4 5; do
	rm -f "$DB"
	sow init "$DB"
	gen "$seed" 1 60 8 12 | sqlite3 "$DB"
	next=1000
	s=$seed
	through=0000-00
	for m in 8 9 10 11 12; do
		p=$(printf '2026-%02d' "$m")
		sow run --db "$DB" --period "$p" tm.sow >/dev/null || echo "run $p failed"
		s=$(( (s * 7 + 3) % 11 ))
		if [ $((s % 3)) -eq 0 ]; then sow run --db "$DB" --period "$p" tm.sow >/dev/null || echo "re-run $p failed"; fi
		wrong=$(sqlite3 "$DB" "SELECT count(*) FROM revenue WHERE period = '$p' AND
			(substr(recognized_on, 1, 7) <= '$through' AND substr(recognized_on, 1, 7) < '$p') <> (basis = 'late')")
		[ "$wrong" = 0 ] || echo "seed $seed $p: $wrong rows late when they should not be, or not when they should"
		if [ $((s % 2)) -eq 0 ] && [ "$m" -lt 12 ]; then gen $((seed + m)) "$next" 4 8 "$m" | sqlite3 "$DB"; next=$((next + 4)); fi
		if [ $((s % 4)) -ne 1 ]; then sow close --db "$DB" --period "$p" >/dev/null && through=$p; fi
	done
	check 2026-12-31
	echo "seed $seed: $(sqlite3 "$DB" "SELECT count(*) FROM revenue WHERE basis = 'late'") late rows, checked"
done
rm -f tm.sow

# Property (SPEC 9.1): invoiced money is the record. Over random T&M books
# (one rate with sub-cent digits, so lines round), random finalizing and
# sending, closes, late approvals and entries found not billable, reopen and
# re-run: per project and bill date the non-void invoices net to the billing
# row, to the cent, and nothing is billed twice; each invoice's net is the sum
# of its lines; balances' billed_to_date is the net of the invoices; every
# T&M billing row is the sum of its lines, each role's and rate's released
# hours x rate rounded half up once (computed here, in awk, on eighths and
# thousandths); a final or sent invoice never changes.
cat > rec.sow <<'SOW'
import "std"

sow "S-R" for project "P-P" {
  customer "Record"
  currency EUR
  billing  time_and_materials
  rate     "PSE" 180.00 per hour
  rate     "PM"  100.005 per hour
  rate     "TA"  123.456 per hour
}
SOW
issued() {
	sqlite3 "$DB" "SELECT d.number, d.net, d.kind, coalesce(d.credit_of, d.supplement_of), l.line, l.quantity, l.amount
		FROM invoice_drafts d JOIN invoice_lines l ON l.number = d.number WHERE d.status IN ('final', 'sent') ORDER BY 1, 5"
}
record_check() { # label
	# the documents of a project and bill date net to its billing row (none billed twice)
	sqlite3 "$DB" "SELECT b.bill_on || ': billed ' || printf('%.2f', b.amount) || ', invoiced ' || printf('%.2f', coalesce(
			(SELECT sum(d.net) FROM invoice_drafts d WHERE d.project_id = b.project_id AND d.invoice_on = b.bill_on
			 AND d.status <> 'void'), 0))
		FROM billing b WHERE printf('%.2f', b.amount) <> printf('%.2f', coalesce((SELECT sum(d.net) FROM invoice_drafts d
			WHERE d.project_id = b.project_id AND d.invoice_on = b.bill_on AND d.status <> 'void'), 0))
		UNION ALL SELECT d.invoice_on || ': invoiced with no billing row' FROM invoice_drafts d WHERE d.status <> 'void'
			AND NOT EXISTS (SELECT 1 FROM billing b WHERE b.project_id = d.project_id AND b.bill_on = d.invoice_on)
		UNION ALL SELECT d.number || ': net ' || d.net || ', lines ' || printf('%.2f', (SELECT sum(amount) FROM invoice_lines l
			WHERE l.number = d.number)) FROM invoice_drafts d WHERE printf('%.2f', d.net) <> printf('%.2f', (SELECT sum(amount)
			FROM invoice_lines l WHERE l.number = d.number))
		UNION ALL SELECT 'balances ' || w.billed_to_date || ', invoices ' || printf('%.2f', (SELECT sum(net) FROM invoice_drafts
			WHERE status <> 'void')) FROM balances w WHERE w.run_id = (SELECT max(id) FROM runs)
			AND printf('%.2f', w.billed_to_date) <> printf('%.2f', (SELECT sum(net) FROM invoice_drafts WHERE status <> 'void'))
		UNION ALL SELECT 'finding ' || code || ': ' || message FROM findings WHERE run_id = (SELECT max(id) FROM runs)
			AND code IN ('invoices_out_of_balance', 'draft_not_reconciled')" | sed "s/^/$1: /"
	# each billing row: per role and rate, the released hours x rate rounded once
	got=$(sqlite3 -separator ' ' "$DB" "SELECT period, amount FROM billing ORDER BY period")
	want=$(sqlite3 -separator ' ' "$DB" "SELECT r.period, t.role, t.hours FROM revenue r JOIN time_entries t ON t.id = r.source_id
		WHERE r.source = 'time'" | awk '
		BEGIN { rate["PSE"] = 180000; rate["PM"] = 100005; rate["TA"] = 123456 }
		{ q[$1 " " $2] += int(($3 * 8 + 1) / 2) }   # eighths -> quarter hours, half up
		END {
			for (k in q) {
				split(k, a, " ")
				c = int((q[k] * rate[a[2]] + 20) / 40)   # quarter hours x thousandths -> cents, half up
				if (c > 0) { cents[a[1]] += c }
			}
			for (p in cents) printf "%s %d.%02d\n", p, cents[p] / 100, cents[p] % 100
		}' | sort)
	[ "$got" = "$want" ] || echo "$1: billing rows $(echo $got), lines x rates $(echo $want)"
	issued > issued.now
	if [ -f issued.then ]; then
		awk 'NR == FNR { now[$0] = 1; next } !($0 in now) { print "'"$1"': an issued invoice changed: " $0 }' issued.now issued.then
	fi
	mv issued.now issued.then
}
for seed in 11 12 13 14; do
	rm -f "$DB" issued.then
	sow init "$DB"
	gen "$seed" 1 40 9 11 | sqlite3 "$DB"
	next=2000
	s=$seed
	for m in 9 10 11; do
		p=$(printf '2026-%02d' "$m")
		sow run --db "$DB" --period "$p" rec.sow >/dev/null 2>&1 || echo "run $p failed"
		record_check "seed $seed $p"
		# Finance issues some drafts (a supplementary or credit included)
		for n in $(sqlite3 "$DB" "SELECT number FROM invoice_drafts WHERE status = 'draft' ORDER BY number"); do
			s=$(( (s * 7 + 3) % 11 ))
			[ $((s % 3)) -eq 0 ] && continue
			sow invoice --db "$DB" --finalize "$n" >/dev/null && [ $((s % 2)) -eq 0 ] && sow invoice --db "$DB" --sent "$n" >/dev/null
		done
		sow close --db "$DB" --period "$p" >/dev/null
		# late: entries of the month approved in it, and one found not billable
		s=$(( (s * 7 + 3) % 11 ))
		[ $((s % 3)) -ne 0 ] && gen $((seed * 10 + m)) "$next" 3 "$m" "$m" | sqlite3 "$DB"
		next=$((next + 3))
		[ $((s % 2)) -eq 0 ] && sqlite3 "$DB" "UPDATE time_entries SET billable = 0 WHERE id = (SELECT min(t.id) FROM time_entries t
			JOIN revenue r ON r.source = 'time' AND r.source_id = t.id WHERE r.period = '$p')"
		sow reopen --db "$DB" --period "$p" --reason "late approvals" >/dev/null
		sow run --db "$DB" --period "$p" rec.sow >/dev/null 2>&1 || echo "re-run $p failed"
		record_check "seed $seed $p re-run"
		sow run --db "$DB" --period "$p" rec.sow >/dev/null 2>&1 || echo "re-run $p failed"
		record_check "seed $seed $p again"
		sow close --db "$DB" --period "$p" >/dev/null
	done
	echo "seed $seed: $(sqlite3 "$DB" "SELECT group_concat(n || ' ' || k, ', ') FROM (SELECT kind AS k, count(*) AS n
		FROM invoice_drafts WHERE status <> 'void' GROUP BY kind ORDER BY kind)"), $(sqlite3 "$DB" "SELECT count(*) FROM
		invoice_drafts WHERE status IN ('final', 'sent')") issued; checked"
done
rm -f rec.sow issued.then
