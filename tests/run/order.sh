# Results do not depend on the order of rule files or of rows.
cat > extra.sow <<'SOW'
import "std"

sow "S-X" for project "P-X" {
  customer  "Initech"
  currency  USD
  billing   on_completion
  milestone "P-X-M1" "One" 100
}
SOW
dump() {
	sqlite3 "$1" "SELECT project_id, source, source_id, amount, recognized_on, basis, rule FROM revenue ORDER BY 1, 2, 3;
		SELECT project_id, source_id, amount, bill_on, reason FROM billing ORDER BY 1, 2, 5;
		SELECT project_id, fiscal_quarter, amount, basis FROM forecast ORDER BY 1, 2, 3, 4;
		SELECT project_id, severity, code, subject, message FROM findings ORDER BY 1, 2, 3, 4, 5"
}
sow init src.db
sqlite3 src.db < fixture.sql
sqlite3 src.db "INSERT INTO milestones (id, project_id, sign_off_received_on) VALUES ('P-X-M1', 'P-X', '2026-11-10')"
# the same rows, inserted first to last into a.db and last to first into b.db
for db in a b; do
	order=$([ $db = a ] && echo ASC || echo DESC)
	sow init $db.db
	for t in projects holidays milestones time_entries; do
		sqlite3 $db.db "ATTACH 'src.db' AS src; INSERT INTO main.$t SELECT * FROM src.$t ORDER BY rowid $order"
	done
done
sow run --db a.db --period 2026-11 common.sow extra.sow >/dev/null
sow run --db b.db --period 2026-11 extra.sow common.sow >/dev/null
dump a.db > a.txt
dump b.db > b.txt
cmp -s a.txt b.txt && echo "same results either way ($(wc -l < a.txt) rows)"
rm -f extra.sow a.txt b.txt src.db a.db b.db
