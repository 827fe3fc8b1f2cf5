#!/usr/bin/env bash
# Runs every benchmark suite (2 forks each) and writes JMH JSON, the README's tables (summary.md) and
# the charts (uncontended.png, contended.png) to benchmarks/results/. About 12-15 minutes on 2 cores,
# depending on how long Stormpot stalls in the contended suites (see timing below), plus the build.
# (idle: an idle pool's CPU against a JVM without one, 10 s each.)
#
#   bash benchmarks/run-all.sh            # everything
#   bash benchmarks/run-all.sh redis jdbc # only the suites named (uncontended contended keyed routing redis jdbc)
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B package -DskipTests -pl benchmarks -am
results=benchmarks/results
mkdir -p "$results"
# The suites run from a copy, so that rebuilding while they run cannot change the code under test.
jar="$results/benchmarks.jar"
cp benchmarks/target/benchmarks.jar "$jar"
# A fixed, pre-touched heap for every fork and every peer: on a fresh heap, each first touch of an
# eden page is a page fault, and for about a second (until eden has been used once) a pool that
# allocated per operation (connpool's lease then, commons-pool2's bookkeeping) ran ~25 % slower
# than its steady state, while one that allocates nothing (Stormpot) did not; a running service's
# heap has long been touched. Costs ~0.2 s per fork.
common=(-f 2 -foe true -jvmArgsAppend "-Xms512m -Xmx512m -XX:+AlwaysPreTouch")
# Iterations of 0.5 s (0.6 s before): Stormpot's stalls in the contended suites add 0 to 5 minutes
# to a run (934 s of suites in one run, 683 in another), and this keeps the worst case we saw near
# 15 minutes.
timing=(-wi 2 -w 300ms -i 3 -r 500ms)
# The exclusive Redis suite warms up longer: with 32 threads and redis-server on 2 cores, the JIT
# needs ~3 s to compile the waiting path, and connpool's p99 per iteration fell from 4-5 ms to
# ~1.5 ms after that (2 forks, iterations of 0.6 s after 0.6 s of warm-up against 1 s after 2 s).
redis_timing=(-wi 3 -w 1s -i 3 -r 500ms)
# connpool-callback (withConnection) runs within noise of connpool (a lease); left out to keep the run short
peers=connpool-defaults,connpool-micrometer,stormpot-defaults,hikaricp,connpool,stormpot,hikari-bag,commons-pool2,array-queue

suite() { # name, JMH arguments...
  local name=$1; shift
  echo "== $name"
  java -jar "$jar" "$@" "${common[@]}" "${timing[@]}" -rf json -rff "$results/$name.json" > "$results/$name.log"
  grep -E '^Benchmark|^[A-Z][A-Za-z]+Benchmark' "$results/$name.log" | grep -v ':p0.\(00\|90\|95\|9999\) ' || true
}

selected=("$@")
wanted() { [ ${#selected[@]} -eq 0 ] || [[ " ${selected[*]} " == *" $1 "* ]]; }

# The machine the suites run on, for the tables (Report reads it).
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || true)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo || true)
echo "$(nproc) × ${cpu:-unknown CPU}, ${mem:-unknown memory}, $(uname -sr), $(date -u +%Y-%m-%d)" > "$results/machine.txt"

start=$(date +%s)
if wanted uncontended; then
  for t in 1 2 4 8; do suite "uncontended-t$t" 'UncontendedBenchmark' -t "$t" -p peer=$peers; done
fi
if wanted contended; then
  suite contended-thrpt 'ContendedBenchmark' -bm thrpt -p peer=$peers
  suite contended-sample 'ContendedBenchmark' -bm sample -p peer=$peers
fi
if wanted keyed; then
  suite keyed 'KeyedBenchmark'
fi
if wanted routing; then
  for t in 1 2 8; do
    # UNIFORM_RANDOM (the baseline TWO_CHOICES was measured against) is left out to stay under 15 minutes
    suite "routing-t$t" 'SharedRoutingBenchmark.routed' -t "$t" -p router=ROUND_ROBIN,LEAST_IN_FLIGHT,TWO_CHOICES
    suite "routing-direct-t$t" 'SharedRoutingBenchmark.direct' -t "$t" -p router=ROUND_ROBIN
  done
fi
if wanted redis; then
  short=("${timing[@]}"); timing=("${redis_timing[@]}")
  suite redis 'RedisBenchmark'
  timing=("${short[@]}")
  suite redis-shared 'RedisSharedBenchmark'
fi
if wanted jdbc; then
  suite jdbc 'JdbcBenchmark'
fi
if wanted idle; then
  echo "== idle"
  { java -cp "$jar" io.connpool.benchmarks.IdleCpu 10; java -cp "$jar" io.connpool.benchmarks.IdleCpu 10 baseline; } \
    | tee "$results/idle.txt"
fi
echo "== all suites took $(( $(date +%s) - start )) s"

java -cp "$jar" io.connpool.benchmarks.Report "$results" > /dev/null
echo "== tables: $results/summary.md; charts: $results/uncontended.png, $results/contended.png"
