# Invoiced money is the record (SPEC 9.1): a re-run after reopen bills only
# what is not yet on a final or sent invoice of that project and bill date
# (a supplementary for more, a credit for less, each naming the invoice it
# corrects), never touches the issued documents, and every run ties the
# balances out to the invoices. T&M is billed as its invoice lines add up.
cat > rr.sow <<'SOW'
import "std"

sow "S-TM" for project "P-TM" {
  customer "ACME Corp"
  currency USD
  billing  time_and_materials
  rate     "PSE" 250.00 per hour
  rate     "PM"  200.00 per hour
}

sow "S-MS" for project "P-MS" {
  customer  "Globex"
  currency  EUR
  billing   milestone
  milestone "P-MS-M1" "Discovery" 12000.00
  milestone "P-MS-M2" "Migration" 3000.00
}

sow "S-C" for project "P-C" {
  customer "Cents Inc"
  currency USD
  billing  time_and_materials
  rate     "PSE" 100.005 per hour
  rate     "PM"  100.005 per hour
}
SOW
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, customer, country, vat_number, status) VALUES
		('P-TM', 'ACME Corp', 'US', NULL, 'Active'), ('P-MS', 'Globex', 'DE', 'DE1', 'Active'), ('P-C', 'Cents Inc', 'US', NULL, 'Active');
	INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9000'), ('2026-11-20', 'USD', 'EUR', '0.9000');
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable) VALUES
		(1, 'P-TM', 'ann', 'PSE', '2026-11-02', '8', '2026-11-03', 1),
		(2, 'P-TM', 'ann', 'PSE', '2026-11-03', '7.5', '2026-11-04', 1),
		(3, 'P-TM', 'bob', 'PM', '2026-11-03', '1.75', '2026-11-04', 1),
		(4, 'P-C', 'cy', 'PSE', '2026-11-04', '1', '2026-11-05', 1),
		(5, 'P-C', 'cy', 'PM', '2026-11-04', '1', '2026-11-05', 1);
	INSERT INTO milestones (id, project_id, name, sign_off_received_on) VALUES
		('P-MS-M1', 'P-MS', 'Discovery', '2026-11-20'), ('P-MS-M2', 'P-MS', 'Migration', '2026-11-25')"
docs() {
	sqlite3 "$DB" "SELECT number, kind, project_id, invoice_on, net, status, coalesce(credit_of, ''), coalesce(supplement_of, '')
		FROM invoice_drafts ORDER BY number"
}
lines() {
	sqlite3 "$DB" "SELECT number, line, description, quantity, unit_price, amount FROM invoice_lines
		WHERE number IN (SELECT number FROM invoice_drafts WHERE project_id = '$1') ORDER BY number, line"
}
# per project: its billing rows to date, its non-void invoices' net, and balances' billed_to_date
tie() {
	sqlite3 "$DB" "SELECT p.id,
		(SELECT printf('%.2f', sum(amount)) FROM billing b WHERE b.project_id = p.id),
		(SELECT printf('%.2f', sum(net)) FROM invoice_drafts d WHERE d.project_id = p.id AND d.status <> 'void'),
		(SELECT billed_to_date FROM balances w WHERE w.project_id = p.id AND w.run_id = (SELECT max(id) FROM runs))
		FROM projects p ORDER BY p.id"
}
run() {
	sow run --db "$DB" --period 2026-11 rr.sow >out.txt 2>err.txt; echo "exit $?"
	grep -e 'error' err.txt
	sed -n -e '/^  invoices /p' -e '/^Invoice drafts (/,/^$/p' out.txt
	grep -e invoices_out_of_balance -e draft_not_reconciled out.txt
}
issued() { sqlite3 "$DB" "SELECT * FROM invoice_drafts WHERE status IN ('final', 'sent') ORDER BY number;
	SELECT * FROM invoice_lines WHERE number IN (SELECT number FROM invoice_drafts WHERE status IN ('final', 'sent')) ORDER BY number, line"; }

echo "-- November: one invoice each; T&M at 100.005 an hour billed as its lines add up (200.02, not 200.01)"
run
lines P-C
sqlite3 "$DB" "SELECT project_id, amount FROM billing WHERE project_id = 'P-C'"
echo "-- all four final and sent, November closed"
for n in $(sqlite3 "$DB" "SELECT number FROM invoice_drafts ORDER BY number"); do sow invoice --db "$DB" --finalize $n >/dev/null && sow invoice --db "$DB" --sent $n; done
sow close --db "$DB" --period 2026-11
issued > issued.before
echo "-- a 4-hour November entry approved late; reopen, re-run: a supplementary for the 4 hours only"
sqlite3 "$DB" "INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	VALUES (6, 'P-TM', 'ann', 'PSE', '2026-11-24', '4', '2026-11-27', 1)"
sow reopen --db "$DB" --period 2026-11 --reason "late approval of entry 6"
run
docs
lines P-TM
tie
issued | cmp -s - issued.before && echo "the sent invoices are untouched"
echo "-- its printable page says what it is and which invoice it adds to"
sow invoice --db "$DB" --html 2026-0005 | grep -o -e '<h1>[^<]*' -e 'Supplements invoice</td><td>[^<]*'
echo "-- the same re-run again: the supplementary keeps its number, nothing drawn"
run | head -2
echo "-- the supplementary is final; then entry 2 turns out not billable: a credit for the excess"
sow invoice --db "$DB" --finalize 2026-0005
issued > issued.before
sqlite3 "$DB" "UPDATE time_entries SET billable = 0 WHERE id = 2"
run
docs
lines P-TM
tie
issued | cmp -s - issued.before && echo "the final and sent invoices are untouched"
echo "-- milestone M2's sign-off is withdrawn: its line is credited in full; M1 stays"
sqlite3 "$DB" "UPDATE milestones SET sign_off_received_on = NULL WHERE id = 'P-MS-M2'"
run
lines P-MS
tie
echo "-- a credit Finance makes (sow credit) is not billed again by a re-run, and balances count it"
sow credit --db "$DB" 2026-0003 --reason mistake --amount 50.00 >/dev/null
sow invoice --db "$DB" --finalize "$(sqlite3 "$DB" "SELECT number FROM invoice_drafts WHERE run_id IS NULL")"
run | head -2
docs | grep P-C
tie
echo "-- a stray invoice written past sow: the run's tie-out names both figures"
sqlite3 "$DB" "INSERT INTO invoice_drafts (number, project_id, invoice_on, currency, net, status, kind)
	VALUES ('X-1', 'P-TM', '2026-11-15', 'USD', '100.00', 'final', 'invoice')"
run | tail -1
rm -f rr.sow out.txt err.txt issued.before
