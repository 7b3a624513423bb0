# sow serve over plain HTTP (curl, loopback only): methods, HEAD, escaping,
# CSV formulas, traversal, unknown tables, huge headers, a slow client, a
# bounded load, the database never written, a run beside it, SIGTERM.
. tests/serve/lib.sh
# a customer whose name is markup, and invoice customers a spreadsheet would run
sqlite3 "$DB" "UPDATE projects SET customer = '<script>alert(1)</script> & \"Co\"' WHERE id = 'P-1001';
	UPDATE invoice_drafts SET customer = '=HYPERLINK(\"http://x\")' WHERE number = '2026-0015';
	UPDATE invoice_drafts SET customer = '-2+3' WHERE number = '2026-0016'"
before=$(md5sum <"$DB")
serve examples/sows || exit 1
sed 's/:[0-9]*\/$/:PORT\//' "$W/serve.out"

echo "== GET and HEAD only"
for m in POST PUT DELETE PATCH OPTIONS; do
	printf '%s ' $m
	curl -s -o /dev/null -w '%{http_code} Allow: %header{allow}\n' -X $m "$base/"
done
curl -s -o /dev/null -w 'POST with a body: %{http_code}\n' --data 'x=1' "$base/runs/3"
get=$(curl -s "$base/runs/3" | wc -c)
curl -s --head -o "$W/head" -w 'HEAD %{http_code}, body %{size_download} bytes\n' "$base/runs/3"
len=$(sed -n 's/^[Cc]ontent-[Ll]ength: \([0-9]*\).*/\1/p' "$W/head")
[ "$len" = "$get" ] && echo "HEAD's Content-Length is GET's body length"
grep -i '^content-security-policy' "$W/head" | tr -d '\r'

echo "== every value escaped"
for p in / /projects/P-1001 /runs/3; do
	curl -s "$base$p" >"$W/page"
	printf '%s: %s raw <script>, ' "$p" "$(grep -c '<script>' "$W/page")"
	grep -c '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;' "$W/page" | sed 's/$/ escaped/'
done

echo "== CSV: formula-leading cells neutralised, numbers kept"
curl -s "$base/runs/3/invoice_drafts?format=csv&sort=number" | grep -e ',2026-0015,' -e ',2026-0016,' | cut -d, -f2-4
"$SOW" eval --db "$DB" --format csv -e 'from d in invoice_drafts where d.number == "2026-0013" or d.number == "2026-0015" select d.number, d.customer, d.net order by d.number'

echo "== CSV and JSON as eval prints them"
curl -s "$base/runs/3/revenue?format=csv&project=P-1001" >"$W/web.csv"
"$SOW" eval --db "$DB" --format csv -e 'from r in revenue where r.run_id == 3 and r.project_id == "P-1001"' >"$W/eval.csv"
cmp -s "$W/web.csv" "$W/eval.csv" && echo "csv: same as eval ($(wc -l <"$W/web.csv") lines)"
curl -s "$base/runs/2/billing?format=json" >"$W/web.json"
"$SOW" eval --db "$DB" --format json -e 'from b in billing where b.run_id == 2' >"$W/eval.json"
cmp -s "$W/web.json" "$W/eval.json" && echo "json: same as eval ($(wc -l <"$W/web.json") lines)"
curl -s -o /dev/null -w 'csv type: %{content_type}\n' "$base/runs/3/revenue?format=csv"
echo "sorted by amount, descending, exactly:"
curl -s "$base/runs/3/revenue?format=csv&sort=amount&dir=desc&project=P-1001" | cut -d, -f3,5,6
echo "filtered by customer:"
curl -s "$base/runs/3/billing?format=csv&customer=Globex%20BV" | cut -d, -f3,4,5
echo "filtered by period:"
curl -s "$base/runs/3/revenue?format=csv&period=2026-10" | wc -l
curl -s "$base/runs/3/forecast?format=csv&period=2026-10" | wc -l
curl -s "$base/runs/3/forecast?format=csv&period=2026-11" | wc -l

