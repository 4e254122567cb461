#!/usr/bin/env bash
# Runs the NUMA admission benchmark and prints a summary table (issue #2: target <= 2000 ns for a
# one-container pod on an 8-NUMA node, copy + admit). Takes about 1-2 minutes on 2 cores.
#
#   bench/run-numa-admit.sh [BINARY] [extra Google Benchmark flags...]
#
# BINARY defaults to build-bench/bench/numalign-bench-admit, then build/bench/numalign-bench-admit.
# MIN_TIME (seconds per benchmark, default 0.05) trades run time for stability. NUMALIGN_SHARED
# points at the shared/ directory when it is not ../shared next to the checkout. The raw results
# are kept in $OUT (default: a temporary CSV file, whose path is printed).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-}"
if [[ -n "$binary" && "$binary" != -* ]]; then
  shift
else
  binary=""
  for candidate in "$repo_root/build-bench/bench/numalign-bench-admit" \
                   "$repo_root/build/bench/numalign-bench-admit"; do
    if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
  done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "numalign-bench-admit not found; build it first:" >&2
  echo "  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release &&" \
       "cmake --build build-bench --target numalign-bench-admit" >&2
  exit 1
fi

out="${OUT:-$(mktemp --suffix=.csv /tmp/numa-admit-bench.XXXXXX)}"
# libbenchmark 1.7 (Debian 12) takes --benchmark_min_time as plain seconds.
"$binary" --benchmark_min_time="${MIN_TIME:-0.05}" --benchmark_out="$out" \
  --benchmark_out_format=csv "$@" >&2

echo
echo "uptime: $(uptime)"
# The figures belong to the sources built; record which (a dirty tree is worth knowing about).
echo "source: $(git -C "$repo_root" describe --always --dirty 2>/dev/null || echo unknown)" \
  "$(git -C "$repo_root" status --porcelain -- numa 2>/dev/null | grep -q . &&
     echo '(numa/ has uncommitted changes)')"
echo "raw results: $out"
echo "ns/op: copy+admit = copy the filled admitter, admit, destroy (the extender's per-node cost);"
echo "evaluate = NodeAdmitter::Evaluate (same verdict, node unchanged, 1c pods not copied);"
echo "admit = admit alone; admit+rm = admit then Remove, no copy; copy = copy alone (CPU time)."
echo "* = the measured pod is rejected on that node (the figure is the rejection's cost; the"
echo "    benchmark's label in the raw results says why)."
echo
# CSV columns: name,iterations,real_time,cpu_time,time_unit,... then the user counters
# ("admitted", "fill_cpu_pct", "fill_pods", "ns_per_op"), located by the header line. ns_per_op
# is CPU time per operation (Admit runs batches of admits per iteration).
awk -F, '
  $1 == "name" {
    for (i = 1; i <= NF; i++) {
      if ($i ~ /"admitted"/) admitted_column = i
      if ($i ~ /"ns_per_op"/) per_op_column = i
    }
    next
  }
  $1 !~ /^"/ { next }
  {
    name = $1; gsub(/"/, "", name)
    split(name, part, "/")  # kind / machine / fill:N / policy / scope / pod
    kind = part[1]; machine = part[2]; fill = part[3]; sub(/fill:/, "", fill)
    policy = part[4]; scope = part[5]; pod = part[6]
    ns = $per_op_column
    if (kind == "Copy") { copy[machine SUBSEP fill] = ns; next }
    column = kind "|" scope "|" pod
    row = machine SUBSEP fill SUBSEP policy
    if (!(row in seen)) { seen[row] = 1; order[++rows] = row }
    value[row, column] = ns
    rejected[row, column] = ($admitted_column + 0 != 1)
  }
  function show(r, column) {
    if (!((r, column) in value)) return "-"
    return sprintf("%.0f%s", value[r, column], rejected[r, column] ? "*" : "")
  }
  END {
    fmt = "%-22s | %4s | %-16s | %11s | %9s | %9s | %9s | %9s | %11s | %11s | %11s\n"
    printf fmt, "NUMA nodes", "fill", "policy", "copy+admit", "evaluate", "admit", "admit+rm", \
           "copy", "init+2c", "pod-scope", "pod init+2c"
    printf fmt, "", "%", "", "1c ns/op", "1c ns/op", "1c ns/op", "1c ns/op", "ns/op", \
           "copy+admit", "copy+admit", "copy+admit"
    for (i = 1; i <= rows; i++) {
      split(order[i], key, SUBSEP)
      r = order[i]
      printf fmt, key[1], key[2], key[3], show(r, "CopyAdmit|container|1c"),
             show(r, "Evaluate|container|1c"), show(r, "Admit|container|1c"), show(r, "AdmitRemove|container|1c"),
             (key[1] SUBSEP key[2]) in copy ? sprintf("%.0f", copy[key[1], key[2]]) : "-",
             show(r, "CopyAdmit|container|init+2c"), show(r, "CopyAdmit|pod|1c"),
             show(r, "CopyAdmit|pod|init+2c")
    }
  }' "$out"
