#!/usr/bin/env bash
# Instructions per extender decision on a filled node - copy the admitter + admit a one-container
# pod (CopyAdmit), or NodeAdmitter::Evaluate (Evaluate) - counted by callgrind: unlike wall time, the count repeats exactly on a loaded machine, so it
# is the figure to compare optimisations by (issue #2 target: <= 2 us on 8 NUMA nodes).
#
#   bench/run-numa-admit-callgrind.sh [BINARY] [REGEX]
#
# BINARY defaults like run-numa-admit.sh; REGEX selects CopyAdmit/Evaluate benchmarks (default:
# the 1c container-scope cases of every machine up to 8 NUMA nodes, all fills, single-numa-node).
# Collection is toggled on CopyAndAdmitOnce / EvaluateOnce (bench/numa_admit_bench.cpp), so
# filling the node and the benchmark loop are not counted; the count is divided by the number of
# NodeAdmitter::Admit / Evaluate calls made from there.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-}"
if [[ -z "$binary" ]]; then
  for candidate in "$repo_root/build-bench/bench/numalign-bench-admit" \
                   "$repo_root/build/bench/numalign-bench-admit"; do
    if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
  done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "numalign-bench-admit not found; build it first (see bench/run-numa-admit.sh)" >&2
  exit 1
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
regex="${2:-^(CopyAdmit|Evaluate)/(2n|4n|8n):[^/]*/fill:(0|50|90)/single-numa-node/container/1c\$}"

work="$(mktemp -d /tmp/numa-admit-callgrind.XXXXXX)"
trap 'rm -rf "$work"' EXIT
names="$("$binary" --benchmark_list_tests=true --benchmark_filter="$regex")"
[[ -n "$names" ]] || { echo "no benchmark matches $regex" >&2; exit 1; }

printf '%-64s %12s %10s\n' "benchmark (callgrind)" "instr/admit" "admissions"
while IFS= read -r name; do
  case "$name" in
    CopyAdmit/*) measured='::CopyAndAdmitOnce('; call='NodeAdmitter::Admit(' ;;
    Evaluate/*) measured='::EvaluateOnce('; call='NodeAdmitter::Evaluate(' ;;
    *) echo "$name: only CopyAdmit and Evaluate benchmarks are counted" >&2; continue ;;
  esac
  out="$work/callgrind.out"
  valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$out" \
    --toggle-collect="*${measured}*" \
    "$binary" --benchmark_min_time=0.05 --benchmark_filter="^${name}\$" >/dev/null 2>"$work/log"
  total="$(sed -n 's/^summary: *//p' "$out")"
  # Calls from the toggled function to Admit/Evaluate = decisions measured.
  calls="$(awk -v measured="$measured" -v call="$call" '
                /^fn=/{inside = index($0, measured) > 0}
                inside && /^cfn=/{target = index($0, call) > 0}
                inside && target && /^calls=/{split($1, c, "="); n += c[2]; target = 0}
                END{print n + 0}' "$out")"
  if [[ -z "$total" || "$calls" -eq 0 ]]; then
    echo "$name: no measurement (see valgrind log below)" >&2
    cat "$work/log" >&2
    exit 1
  fi
  printf '%-64s %12d %10d\n' "$name" "$((total / calls))" "$calls"
done <<< "$names"
