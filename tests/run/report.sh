# --report writes the month-end pack; a run that fails leaves none behind.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow run --db "$DB" --period 2026-11 --report pack.html common.sow >/dev/null; echo "exit $?"
grep -o '<h2>[^<]*</h2>' pack.html
grep -c '<rect' pack.html
grep -o 'P-MS-M1</td><td>2026-11-30</td><td class=n>12000.00' pack.html
cat > broken.sow <<'SOW'
import "std"
rule broken
  for m in milestones
  emit findings { project_id: m.project_id, severity: "info", code: "x", message: text(m.sign_off_received_on + 1 days), subject: m.id }
SOW
sow run --db "$DB" --period 2026-11 --report failed.html common.sow broken.sow >/dev/null 2>&1; echo "exit $?"
ls failed.html failed.html.tmp 2>&1 | sed 's/.*cannot access/cannot access/'
rm -f pack.html broken.sow
