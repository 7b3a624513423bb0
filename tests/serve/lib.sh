# tests/serve/lib.sh: start `sow serve` and find its port (sourced by the
# tests of this folder; SOW is the binary, DB the database, W a scratch
# folder; the current folder is the top, as for `make demo`).

# serve ARGS...: start it in the background; sets pid and base
# (http://127.0.0.1:PORT) from the first line on stdout.
serve() {
	: >"$W/serve.out"
	"$SOW" serve --db "$DB" --port 0 "$@" >"$W/serve.out" 2>>"$W/serve.err" &
	pid=$!
	i=0
	while [ ! -s "$W/serve.out" ] && [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	base=$(sed -n '1s,^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)/$,\1,p' "$W/serve.out")
	[ -n "$base" ] || { echo "sow serve did not start: $(cat "$W/serve.out" "$W/serve.err")"; return 1; }
}

# stop SIGNAL: stop the server, print its exit status.
stop() {
	kill -"$1" $pid
	wait $pid
	echo "exit after SIG$1: $?"
}

# code PATH [CURL ARGS...]: the status of a GET.
code() {
	p=$1
	shift
	curl -s -g -o /dev/null -w '%{http_code}\n' --max-time 30 "$@" "$base$p"
}