echo "== traversal and unknown paths: 404, never a file or an SQL error"
for p in /runs/1/../../etc/passwd /runs/1/%2e%2e/%2e%2e/etc/passwd /%2e%2e/%2e%2e/etc/passwd /runs/3/revenue/../../../x \
	'/source?file=/etc/passwd' '/source?file=../../../../etc/passwd' '/source?file=examples/sows/../../../../etc/passwd' \
	/data/time_entries/..%2f..%2fetc%2fpasswd /runs/3/sqlite_master /runs/3/projects /runs/3/revenue_history /runs/3/runs \
	"/runs/3/revenue'%20OR%201=1--" /runs/99 /runs/-1 /runs/3x /runs/3/why/forecast /invoices/9999-0001 /projects/P-0000 \
	/data/revenue/1 /data/time_entries/424242 /nothing //runs/3 /runs/3/; do
	printf '%s %s' "$(curl -s --path-as-is -o "$W/page" -w '%{http_code}' "$base$p")" "$p"
	grep -q -e 'root:' -e 'no such column' -e 'syntax error' -e 'SQLITE' "$W/page" && printf ' LEAKED'
	echo
done
for q in 'sort=amount;drop' 'sort=nope' 'format=xml' 'format=markdown'; do
	printf '%s /runs/3/revenue?%s' "$(curl -s -o "$W/page" -w '%{http_code}' "$base/runs/3/revenue?$q")" "$q"
	grep -q -e 'no such column' -e 'syntax error' "$W/page" && printf ' LEAKED'
	echo
done
for q in 'project_id=P-1001' 'project_id=P-1001%22%20}%20&period=2026-11' 'project_id=P-1001&period=2026-13' 'project_id=P-1001&period=2026-11&currency=XYZ'; do
	printf '%s why/revenue_by_project?%s\n' "$(code "/runs/3/why/revenue_by_project?$q")" "$q"
done

echo "== bad requests, huge headers, a slow client: it survives"
big=$(head -c 100000 /dev/zero | tr '\0' a)
curl -s -o /dev/null -w 'a 100 kB header: %{http_code}\n' -H "X-Big: $big" "$base/"
code / | sed 's/^/then GET \/: /'
reply=$(bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "GARBAGE\r\n\r\n" >&3; timeout 10 head -c 12 <&3' sh "${base##*:}")
echo "a garbage request line: ${reply:-the connection closed}"
code / | sed 's/^/then GET \/: /'
# a client that sends half its headers and stalls: others are served meanwhile,
# and the server drops it after its timeout
bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; printf "GET / HTTP/1.1\r\nHost: x\r\n" >&3; timeout 20 cat <&3 >/dev/null; echo "slow client: dropped (cat exit $?)"' sh "${base##*:}" &
slow=$!
sleep 1
code / --max-time 5 | sed 's/^/during the slow client, GET \/: /'
wait $slow

echo "== 200 requests over 4 parallel clients, loopback"
for c in 1 2 3 4; do
	urls=""
	for i in $(seq 1 50); do
		case $((i % 3)) in 0) p=/ ;; 1) p=/runs/3/revenue ;; *) p=/projects/P-1002 ;; esac
		urls="$urls -o /dev/null $base$p"
	done
	# shellcheck disable=SC2086
	curl -s -w '%{http_code}\n' --max-time 60 $urls >"$W/load$c" &
	clients="${clients:-} $!"
done
# shellcheck disable=SC2086
wait $clients
cat "$W"/load? | sort | uniq -c | sed 's/^ *//'

echo "== nothing written; a run beside it works, and the view follows"
[ "$(md5sum <"$DB")" = "$before" ] && echo "database unchanged"
"$SOW" run --db "$DB" --period 2026-11 examples/sows >/dev/null
echo "sow run beside it: exit $?"
curl -s "$base/" | grep -o 'href="/runs/4"' | sort -u
curl -s "$base/runs/3/why/revenue_by_project?project_id=P-1002&period=2026-11&currency=EUR" | grep -o '<data class=amount value="[^"]*">'
code /runs/3/revenue
curl -s "$base/runs/3" | grep -o 'This run was superseded[^:]*'
curl -s "$base/runs/3/revenue?format=csv" | wc -l
stop TERM

echo "== without rule files: no why pages"
serve || exit 1
curl -s "$base/runs/4" | grep -c '/why/'
code '/runs/4/why/revenue_by_project?project_id=P-1002&period=2026-11'
stop INT
