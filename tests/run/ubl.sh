# sow invoice --ubl (SPEC 9.2): the demo's invoices and credit as Peppol BIS
# Billing 3.0 UBL. Every VAT case (NL: S 21%; EU reverse charge: AE; outside
# the EU: O), both currencies (EUR, USD; GBP too), a CreditNote with its
# BillingReference, an invoice of a reopened period; drafts and void ones
# refused; an unknown number or a missing party field is exit 1 naming it;
# --output is atomic; the database is never written. The official Schematron
# check of the same documents is tests/ubl/validate.sh (make validate-ubl).
ex="$top/examples"
sow init d.db >/dev/null
for t in projects milestones trainings holidays people time_entries allocations status_history \
	opportunities health_reports partner_invoices service_logs invoices fx_rates seller; do
	sow import d.db "$t" "$ex/data/$t.csv" >/dev/null || echo "import $t failed"
done
for p in 2026-09 2026-10; do
	sow run --db d.db --period $p "$ex/sows" >/dev/null
	sow close --db d.db --period $p >/dev/null
done
numbers() { sqlite3 d.db "SELECT number FROM invoice_drafts WHERE $1 ORDER BY number"; }
for n in $(numbers "status = 'draft' AND vat IS NOT NULL"); do sow invoice --db d.db --finalize "$n" >/dev/null; done
sow credit --db d.db 2026-0008 --reason mistake --amount 5000.00 >/dev/null
sow invoice --db d.db --finalize 2026-0013 >/dev/null
cp d.db before.db

echo "-- NL customer, EUR: category S at 21%, the whole document"
sow invoice --db d.db --ubl 2026-0004; echo "exit $?"
# the lines that differ by case
facts() {
	grep -E '<cbc:(InvoiceTypeCode|CreditNoteTypeCode|DocumentCurrencyCode|ID|Percent|TaxExemptionReason|TaxExemptionReasonCode|CompanyID|EndpointID|LineExtensionAmount|TaxExclusiveAmount|TaxInclusiveAmount|PayableAmount|TaxAmount|TaxableAmount|InvoicedQuantity|CreditedQuantity|PriceAmount|PaymentMeansCode)[ >]' | sed 's/^ *//'
}
echo "-- DE customer with a VAT number, EUR: reverse charge AE, both VAT numbers"
sow invoice --db d.db --ubl 2026-0001 | facts
echo "-- US customer, USD, hours: O, no VAT numbers, plain credit transfer"
sow invoice --db d.db --ubl 2026-0007 | facts
echo "-- the credit of 5000.00 GBP: a CreditNote, positive amounts, BillingReference"
sow invoice --db d.db --ubl 2026-0013 > credit.xml; echo "exit $?"
grep -E 'CreditNote |BillingReference|InvoiceDocumentReference' credit.xml
facts < credit.xml

echo "-- an invoice of a reopened period: late approvals, October reopened and run again"
sow import d.db time_entries "$ex/data/time_entries_late.csv" >/dev/null
sow invoice --db d.db --ubl 2026-0011 > before-reopen.xml
sow reopen --db d.db --period 2026-10 --reason "late approvals" >/dev/null; echo "reopen: exit $?"
sow run --db d.db --period 2026-10 "$ex/sows" >/dev/null; echo "run: exit $?"
sow invoice --db d.db --ubl 2026-0011 | cmp -s - before-reopen.xml && echo "final 2026-0011 reads the same after the re-run"
for n in $(numbers "status = 'draft' AND invoice_on <= '2026-10-31' AND vat IS NOT NULL"); do
	sow invoice --db d.db --finalize "$n"
	sow invoice --db d.db --ubl "$n" | facts
done
cp d.db before.db

echo "-- refused: a draft, an unknown number (exit 1, named); the database as it was"
sow invoice --db d.db --ubl 2026-0002; echo "exit $?"
sow invoice --db d.db --ubl 2026-9999; echo "exit $?"
sow invoice --db d.db --ubl 2026-9999 --output x.xml; echo "exit $?"
[ -e x.xml ] || echo "no file written"
echo "-- --output: atomic, the same bytes as stdout, nothing left beside it"
sow invoice --db d.db --ubl 2026-0001 --output out.xml; echo "exit $?"
sow invoice --db d.db --ubl 2026-0001 | cmp - out.xml && echo "same as stdout"
sow invoice --db d.db --ubl 2026-0001 --output no/such/dir/out.xml 2>&1 | sed 's/: [^:]*$/: (reason)/'
ls -a | grep -c '^\.out\.xml\.' || true
sow invoice --db d.db --html 2026-0001 --output out.html; echo "exit $?"
echo "-- a missing party field is named, nothing written"
cp d.db m.db
sqlite3 m.db "UPDATE seller SET street = NULL, endpoint_id = ''; UPDATE projects SET customer_city = NULL WHERE id = 'P-1003'"
sow invoice --db m.db --ubl 2026-0004 --output m.xml; echo "exit $?"
sqlite3 m.db "UPDATE seller SET street = 'Herengracht 100', endpoint_id = '60000000'"
sow invoice --db m.db --ubl 2026-0001; echo "exit $?"
[ -e m.xml ] || echo "no file written"
echo "-- text is escaped"
sqlite3 m.db "UPDATE invoice_drafts SET customer = 'Initech <GmbH> & \"Co\"' WHERE number = '2026-0004'"
sow invoice --db m.db --ubl 2026-0004 | grep -m1 'RegistrationName>Initech'
echo "-- the buyer fields load through an import mapping too (a CRM export)"
cat > crm.map <<'EOF2'
mapping "crm-customers" for projects {
  id                       from "Project"
  customer_street          from "Street"
  customer_postcode        from "Zip"
  customer_city            from "City"
  customer_endpoint_scheme from "Peppol scheme"
  customer_endpoint_id     from "Peppol ID"
}
EOF2
printf 'Project,Street,Zip,City,Peppol scheme,Peppol ID\nP-1003,Unter den Linden 5,10117,Berlin,9930,DE811907980\n' > crm.csv
sow import --upsert m.db projects crm.csv --map crm.map
sow invoice --db m.db --ubl 2026-0001 | sed -n '/<cac:AccountingCustomerParty>/,$p' | grep -m2 -E 'StreetName|CityName'
echo "-- the EU of the VAT category is the rules' eu_countries (rules/std/invoices.sow)"
sqlite3 m.db "UPDATE projects SET customer_city = 'Berlin' WHERE id = 'P-1003'"
eu=$(sow eval --db m.db "$top/rules/std" -e 'eu_countries' | tr -d '[],')
for c in $eu CH GB NO IS US; do
	sqlite3 m.db "UPDATE projects SET country = '$c' WHERE id = 'P-1003'"
	cat=$(sow invoice --db m.db --ubl 2026-0001 | sed -n -e 's,.*<cbc:ID>\(AE\|O\)</cbc:ID>,\1,p' | head -1)
	case " $eu " in *" $c "*) want=AE ;; *) want=O ;; esac
	[ "$cat" = "$want" ] || echo "$c: category $cat, the rules say $want"
done
echo "$(echo $eu | wc -w) EU countries checked"
cmp -s d.db before.db && echo "database unchanged"
rm -f d.db m.db before.db credit.xml before-reopen.xml out.xml crm.map crm.csv
