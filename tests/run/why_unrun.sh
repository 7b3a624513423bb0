# why and the session agree (issue 22): for a month no run has stored yet,
# `why revenue_by_project { ..., period: P }` answers with the lines the
# session derives (the figure its queries give), not "0.00, released in
# other periods"; a stored month is answered from the run; a month with
# nothing anywhere still says where the revenue went; with no period asked,
# the stored months and then the months no run stored, as the session has them.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow run --db "$DB" --period 2026-10 common.sow >/dev/null; echo "run: exit $?"
sow repl --db "$DB" --as-of 2026-11-30 common.sow <<'EOT'; echo "repl: exit $?"
from r in revenue_totals where r.project_id == "P-TM" select r.period, r.amount
why revenue_by_project { project_id: "P-TM", period: 2026-11 }
why revenue_by_project { project_id: "P-TM", period: 2026-10 }
why revenue_by_project { project_id: "P-TM", period: 2026-12 }
why revenue_by_project { project_id: "P-TM" }
EOT
