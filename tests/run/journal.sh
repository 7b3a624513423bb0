# SPEC 9.2: sow journal. The demo's three months (Sep and Oct closed and
# invoiced, a credit, Nov run), then a November credit and a reopened
# November. Oracle: hledger (Debian's) checks each hledger journal and its
# per-account books balances equal the CSV layout's; every CSV entry
# balances in its currency and in the books; the journals tie to the run's
# revenue totals and to the final invoices (net, VAT, receivables) to the cent;
# the IFRS 15 views roll forward and appear in the pack and the workbook.
ex="$top/examples"
sow init "$DB" >/dev/null
for t in projects milestones trainings holidays people time_entries allocations status_history \
	opportunities health_reports partner_invoices service_logs invoices fx_rates seller; do
	sow import "$DB" "$t" "$ex/data/$t.csv" >/dev/null || echo "import $t failed"
done
drafts() { sow eval --db "$DB" --format csv -e "from d in invoice_drafts where $1 select d.number order by d.number" | sed "1d; s/\r$//"; }
for p in 2026-09 2026-10; do
	sow run --db "$DB" --period $p "$ex/sows" >/dev/null
	sow close --db "$DB" --period $p >/dev/null
done
for n in $(drafts 'd.status == "draft"'); do
	sow invoice --db "$DB" --finalize "$n" >/dev/null 2>&1 && sow invoice --db "$DB" --sent "$n" >/dev/null
done
sow credit --db "$DB" "$(drafts 'd.project_id == "P-1006"')" --reason mistake --amount 5000.00 >/dev/null
sow invoice --db "$DB" --finalize 2026-0013 >/dev/null
sow import "$DB" time_entries "$ex/data/time_entries_late.csv" >/dev/null
sow run --db "$DB" --period 2026-11 "$ex/sows" >/dev/null

