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
