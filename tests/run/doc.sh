# sow doc: signatures and the comments above them; one name; the sections.
cat > mine.sow <<'SOW'
import "std"

# The discount a customer negotiated,
# as a percentage of the list price.
fn discount(who, list) = if who == "ACME" then list * 10% else list * 0%

relation flags(id text, level text) unique (id)

# Every milestone gets a flag.
rule flag_all
  for m in milestones
  emit flags { id: m.id, level: "x" }
SOW
echo "-- one function of the library"
sow doc money_total; echo "exit $?"
echo "-- a table"
sow doc time_entries; echo "exit $?"
echo "-- a built-in"
sow doc business_day; echo "exit $?"
echo "-- the sections of the library's listing"
sow doc | grep -E '^[A-Z]'
echo "-- other rule files"
sow doc --rules mine.sow discount; echo "exit $?"
sow doc --rules mine.sow flag_all; echo "exit $?"
sow doc --rules mine.sow flags; echo "exit $?"
echo "-- not found"
sow doc rate_fr; echo "exit $?"
sow doc a b; echo "exit $?"
