# The layers of the engine (README, Layout). The checked program (model.h)
# lies beneath both the checker and the engine, so no file of the engine
# includes the checker or a front end; the language's own core (eval,
# builtin, query, source) includes none of what drives it either (the rule
# runner, the planner, machines, the ledger, a test run). Each line is a
# file and the headers it includes that it must not: "-" is none. The VM
# (vm.c, compile.c) is of the core: it calls the rule runner back through
# the VmHost rules.c gives it.
src=$top/src
front='check strict terms session stmt stmtint why view repl serve pages figures assume lsp'
drivers='rules plan machine ledger profile testrun keyscope'
layer() {
	f=$1
	shift
	bad=$(for h in "$@"; do grep -q "^#include \"$h\\.h\"" "$src/$f.c" && printf ' %s.h' "$h"; done)
	echo "$f.c:${bad:- -}"
}
for f in eval builtin query source vm compile; do
	layer $f $front $drivers
done
for f in rules plan sink machine ledger profile testrun; do
	layer $f $front
done
# SQL text stays in the store layer (store.c, period.c, the ledger and the
# scans of source.c): a second SQL engine is then one
# more file, not a rewrite. Files of the engine with SQL of their own:
for f in eval builtin query rules sink machine profile testrun; do
	grep -l '"\(SELECT\|INSERT\|UPDATE\|DELETE\|CREATE\) ' "$src/$f.c" >/dev/null && echo "SQL in $f.c"
done
echo "SQL checked"
