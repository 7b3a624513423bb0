# Property: balances on random data (24 projects, all six billing terms,
# amended rate cards and added milestones) equal an independent computation
# made once by tests/run/balances_gen.py (Python decimal, from SPEC 6.3, 6.4,
# 8.6 and 8.7) and committed as balances.expected. Amounts are compared as
# exact decimals written without trailing zeros.
cp "$top/tests/run/balances.sow" "$top/tests/run/balances.sql" "$top/tests/run/balances.expected" .
sow init "$DB"
sqlite3 "$DB" < balances.sql
for p in 2026-09 2026-10 2026-11; do
	sow run --db "$DB" --period "$p" balances.sow >/dev/null || echo "run $p failed"
	[ "$p" = 2026-11 ] || sow close --db "$DB" --period "$p" >/dev/null
done
sqlite3 -separator ' ' "$DB" "SELECT period, project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred
	FROM balances ORDER BY period, project_id" | awk '
	function norm(s) { if (index(s, ".")) { sub(/0+$/, "", s); sub(/\.$/, "", s) } return s == "-0" ? "0" : s }
	{ printf "%s %s %s %s %s %s %s\n", $1, $2, $3, norm($4), norm($5), norm($6), norm($7) }' >got
if cmp -s balances.expected got; then
	echo "balances: $(wc -l <got | tr -d ' ') rows equal the independent computation"
else
	diff balances.expected got | head -20
fi
