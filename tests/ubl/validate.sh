#!/bin/sh
# tests/ubl/validate.sh SOW: every final invoice and credit of the demo (and
# the invoice of a reopened October) written with sow invoice --ubl, then
# checked against the UBL 2.1 schema (xmllint) and the official Peppol BIS
# Billing 3.0 Schematron, OpenPEPPOL's PEPPOL-EN16931-UBL.sch and
# CEN-EN16931-UBL.sch, compiled by tests/ubl/schematron.xsl and run with
# Saxon-HE (Debian libsaxonhe-java, `make test-deps`). Any fatal assert, or
# any schema error, fails.
#
# The official artifacts are in no Debian or npm package, so they are not
# part of the repository: give their folders as
#   SOW_PEPPOL_SCH  a folder with PEPPOL-EN16931-UBL.sch and CEN-EN16931-UBL.sch
#                   (rules/sch of OpenPEPPOL peppol-bis-invoice-3)
#   SOW_UBL_XSD     the xsd folder of OASIS UBL 2.1 (maindoc/, common/)
# Without them this says so and exits 77 (skipped), never a pass.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
sow=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
sch=${SOW_PEPPOL_SCH:-}
xsd=${SOW_UBL_XSD:-}
if [ -z "$sch" ] || [ ! -f "$sch/PEPPOL-EN16931-UBL.sch" ] || [ ! -f "$sch/CEN-EN16931-UBL.sch" ] ||
	[ -z "$xsd" ] || [ ! -f "$xsd/maindoc/UBL-Invoice-2.1.xsd" ]; then
	echo "skipped: set SOW_PEPPOL_SCH and SOW_UBL_XSD to the official artifacts (see tests/ubl/validate.sh)"
	exit 77
fi
saxon_jar=/usr/share/java/Saxon-HE.jar
[ -f "$saxon_jar" ] || { echo "no $saxon_jar: run make test-deps"; exit 2; }
command -v xmllint >/dev/null || { echo "no xmllint: run make test-deps"; exit 2; }
saxon() { java -cp "$saxon_jar" net.sf.saxon.Transform "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 2
for s in PEPPOL CEN; do
	saxon -s:"$sch/$s-EN16931-UBL.sch" -xsl:"$top/tests/ubl/schematron.xsl" -o:"$s.xsl" || { echo "cannot compile $s"; exit 2; }
done

# the demo's database up to October, every draft with its VAT finalized, the
# credit, then October reopened after late approvals and run again
ex=$top/examples
"$sow" init d.db >/dev/null
for t in projects milestones trainings holidays people time_entries allocations status_history \
	opportunities health_reports partner_invoices service_logs invoices fx_rates seller; do
	"$sow" import d.db "$t" "$ex/data/$t.csv" >/dev/null || exit 2
done
final_all() {
	for n in $(sqlite3 d.db "SELECT number FROM invoice_drafts WHERE status = 'draft' AND vat IS NOT NULL ORDER BY number"); do
		"$sow" invoice --db d.db --finalize "$n" >/dev/null || exit 2
	done
}
for p in 2026-09 2026-10; do
	"$sow" run --db d.db --period $p "$ex/sows" >/dev/null && "$sow" close --db d.db --period $p >/dev/null || exit 2
done
final_all
"$sow" credit --db d.db 2026-0008 --reason mistake --amount 5000.00 >/dev/null || exit 2
final_all
"$sow" import d.db time_entries "$ex/data/time_entries_late.csv" >/dev/null || exit 2
"$sow" reopen --db d.db --period 2026-10 --reason "late approvals" >/dev/null || exit 2
"$sow" run --db d.db --period 2026-10 "$ex/sows" >/dev/null || exit 2
final_all

# every document, then each Schematron over all of them in one run
mkdir docs CEN PEPPOL
numbers=$(sqlite3 d.db "SELECT number FROM invoice_drafts WHERE status IN ('final', 'sent') ORDER BY number")
for n in $numbers; do
	"$sow" invoice --db d.db --ubl "$n" --output "docs/$n.xml" || exit 1
done
# a control: the first document with its amount due off by a cent must fail
# BR-CO-16, or the checker checks nothing
first=$(echo "$numbers" | head -1)
sed 's|\(<cbc:PayableAmount currencyID="[A-Z]*">[0-9]*\.[0-9]\)\([0-8]\)|\1X\2|; s|X0|1|; s|X1|2|; s|X2|3|; s|X3|4|; s|X4|5|; s|X5|6|; s|X6|7|; s|X7|8|; s|X8|9|' \
	"docs/$first.xml" > docs/control.xml
cmp -s "docs/$first.xml" docs/control.xml && { echo "control: could not alter $first"; exit 1; }
for s in CEN PEPPOL; do
	saxon -s:docs -xsl:"$s.xsl" -o:"$s" 2>"$s.log" || { cat "$s.log"; echo "$s did not run"; exit 1; }
done
if grep -q '^fatal	BR-CO-16	' CEN/control.xml; then echo "ok   control: a cent off the amount due fails BR-CO-16"; else
	echo "FAIL control: the altered $first passed the CEN Schematron"; exit 1; fi
pass=0
fail=0
for n in $numbers; do
	doc=$(sqlite3 d.db "SELECT CASE WHEN credit_of IS NULL THEN 'Invoice' ELSE 'CreditNote' END FROM invoice_drafts WHERE number = '$n'")
	case=$(sqlite3 d.db "SELECT d.currency || ' ' || p.country FROM invoice_drafts d JOIN projects p ON p.id = d.project_id WHERE number = '$n'")
	ok=1
	if ! xmllint --noout --schema "$xsd/maindoc/UBL-$doc-2.1.xsd" "docs/$n.xml" 2>"$n.xsd.txt"; then
		ok=0
		sed 's/^/  | /' "$n.xsd.txt"
	fi
	fatal=0
	warn=0
	for s in CEN PEPPOL; do
		[ -f "$s/$n.xml" ] || { ok=0; echo "  | $s: no report"; continue; }
		fatal=$((fatal + $(grep -c '^fatal' "$s/$n.xml")))
		warn=$((warn + $(grep -c -v -e '^fatal' -e '^$' "$s/$n.xml")))
		grep -v '^$' "$s/$n.xml" | sed "s/^/  | $s: /"
	done
	[ $fatal -gt 0 ] && ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $n $doc $case: UBL 2.1 schema valid, CEN and Peppol Schematron: 0 fatal, $warn warnings"
	else
		fail=$((fail + 1))
		echo "FAIL $n $doc $case: $fatal fatal"
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
