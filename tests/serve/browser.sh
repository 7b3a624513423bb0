# sow serve in a real browser (headless Chromium, make test-deps) over the
# demo: every link within three clicks of / loads, every figure a why page
# explains equals eval's, and the pages render what they say.
. tests/serve/lib.sh
command -v chromium >/dev/null || { echo "chromium is not installed (make test-deps)"; exit 1; }
serve examples/sows || exit 1

# dom PATH: the page as Chromium renders it.
dom() {
	profile=$(mktemp -d)
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --dump-dom "$base$1" 2>/dev/null
	rm -rf "$profile"
}

# links FILE...: the site's links on pages (every one a path from the root).
links() {
	grep -oh 'href="/[^"]*"' "$@" | sed 's/^href="//; s/"$//; s/&amp;/\&/g; s/#.*//' | sort -u
}

echo "== every link within three clicks of / loads"
# one curl per click level (a process per page is slow on a loaded machine);
# each page kept as pages/N, its path in index
mkdir -p "$W/pages"
echo / >"$W/frontier"
cp "$W/frontier" "$W/seen"
: >"$W/index"
: >"$W/codes"
n=0
for depth in 0 1 2 3; do
	: >"$W/curl.cfg"
	: >"$W/level"
	while read -r u; do
		n=$((n + 1))
		printf 'url = "%s%s"\noutput = "%s/pages/%d"\n' "$base" "$u" "$W" $n >>"$W/curl.cfg"
		echo "$n $u" >>"$W/index"
		echo "$W/pages/$n" >>"$W/level"
	done <"$W/frontier"
	curl -s -g --max-time 300 -w '%{http_code} %{url}\n' -K "$W/curl.cfg" >>"$W/codes"
	[ $depth -lt 3 ] || break
	# shellcheck disable=SC2046
	links $(cat "$W/level") | comm -23 - "$W/seen" >"$W/frontier"
	sort -u "$W/seen" "$W/frontier" -o "$W/seen"
done
grep -v '^200 ' "$W/codes" | sed 's/^/not loaded: /'
[ "$(wc -l <"$W/seen")" -gt 300 ] && ! grep -qv '^200 ' "$W/codes" && echo "more than 300 pages, every one 200"
for kind in /runs/1 /runs/3/revenue /runs/2/why/revenue_by_project /runs/3/why/revenue /runs/1/why/billing \
	/invoices/ /projects/ /data/milestones/ /source; do
	grep -q "^$kind" "$W/seen" && echo "reached $kind..."
done

echo "== every figure of revenue_by_project and every revenue row its why page explains equals eval's"
# what each why page says it explains: the figure in its <data> element
figures() {
	grep "^[0-9]* /runs/[0-9]*/why/$1?" "$W/index" | while read -r i u; do
		printf '%s %s\n' "$(echo "$u" | sed "$2")" "$(sed -n 's/.*<data class=amount value="\([^"]*\)">.*/\1/p' "$W/pages/$i")"
	done | sort
}
figures revenue_by_project 's,^/runs/\([0-9]*\)/why/revenue_by_project?project_id=\([^&]*\)&period=\([^&]*\)&currency=\([^&]*\)$,\1 \2 \3 \4,' >"$W/web-figures"
figures revenue 's,^/runs/\([0-9]*\)/why/revenue?project_id=\([^&]*\)&source=\([^&]*\)&source_id=\([^&]*\)$,\1 \2 \3 \4,' >"$W/web-rows"
"$SOW" eval --db "$DB" --format csv -e 'from t in revenue_totals select t.run_id, t.project_id, t.period, t.currency, t.amount' |
	sed '1d; s/\r$//' | cut -d, -f1-5 | tr ',' ' ' | sort >"$W/eval-figures"
n=$(wc -l <"$W/eval-figures")
cmp -s "$W/eval-figures" "$W/web-figures" && echo "all $n figures of revenue_by_project: the why page's figure is eval's"
diff "$W/eval-figures" "$W/web-figures" | head -5
"$SOW" eval --db "$DB" --format csv -e 'from r in revenue select r.run_id, r.project_id, r.source, r.source_id, r.amount' |
	sed '1d; s/\r$//' | cut -d, -f1-5 | tr ',' ' ' | sort >"$W/eval-rows"
n=$(wc -l <"$W/eval-rows")
cmp -s "$W/eval-rows" "$W/web-rows" && echo "all $n revenue rows: the why page's figure is eval's"
diff "$W/eval-rows" "$W/web-rows" | head -5

echo "== rendered by Chromium"
dom / >"$W/dom"
links "$W/dom" >"$W/dom-links"
links "$W/pages/1" | cmp -s - "$W/dom-links" && echo "/: the browser sees the links the crawl followed ($(wc -l <"$W/dom-links"))"
grep -o '<td>2026-1[01]</td><td>closed</td>' "$W/dom"

dom /runs/3 >"$W/dom"
grep -o '<h1>[^<]*</h1>' "$W/dom"
# the pack's revenue by project, as shown (thousands separators), against eval
grep -o 'why/revenue_by_project?project_id=[^&]*&amp;period=[^&]*&amp;currency=[^"]*">[^<]*</a></td><td class="d">' "$W/dom" |
	sed 's,why/revenue_by_project?project_id=\([^&]*\)&amp;period=\([^&]*\)&amp;currency=\([^"]*\)">\([^<]*\)<.*,3 \1 \2 \3 \4,; s/,//g' |
	sort >"$W/pack"
grep '^3 ' "$W/eval-figures" >"$W/eval3"
cmp -s "$W/pack" "$W/eval3" && echo "/runs/3: revenue by project, $(wc -l <"$W/pack") figures as eval gives them, each linked to its why"

dom '/runs/3/why/revenue_by_project?project_id=P-1001&period=2026-11&currency=USD' >"$W/dom"
grep -o '<p class="figure">.*</p>' "$W/dom" | sed 's/<[^>]*>//g'
grep -o 'total P-1001 2026-11 USD: .*' "$W/dom"
"$SOW" eval --db "$DB" --as-of 2026-11-30 examples/sows -e 'why revenue_by_project { project_id: "P-1001", period: 2026-11, currency: "USD" }' 2>/dev/null |
	grep -o 'total P-1001 2026-11 USD: .*'

dom '/runs/3/why/revenue?project_id=P-1001&source=time&source_id=9' >"$W/dom"
grep -o '<p class="figure">.*</p>' "$W/dom" | sed 's/<[^>]*>//g'
grep -o '<a href="/source?file=rules%2Fstd%2Frevenue.sow#L16">[^<]*</a>' "$W/dom" | sort -u
grep -o '<a href="/data/time_entries/9">[^<]*</a>' "$W/dom" | sort -u

dom '/source?file=rules%2Fstd%2Frevenue.sow' | grep -o '<span id="L16">.*</span>' | sed 's/<[^>]*>/ /g; s/  */ /g'
dom /data/time_entries/9 | grep -o '<tr><th>hours</th><td>[^<]*</td></tr>'
dom '/runs/3/revenue?project=P-1001&sort=amount&dir=desc' | grep -o '<tr><td>3</td>.*' | sed -n 1p | sed 's/<[^>]*>/ /g; s/  */ /g'
dom /invoices/2026-0015 | grep -o '<h1>[^<]*'
stop TERM