# The CSV layout read by sqlite3 (RFC 4180 quoting); sums in whole cents.
load_csv() { rm -f j.db; sqlite3 j.db ".import --csv $1 j"; }
q() { sqlite3 -separator ' ' j.db "$1"; }
c() { echo "CAST(round(coalesce(nullif($1, ''), 0) * 100) AS INTEGER)"; }
# per account: the books balance in cents, from hledger (at cost) and from the CSV
hl_books() {
	hledger -f "$1" bal -B -O csv --no-total > hl.csv 2>&1
	rm -f hl.db
	sqlite3 hl.db ".import --csv hl.csv h"
	sqlite3 -separator ' ' hl.db "SELECT substr(account, instr(account, ':') + 1, 4), $(c "replace(balance, ' EUR', '')") FROM h" | sort
}
csv_books() { q "SELECT account, sum($(c books_debit) - $(c books_credit)) s FROM j GROUP BY account HAVING s != 0 ORDER BY account" | sort; }
balanced() {
	q "SELECT 'entry ' || entry || ' unbalanced' FROM j GROUP BY entry
	   HAVING sum($(c debit) - $(c credit)) != 0 OR sum($(c books_debit) - $(c books_credit)) != 0"
	q "SELECT count(DISTINCT entry) || ' entries, each balanced in its currency and in the books' FROM j"
}
sum_lines() {  # WHERE [debit]: (credit - debit, or debit - credit) per currency, then in the books, in cents
	if [ "${2:-}" = debit ]; then x="$(c debit) - $(c credit)"; y="$(c books_debit) - $(c books_credit)"
	else x="$(c credit) - $(c debit)"; y="$(c books_credit) - $(c books_debit)"; fi
	q "SELECT currency, sum($x) s FROM j WHERE $1 GROUP BY currency HAVING s != 0 ORDER BY 1"
	q "SELECT 'books', coalesce(sum($y), 0) FROM j WHERE $1"
}
db_cents() { sqlite3 -separator ' ' "$DB" "$1"; }
month() {
	p=$1
	sow journal --db "$DB" --period "$p" --output "j-$p.csv" || echo "journal $p failed"
	sow journal --db "$DB" --period "$p" --layout hledger --output "j-$p.journal"
	load_csv "j-$p.csv"
	echo "-- $p: $(q 'SELECT count(*) FROM j') lines, hledger check:"
	hledger -f - check < "j-$p.journal" && echo "  accepted"
	hl_books "j-$p.journal" > hl.txt
	csv_books > csv.txt
	if cmp -s hl.txt csv.txt && [ -s hl.txt ]; then echo "  hledger balances = CSV balances ($(wc -l < hl.txt) accounts)"; else echo "  MISMATCH"; diff hl.txt csv.txt; fi
	balanced | sed 's/^/  /'
	run=$(sqlite3 "$DB" "SELECT max(id) FROM runs WHERE period = '$p'")
	echo "  revenue (revenue and rounding lines of revenue entries) against revenue_totals of run $run, in cents:"
	sum_lines "entry_memo LIKE 'revenue of %' AND (account LIKE '80_0' OR account = '8990')" | sed 's/^/    journal  /'
	db_cents "SELECT currency, sum($(c amount)) FROM revenue_totals WHERE run_id = $run GROUP BY currency ORDER BY 1" | sed 's/^/    summary  /'
	db_cents "SELECT 'books', sum($(c reporting_amount)) FROM revenue_totals WHERE run_id = $run" | sed 's/^/    summary  /'
	w="status IN ('final', 'sent') AND invoice_on LIKE '$p-%'"
	echo "  receivables, VAT and net against the final invoices dated in $p, in cents:"
	sum_lines "account LIKE '13_0' AND account != '1350'" debit | sed 's/^/    journal AR  /'
	db_cents "SELECT currency, sum($(c gross)) FROM invoice_drafts WHERE $w GROUP BY currency ORDER BY 1" | sed 's/^/    invoices gross  /'
	db_cents "SELECT 'books', coalesce(sum($(c books_gross)), 0) FROM invoice_drafts WHERE $w" | sed 's/^/    invoices gross  /'
	sum_lines "account LIKE '15_0'" | sed 's/^/    journal VAT  /'
	db_cents "SELECT currency, sum($(c vat)) s FROM invoice_drafts WHERE $w GROUP BY currency HAVING s != 0 ORDER BY 1" | sed 's/^/    invoices VAT  /'
	sum_lines "entry_memo NOT LIKE 'revenue of %' AND account IN ('1350', '1650')" | sed 's/^/    journal contract balances (credit - debit)  /'
	db_cents "SELECT currency, sum($(c net)) FROM invoice_drafts WHERE $w GROUP BY currency ORDER BY 1" | sed 's/^/    invoices net  /'
}
for p in 2026-09 2026-10 2026-11; do month $p; done
echo "-- the lines name their ids: a credit, a foreign revenue line"
grep '2026-0013' j-2026-10.csv | head -2
grep ',P-1001,time,9,' j-2026-11.csv
echo "-- drafts are not journaled: November's are all drafts"
grep -c 'invoice 2026-001[4-9]' j-2026-11.csv
echo "-- November: ACME's invoice finalized, then a credit of 350.00 (cancelled)"
sow invoice --db "$DB" --finalize 2026-0015 >/dev/null
sow credit --db "$DB" 2026-0015 --reason cancelled --amount 350.00 --as-of 2026-11-30 >/dev/null
sow invoice --db "$DB" --finalize 2026-0020 >/dev/null
month 2026-11
load_csv j-2026-11.csv
q "SELECT date, account, debit, credit, currency, books_debit, books_credit, invoice FROM j WHERE invoice IN ('2026-0015', '2026-0020')"
echo "-- November closed, reopened and run again: the journal follows the latest run"
sow close --db "$DB" --period 2026-11 >/dev/null
sow reopen --db "$DB" --period 2026-11 --reason "late approvals" >/dev/null
sow run --db "$DB" --period 2026-11 "$ex/sows" >/dev/null
month 2026-11
load_csv j-2026-11.csv
q "SELECT 'runs named: ' || group_concat(DISTINCT run) FROM j"
echo "-- the other layouts"
sow journal --db "$DB" --period 2026-10 --layout xero | head -4
sow journal --db "$DB" --period 2026-10 --layout netsuite | head -4
echo "-- bad input: exit 1, a message naming it, nothing written, the database as it was"
cp "$DB" before.db
echo keep > out.csv
sow journal --db "$DB" --period 2026-12 --output out.csv; echo "exit $?"
sow journal --db "$DB" --period 2026-11 --layout quickbooks --output out.csv; echo "exit $?"
printf 'accounts "x" {\n  revenue "8000"\n  reveneu "8010" when source "time"\n}\n' > bad.accounts
sow journal --db "$DB" --period 2026-11 --accounts bad.accounts --output out.csv; echo "exit $?"
cat out.csv
ls out.csv.* 2>/dev/null
cmp -s "$DB" before.db && echo "database unchanged"
echo "-- IFRS 15: the contract balances roll forward (opening + revenue - billings = closing, per currency, in cents)"
db_cents "SELECT run_id, currency, sum(CASE line WHEN 1 THEN 1 WHEN 2 THEN -1 WHEN 3 THEN 1 WHEN 5 THEN -1 WHEN 6 THEN -1 WHEN 7 THEN 1 ELSE 0 END * $(c amount))
	FROM contract_balance_rollforward GROUP BY run_id, currency ORDER BY 1, 2" | sed 's/^/  run, difference: /'
echo "  (runs 2 and 4, GBP: P-1006's credit undoing a mistake, dated in October after October ran; README, IFRS 15)"
echo "  October (Initech billed 40000.00 in advance in September, 15000.00 of it earned in October):"
db_cents "SELECT line, item, currency, sum($(c amount)) FROM contract_balance_rollforward WHERE run_id = 2 AND currency = 'EUR' GROUP BY line, currency ORDER BY line" | sed 's/^/  /'
run=$(sqlite3 "$DB" "SELECT max(id) FROM runs")
echo "-- remaining performance obligations: no time and materials, nothing released"
db_cents "SELECT fiscal_quarter, currency, group_concat(DISTINCT basis), sum($(c amount)) FROM remaining_performance_obligations WHERE run_id = $run GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/  /'
echo "-- both in the pack and the workbook"
sow run --db "$DB" --period 2026-11 --report pack.html "$ex/sows" >/dev/null
sow run --db "$DB" --period 2026-11 --report pack.xlsx "$ex/sows" >/dev/null
grep -o -e '<h2 id="contract-balances">' -e '<h2 id="remaining-obligations">' pack.html
unzip -p pack.xlsx xl/worksheets/sheet1.xml | grep -o -e 'Contract balances, roll-forward' -e 'of which out of the opening contract liabilities' -e 'Remaining performance obligations' | sort -u
