# A stored amount is in the currency its row names for it (issue 22):
# reporting_amount in reporting_currency, not in the line's currency. The same in eval (table, json), the REPL and why.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9123'), ('2026-11-27', 'USD', 'EUR', '0.91')"
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "run: exit $?"
q='from f in forecast_totals where f.currency == "USD" select f.fiscal_quarter, f.amount, f.reporting_amount order by f.fiscal_quarter'
sow eval --db "$DB" -e "$q"
sow eval --db "$DB" --format json -e "$q"
echo "-- only the amount read: its currency is read with it"
sow eval --db "$DB" -e 'from r in reporting_lines where r.kind == "forecast" and r.currency == "USD" select total: sum(r.reporting_amount)'
printf '%s\n' "$q;" | sow repl --db "$DB" --as-of 2026-11-30 common.sow; echo "repl: exit $?"
