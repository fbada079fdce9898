#!/usr/bin/env bash
# Times one layer of `make test` and keeps the figure for the report printed at the end.
#
#   tools/timed.sh LOG NAME COMMAND [ARG...]  run COMMAND; append "SECONDS<TAB>STATUS<TAB>NAME"
#                                              to LOG; exit with COMMAND's status
#   tools/timed.sh --report LOG STARTED       print each layer's wall time and its share of the
#                                              whole run, which began at STARTED (microseconds
#                                              since the epoch, bash's ${EPOCHREALTIME/./}); layers
#                                              that ran side by side add up to more than the total
set -uo pipefail

if [ "${1:-}" = --report ]; then
    [ -s "${2:-}" ] || exit 0
    started=${3:?the start time of the run, in microseconds}
    now=${EPOCHREALTIME/./}
    awk -F'\t' -v wall="$(((now - started) / 1000))" '
        { seconds[NR] = $1; status[NR] = $2; name[NR] = $3 }
        END {
            total = wall / 1000
            print ""
            print "== where the time went (wall clock, each layer of make test)"
            for (i = 1; i <= NR; i++) {
                verdict = status[i] == 0 ? "" : sprintf("  (FAILED, exit %d)", status[i])
                share = total > 0 ? 100 * seconds[i] / total : 0
                printf "   %7.1f s  %3.0f%%  %s%s\n", seconds[i], share, name[i], verdict
            }
            printf "   %7.1f s  total wall time (%d min %02d s)\n", total, int(total / 60), total % 60
        }' "$2"
    exit 0
fi

if [ "$#" -lt 3 ]; then
    echo "usage: tools/timed.sh LOG NAME COMMAND [ARG...] | tools/timed.sh --report LOG STARTED" >&2
    exit 2
fi
log=$1
name=$2
shift 2
started=${EPOCHREALTIME/./} # microseconds
"$@"
status=$?
took=$((${EPOCHREALTIME/./} - started))
printf '%d.%03d\t%d\t%s\n' $((took / 1000000)) $((took % 1000000 / 1000)) "$status" "$name" >>"$log"
exit "$status"
