# Amounts as Finance reads them (SPEC 9.1): money equal to its rounding to
# the currency's minor unit shows exactly those places (125.0000 USD as
# 125.00, JPY none), sub-cent digits only where the value has them; hours
# two places unless more are significant. The same in every output: eval
# (table, csv, json), the run's CSVs, the pack, the workbook and the invoice page.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
echo "-- values"
for e in '125.0000 USD' '1680.000 EUR' '4.1250 USD' '0.005 USD' '1500.0 JPY' '1.5000 KWD' '-5000 USD' \
	'8 hours' '2.5000 hours' '0.125 hours' '12000.00 USD * 21%'; do
	printf '%s -> ' "$e"; sow eval -e "$e"
done
sow run --db "$DB" --period 2026-11 --output out --report pack.html common.sow >/dev/null; echo "run: exit $?"
echo "-- eval: table, csv, json"
q='from r in revenue where r.project_id == "P-TM" select r.source_id, r.amount order by r.source_id'
sow eval --db "$DB" -e "$q"
sow eval --db "$DB" --format csv -e "$q"
sow eval --db "$DB" --format json -e "$q"
echo "-- stored exact, shown as read"
sqlite3 "$DB" "SELECT source_id, amount FROM revenue WHERE project_id = 'P-TM' ORDER BY source_id"
echo "-- run --output: revenue.csv, balances.csv"
cut -d, -f2,4,5,6 out/revenue.csv
cut -d, -f3-8 out/balances.csv
echo "-- the pack"
grep -o '<td class=n>[0-9,.-]*</td>' pack.html | sort -u | head -20
echo "-- the invoice page"
n=$(sqlite3 "$DB" "SELECT number FROM invoice_drafts WHERE project_id = 'P-TM' ORDER BY number LIMIT 1")
sow invoice --db "$DB" --html "$n" | grep -o '<td class="n">[^<]*</td>' | sort -u
