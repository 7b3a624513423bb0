#!/bin/sh
# The demo month-end (make demo): a fresh database for a small consulting and
# training business, loaded from the CSV exports in examples/data, its SOWs in
# examples/sows, then September and October run and closed, late approvals
# arrive, and November's month-end runs with its report.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sow=./sow
db=build/demo.db
mkdir -p build
rm -f "$db"
$sow init "$db"
for t in projects milestones trainings holidays people time_entries allocations status_history \
	opportunities health_reports partner_invoices service_logs invoices fx_rates seller; do
	printf '  %-18s ' "$t"
	$sow import "$db" "$t" "examples/data/$t.csv"
done
echo
echo "== September and October: run, then close"
$sow run --db "$db" --period 2026-09 examples/sows >/dev/null
$sow close --db "$db" --period 2026-09
$sow run --db "$db" --period 2026-10 examples/sows >/dev/null
$sow close --db "$db" --period 2026-10
echo
echo "== Their invoice drafts are finalized and sent (one cannot be: its customer has no VAT number)"
drafts() {
	$sow eval --db "$db" --format csv -e "from d in invoice_drafts where $1 select d.number order by d.number" | sed "1d; s/\r$//"
}
for n in $(drafts 'd.status == "draft"'); do
	if $sow invoice --db "$db" --finalize "$n" >/dev/null; then $sow invoice --db "$db" --sent "$n" >/dev/null; fi
done
wayne=$(drafts 'd.project_id == "P-1006"')
echo "== Wayne's order form was invoiced 5000.00 GBP too high: a credit, final but not yet sent"
$sow credit --db "$db" "$wayne" --reason mistake --amount 5000.00
$sow invoice --db "$db" --finalize "$($sow eval --db "$db" --format csv -e "from d in invoice_drafts where d.credit_of == \"$wayne\" select d.number" | sed "1d; s/\r$//")"
echo
echo "== Late approvals for October arrive after its close"
$sow import "$db" time_entries examples/data/time_entries_late.csv
echo
echo "== November month-end"
$sow run --db "$db" --period 2026-11 --report build/demo-pack.html examples/sows
acme=$(drafts 'd.project_id == "P-1001" and d.invoice_on == 2026-11-30')
$sow invoice --db "$db" --html "$acme" > build/demo-invoice.html
globex=$(drafts 'd.project_id == "P-1002" and d.status == "sent"')
$sow invoice --db "$db" --ubl "$globex" --output build/demo-einvoice.xml
cat <<EOT

The month-end pack for Finance (tables and a forecast chart): build/demo-pack.html
ACME's November invoice draft $acme as a printable page: build/demo-invoice.html
Globex's September invoice $globex as a Peppol e-invoice (UBL): build/demo-einvoice.xml

Try next:
  ./sow repl --db $db --as-of 2026-11-30 examples/sows      (then .help, .forecast, why, assume)
  ./sow eval --db $db -e 'passive_acceptance_on(2026-11-27, 5, "US")'
  ./sow eval --db $db -e 'from r in revenue where r.basis == "late" select r.project_id, r.source_id, r.amount, r.recognized_on'
  ./sow eval --db $db --as-of 2026-11-30 examples/sows -e 'why revenue_by_project { project_id: "P-1014", period: 2026-11 }'
  ./sow run --db $db --as-of 2026-12-15 --dry-run examples/sows
  ./sow invoice --db $db --finalize $acme          (then: ./sow credit --db $db $acme --reason cancelled)
  ./sow journal --db $db --period 2026-10 --layout hledger      (the general ledger's entries; also csv, xero, netsuite)
  ./sow serve --db $db examples/sows                            (the same, read-only, in a browser: http://127.0.0.1:8080/)
EOT
