# Invoice drafts (SPEC 8.5): numbers gap-free per year and kept across
# re-runs, void when replaced; finalize, sent, credits (both reasons,
# partial, never more than is left); the printable page; bad input refused
# with a located error and the database exactly as before.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9000'), ('2026-12-31', 'USD', 'EUR', '0.9100');
	INSERT INTO seller (name, address, vat_number) VALUES ('Seller BV', 'Keizersgracht 1, Amsterdam', 'NL000B01');
	UPDATE projects SET po_reference = 'PO <77>' WHERE id = 'P-MS'"
drafts() {
	sqlite3 "$DB" "SELECT number, project_id, invoice_on, due_on, net, vat_rate, vat, gross, currency, coalesce(fx_rate, '-'),
		coalesce(books_gross, '-'), status, coalesce(credit_of, '') FROM invoice_drafts ORDER BY number"
}
lines() {
	sqlite3 "$DB" "SELECT number, line, description, quantity, unit, unit_price, amount, source_id FROM invoice_lines ORDER BY number, line"
}
# the command, its exit status, and whether it left the database as it was
refused() {
	sqlite3 "$DB" .dump > before.sql
	sow "$@"
	echo "exit $?"
	sqlite3 "$DB" .dump | cmp -s - before.sql && echo "database unchanged"
}
run() { sow run --db "$DB" --period "$1" common.sow | sed -n -e '/^  invoices /p' -e '/^Invoice drafts/,/^$/p'; }

echo "-- November: a milestone draft (Dutch VAT) and a T&M draft (USD, converted)"
run 2026-11
lines
echo "-- November again, nothing changed: the same numbers, none drawn"
run 2026-11 | head -1
drafts
echo "-- a late approval changes the T&M draft: a new number, the old draft void"
sqlite3 "$DB" "INSERT INTO time_entries VALUES (10, 'P-TM', 'bob', 'PM', '2026-11-20', '1.125', '2026-11-25', 1)"
run 2026-11 | head -1
drafts
echo "-- finalize 2026-0001; a re-run leaves a final invoice alone"
sow invoice --db "$DB" --finalize 2026-0001
run 2026-11 | head -1
drafts
echo "-- finalize twice, a void draft, an unknown number, sent before final"
refused invoice --db "$DB" --finalize 2026-0001
refused invoice --db "$DB" --finalize 2026-0002
refused invoice --db "$DB" --finalize 2026-0099
refused invoice --db "$DB" --sent 2026-0003
refused invoice --db "$DB" --html 2026-0099
echo "-- credits: of a draft, a bad reason, a bad amount, more than is left"
refused credit --db "$DB" 2026-0003 --reason cancelled
refused credit --db "$DB" 2026-0001 --reason oops
refused credit --db "$DB" 2026-0001 --reason cancelled --amount 12.345
refused credit --db "$DB" 2026-0001 --reason cancelled --amount -5
refused credit --db "$DB" 2026-0001 --reason cancelled --amount 12000.01
echo "-- part of it, cancelled: dated today; the VAT at 21%, rounded once"
sow credit --db "$DB" 2026-0001 --reason cancelled --amount 1000.05 --as-of 2026-12-03; echo "exit $?"
echo "-- the rest, a mistake: dated as the invoice; together exactly the invoice, negated"
sow credit --db "$DB" 2026-0001 --reason mistake; echo "exit $?"
refused credit --db "$DB" 2026-0001 --reason mistake
refused credit --db "$DB" 2026-0004 --reason mistake
sqlite3 "$DB" "SELECT number, invoice_on, net, vat, gross, books_gross, status, credit_of, rule FROM invoice_drafts WHERE credit_of IS NOT NULL"
sqlite3 "$DB" "SELECT number, line, description, quantity, unit_price, amount FROM invoice_lines WHERE number IN ('2026-0004', '2026-0005')"
echo "-- a final credit not yet sent is a finding; sent, it is not"
sow invoice --db "$DB" --finalize 2026-0004
sow run --db "$DB" --period 2026-11 common.sow | grep -e credit_not_sent
sow invoice --db "$DB" --sent 2026-0004
sow run --db "$DB" --period 2026-11 common.sow | grep -c credit_not_sent
echo "-- December: an EU customer without a VAT number cannot be finalized"
sqlite3 "$DB" "UPDATE projects SET country = 'FR' WHERE id = 'P-MS'"
run 2026-12
sow run --db "$DB" --period 2026-12 common.sow | grep -e vat_number_missing -e fx_rate_missing | cut -c1-75
refused invoice --db "$DB" --finalize 2026-0006
echo "-- the whole of a final invoice, cancelled in January: its lines negated, numbered in 2027"
sow invoice --db "$DB" --finalize 2026-0007
sow credit --db "$DB" 2026-0007 --reason cancelled --as-of 2027-01-04
sqlite3 "$DB" "SELECT number, invoice_on, due_on, net, vat, gross, books_gross, credit_of FROM invoice_drafts WHERE credit_of = '2026-0007'"
sqlite3 "$DB" "SELECT number, line, description, quantity, unit, unit_price, amount, source_id FROM invoice_lines WHERE number IN ('2026-0007', '2027-0001') ORDER BY number, line"
echo "-- January 2027: no USD rate on the day"
sqlite3 "$DB" "INSERT INTO time_entries VALUES (11, 'P-TM', 'ann', 'PSE', '2027-01-04', '2', '2027-01-05', 1)"
run 2027-01
refused invoice --db "$DB" --finalize 2027-0002
sqlite3 "$DB" "SELECT * FROM sequences ORDER BY name, year"
echo "-- numbers: every year gap-free from 1, none used twice"
sqlite3 "$DB" "SELECT substr(number, 1, 4) AS y, count(*), count(DISTINCT number), max(CAST(substr(number, 6) AS INTEGER))
	FROM invoice_drafts GROUP BY y"
echo "-- two drafts with one provisional number: the run stops, nothing written"
cat > twice.sow <<'SOW'
import "std"
rule same_key_twice
  for s in sows
  emit invoice_drafts { number: "K", project_id: s.project_id, customer: unset, invoice_on: 2027-01-31, due_on: unset,
    currency: "EUR", net: 1.00 EUR, vat_rate: unset, vat: unset, gross: unset, vat_text: unset, po_reference: unset,
    books_currency: "EUR", fx_rate: unset, books_gross: unset, status: "draft", credit_of: unset,
    kind: "invoice", supplement_of: unset }
SOW
cp common.sow twice_common.sow
refused run --db "$DB" --period 2027-01 twice_common.sow twice.sow
echo "-- the printable page of a final invoice, and of a credit"
sow invoice --db "$DB" --html 2026-0001 | sed -n '/<body>/,$p'
sow invoice --db "$DB" --html 2026-0005 | grep -e '<h1>' -e Credits -e Total
rm -f before.sql twice.sow twice_common.sow
