# Date formats of import mappings against Python's strftime: 600 random
# days 2000-2099, each written six ways (tests/run/data/dates.csv, generated
# once), read back through two mappings; every date must come back as its
# ISO day.
sow init "$DB"
cat > a.map <<'MAP'
mapping "a" for milestones {
  id                   from "iso"
  name                 from "iso"
  planned_sign_off_on  from "f0" as date "%m/%d/%Y"
  sign_off_sent_on     from "f1" as date "%d.%m.%Y"
  sign_off_received_on from "f2" as date "%e %b %Y"
}
MAP
cat > b.map <<'MAP'
mapping "b" for trainings {
  id                 from "iso"
  course             from "iso"
  planned_on         from "f3" as date "%B %d, %Y"
  delivered_on       from "f4" as date "%Y-%m-%d %H:%M:%S"
  roster_received_on from "f5" as date "%y%m%d"
}
MAP
cp "$top/tests/run/data/dates.csv" .
sow import "$DB" milestones dates.csv --map a.map
sow import "$DB" trainings dates.csv --map b.map
sqlite3 "$DB" "SELECT count(*) FROM milestones WHERE planned_sign_off_on = name AND sign_off_sent_on = name AND sign_off_received_on = name"
sqlite3 "$DB" "SELECT count(*) FROM trainings WHERE planned_on = course AND delivered_on = course AND roster_received_on = course"
rm -f a.map b.map dates.csv
