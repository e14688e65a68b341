#!/bin/sh
# Runs each libFuzzer target for a while, one after the other.
#   tests/fuzz/run-fuzzers.sh BUILDDIR SECONDS [TARGET...]
# BUILDDIR was set up with CC=clang -Dfuzzing=true (make fuzz does it). Each
# target starts from a copy of tests/fuzz/corpus/TARGET in
# BUILDDIR/fuzz-work/corpus/TARGET (new inputs land there, not in the tree);
# what crashes goes to BUILDDIR/fuzz-work/crashes/TARGET/. Prints the
# executions per target at the end; exits 1 if any target found something.
set -eu

builddir=$1
seconds=$2
shift 2
srcdir=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- license uscc money validate deal-date search wire csv xlsx vcard
work=$builddir/fuzz-work
summary=""
status=0

for target in "$@"; do
  case $target in
    license) opts="-max_len=65536 -timeout=10 -malloc_limit_mb=64" ;;
    search) opts="-max_len=512 -timeout=5" ;;
    validate) opts="-max_len=512 -timeout=5" ;;
    wire) opts="-max_len=4096 -timeout=5" ;;
    csv|vcard) opts="-max_len=4096 -timeout=10" ;;
    xlsx) opts="-max_len=16384 -timeout=10" ;;
    *) opts="-max_len=128 -timeout=5" ;;
  esac
  [ -f "$srcdir/$target.dict" ] && opts="$opts -dict=$srcdir/$target.dict"
  mkdir -p "$work/corpus/$target" "$work/crashes/$target"
  cp -n "$srcdir/corpus/$target"/* "$work/corpus/$target/" 2>/dev/null || true
  log=$work/$target.log
  echo "== fuzz-$target for ${seconds}s (log: $log)"
  # shellcheck disable=SC2086
  if "$builddir/tests/fuzz/fuzz-$target" $opts -max_total_time="$seconds" \
       -print_final_stats=1 -artifact_prefix="$work/crashes/$target/" \
       "$work/corpus/$target" >"$log" 2>&1; then
    result=ok
  else
    result="FOUND (see $work/crashes/$target/ and $log)"
    status=1
    grep -m 5 -E "ERROR|fuzz property|SUMMARY" "$log" || true
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary="$summary$(printf '%-10s %12s executions  %s' "$target" "${execs:-?}" "$result")
"
done

echo "== executions per target (${seconds}s each)"
printf '%s' "$summary"
exit $status
