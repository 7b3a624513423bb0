# Hostile bytes in an import (issue 26): a NUL inside a field used to cut
# the value (hours 7<NUL>.5 stored as 7, exit 0); bytes that are not UTF-8
# were stored raw; an id past 64 bits was clamped to 9223372036854775807.
# Each is refused with its line, and the import is all or nothing: the
# database stays exactly as it was.
sow init "$DB"
sow import "$DB" projects /dev/stdin <<'CSV' >/dev/null
id,name
P-1,One
CSV
snap() { echo "$(sqlite3 "$DB" "SELECT count(*) FROM time_entries") entries, dump $(sqlite3 "$DB" .dump | cksum)"; }
echo "before: $(snap)"
printf 'id,project_id,hours\n1,P-1,8\n2,P-1,7\000.5\n3,P-1,"6\n\000"\n' > nul.csv
sow import "$DB" time_entries nul.csv; echo "NUL: exit $?"
printf 'id,project_id,person,hours\n1,P-1,Jos\351,8\n2,P-1,\355\240\200,8\n3,P-1,\300\257,8\n4,P-1,Jos\303\251,8\n' > latin1.csv
sow import "$DB" time_entries latin1.csv; echo "not UTF-8: exit $?"
printf 'id,project_id,hours\n9223372036854775807,P-1,8\n9223372036854775808,P-1,8\n-9223372036854775809,P-1,1\n99999999999999999999999,P-1,1\n' > big.csv
sow import "$DB" time_entries big.csv; echo "past int64: exit $?"
printf 'id,proj\000ect_id,hours\n1,P-1,8\n' > header.csv
sow import "$DB" time_entries header.csv; echo "header: exit $?"
echo "after: $(snap)"
# through a mapping too: the bytes are refused before any value map
cat > t.map <<'MAP'
mapping "t" for time_entries {
  id          from "Entry"
  project_id  from "Project"
  hours       from "Hours" { "seven and a half" -> 7.5 }
}
MAP
printf 'Entry,Project,Hours\n1,P-1,7\000.5\n' > mapped.csv
sow import --map t.map "$DB" time_entries mapped.csv; echo "mapped: exit $?"
# the largest id there is still goes in, whole
printf 'id,project_id,hours\n9223372036854775807,P-1,8\n-9223372036854775808,P-1,1\n' > edge.csv
sow import "$DB" time_entries edge.csv; echo "edges: exit $?"
sqlite3 "$DB" "SELECT id, hours FROM time_entries ORDER BY id"
rm -f *.csv t.map
