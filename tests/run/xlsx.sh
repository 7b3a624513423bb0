# --report FILE.xlsx: a workbook with a Summary sheet and one sheet per
# output table, amounts as numbers in their currency's format. Read back
# with unzip: the sheet names, the styles and the cells of the XML.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9123'), ('2026-11-27', 'USD', 'EUR', '0.91')"
sow run --db "$DB" --period 2026-11 --report pack.xlsx common.sow >/dev/null; echo "exit $?"
unzip -p pack.xlsx xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name=//'
# money formats: whole units and two places (number formats 164, 165 ...)
unzip -p pack.xlsx xl/styles.xml | grep -o '<numFmt [^>]*>'
# the sheet of a table, by its place in the workbook
sheet() { echo "xl/worksheets/sheet$(unzip -p "$1" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | grep -n "\"$2\"" | cut -d: -f1).xml"; }
# revenue_totals: the amount is a number (<v>), not text
unzip -p pack.xlsx "$(sheet pack.xlsx revenue_totals)" | grep -o '<row r="2">.*</row>' | sed 's/<row r="3">.*//' | grep -o '<c r="[A-Z]*2"[^>]*><v>[^<]*</v>'
unzip -p pack.xlsx "$(sheet pack.xlsx revenue_totals)" | grep -o '<c r="C1"[^/]*/t>'
# a date is a date: billing's bill_on 2026-11-30 is day 46356, shown yyyy-mm-dd
unzip -p pack.xlsx "$(sheet pack.xlsx billing)" | grep -o '<c r="G2"[^>]*><v>[^<]*</v>'
# the Summary sheet names the month and the customers
unzip -p pack.xlsx xl/worksheets/sheet1.xml | grep -o '<t>Month-end 2026-11</t>'
unzip -p pack.xlsx xl/worksheets/sheet1.xml | grep -o '<t>ACME Corp</t>' | sort -u
unzip -p pack.xlsx xl/worksheets/sheet1.xml | grep -o '<t>Errors</t>'
# an amount a spreadsheet number cannot hold exactly stays exact, as text
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-03', 'USD', 'EUR', '0.912345678901234567')"
sow run --db "$DB" --period 2026-11 --report exact.xlsx common.sow >/dev/null; echo "exit $?"
unzip -p exact.xlsx "$(sheet exact.xlsx reporting_lines)" | grep -o '<t>[0-9]*\.[0-9]\{12,\}</t>' | head -1
# a failed run leaves no workbook, and no temporary file
sow run --db "$DB" --period 2026-11 --report failed.xlsx common.sow broken.sow >/dev/null 2>&1; echo "exit $?"
ls -A | grep -c failed
rm -f pack.xlsx exact.xlsx
