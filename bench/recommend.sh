#!/usr/bin/env bash
# Load test of GET /recommend/{random known user} against a trivial endpoint, in one run: throughput
# at saturation (closed loop, wrk) and latency at fixed request rates (open loop, bench/OpenLoop.java).
#
#   bench/recommend.sh [MODEL_DIR]
#
# Starts target/mambarec.jar on a fresh embedded PostgreSQL (temporary folder) with
# DATA (default ../shared/datasets/tiktok) imported and MODEL_DIR (default runs/tiktok-lightgcn,
# the output folder of `java -jar target/mambarec.jar train ...`) registered and served, waits until
# its candidate lists are built (the unfiltered requests' fast path; their build time and size are
# printed), then
#   1. warms up both endpoints (WARMUP seconds each),
#   2. runs wrk on the trivial endpoint /actuator/health/liveness (TRIVIAL_DURATION seconds),
#   3. runs wrk on /recommend/{random user}?k=20 (DURATION seconds, default 600) while sampling the
#      service's resident memory (VmRSS) every RSS_EVERY seconds,
# and prints requests/s and p99 of both and their ratio (saturation: THREADS wrk threads and
# CONNECTIONS connections keep the service busy; wrk shares the cores, and its p99 is the queue in
# front of a saturated service, not the service's latency), and RSS over time; then
#   4. the latency scenario (LATENCY=0 skips it): requests sent on a fixed schedule whatever the
#      answers did (open loop; latency measured from when each request was due, so a stall counts
#      for every request it delayed: no coordinated omission), LATENCY_DURATION seconds (default 60)
#      each, after OPEN_LOOP_WARMUP seconds (10) at the same rate: the trivial endpoint and
#      /recommend at LATENCY_RATE requests/s (default 1000), and /recommend at LATENCY_SHARE
#      (default 0.5) of its saturation throughput from 3; p50, p90, p99, p99.9 and max of each;
# then the second scenario, a shop's filters (SHOP=0 skips it):
#   5. gives every item a category (c0..c9: item index mod 10) and takes every 7th item out of stock,
#      through PATCH /items/{id} (admin),
#   6. runs wrk on /recommend/{random user}?k=20&category=c1,c2 (SHOP_DURATION seconds, default
#      DURATION): 20% of the catalogue in the categories, 1/7 of it out of stock, filtered inside
#      the top-k scan, and prints its requests/s, p99 and ratio to the trivial endpoint,
#   7. its latency at LATENCY_RATE and at LATENCY_SHARE of its own saturation throughput.
# Every phase also reports the service's safepoint stalls (GC pauses included) from its
# -Xlog:gc,safepoint log. Needs wrk (Debian: apt-get install wrk), curl and a JDK (OpenLoop.java
# runs as a single-file program with HdrHistogram from the local Maven repository). Settings:
# THREADS (2), CONNECTIONS (8), PORT (18080), JAVA_OPTS (-Xms1g -Xmx1g), JAR (target/mambarec.jar),
# OPEN_LOOP_CONNECTIONS (32).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
bench_setup "$@"

DURATION=${DURATION:-600}
TRIVIAL_DURATION=${TRIVIAL_DURATION:-60}
WARMUP=${WARMUP:-30}
RSS_EVERY=${RSS_EVERY:-30}
SHOP_DURATION=${SHOP_DURATION:-$DURATION}
LATENCY_RATE=${LATENCY_RATE:-1000}
LATENCY_SHARE=${LATENCY_SHARE:-0.5}
LATENCY_DURATION=${LATENCY_DURATION:-60}
ADMIN_KEY=bench-admin-$$

work=$(mktemp -d "${TMPDIR:-/tmp}/mambarec-bench-recommend.XXXXXX")
gclog=$work/gc.log
# shellcheck disable=SC2086
java $JAVA_OPTS $(stall_log_opts "$gclog") -jar "$JAR" --server.port="$PORT" \
    --mambarec.embedded-postgres.data-dir="$work/postgres" \
    --mambarec.bootstrap.dataset="$DATA" --mambarec.bootstrap.model="$MODEL_DIR" \
    --mambarec.retrain.on-empty-registry=false --mambarec.security.admin-api-key="$ADMIN_KEY" \
    > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT

echo "service pid $pid, log $work/service.log; waiting for the model to serve ..."
wait_for_model $pid "$work/service.log" 600
wait_for_lists $pid "$work/service.log"
curl -fsS "$BASE/recommend/0?k=3"; echo

phase_start=0
begin_phase() { phase_start=$(elapsed_s $pid); }
end_phase() { # label -> a line of the phase's stalls appended to stalls.txt
    read -r sp total max gc < <(stalls "$gclog" "$phase_start" "$(elapsed_s $pid)")
    printf "  %-34s %6d safepoints, %8.1f ms in all, longest %7.2f ms; %d GC pauses\n" "$1" "$sp" "$total" "$max" "$gc" \
        >> "$work/stalls.txt"
}
: > "$work/stalls.txt"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warm-up ${WARMUP}s per endpoint"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$BASE/actuator/health/liveness" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/random-user.lua "$BASE" > /dev/null

echo "trivial endpoint /actuator/health/liveness, ${TRIVIAL_DURATION}s, $THREADS threads, $CONNECTIONS connections"
begin_phase
c0=$(cpu_ticks $pid)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${TRIVIAL_DURATION}s" --latency "$BASE/actuator/health/liveness" | tee "$work/trivial.txt"
t_cpu=$(per_request "$c0" "$(cpu_ticks $pid)" "$work/trivial.txt")
end_phase "trivial, saturation"

echo "/recommend/{random of $NUSERS users}?k=20, ${DURATION}s; RSS every ${RSS_EVERY}s"
: > "$work/rss.txt"
( start=$(date +%s); while kill -0 $pid 2>/dev/null; do
      echo "$(( $(date +%s) - start )) $(rss_mb $pid)" >> "$work/rss.txt"; sleep "$RSS_EVERY"; done ) &
sampler=$!
begin_phase
allocated0=$(metric jvm.gc.memory.allocated)
c0=$(cpu_ticks $pid)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/random-user.lua "$BASE" | tee "$work/recommend.txt"
r_cpu=$(per_request "$c0" "$(cpu_ticks $pid)" "$work/recommend.txt")
allocated1=$(metric jvm.gc.memory.allocated)
end_phase "/recommend, saturation"
echo "$DURATION $(rss_mb $pid)" >> "$work/rss.txt"
kill $sampler 2>/dev/null || true
wait $sampler 2>/dev/null || true

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
# the service's own view of /recommend (time inside the application, without queueing in front of it)
server=$(curl -fsS "$BASE/actuator/metrics/mambarec.recommend?tag=strategy:model" | tr -d ' ' | awk -F'[][{},:"]+' '
    { for (i = 1; i < NF; i++) { if ($i == "statistic") s = $(i + 1); if ($i == "value") v[s] = $(i + 1) } }
    END { if (v["COUNT"] > 0) printf "%d requests, mean %.3f ms, max %.3f ms", v["COUNT"], 1000 * v["TOTAL_TIME"] / v["COUNT"], 1000 * v["MAX"] }')
read -r t_rps t_p99 t_bad < <(wrk_summary "$work/trivial.txt")
read -r r_rps r_p99 r_bad < <(wrk_summary "$work/recommend.txt")
echo
echo "=== results ($(nproc) cores, wrk on the same machine; load average $load_start at the start, $load_end at the end) ==="
printf "trivial   /actuator/health/liveness  %10s req/s  p99 %8s  non-2xx %s\n" "$t_rps" "$t_p99" "$t_bad"
printf "recommend /recommend/{user}?k=20     %10s req/s  p99 %8s  non-2xx %s\n" "$r_rps" "$r_p99" "$r_bad"
awk -v a="$r_rps" -v b="$t_rps" 'BEGIN { printf "recommend / trivial = %.2f (target >= 0.50)\n", a / b }'
echo "inside the service (timer mambarec.recommend, strategy model, since start-up): $server"
echo "service CPU time per request (user + system of its process, the steadier figure on a shared machine): trivial $t_cpu ms, /recommend $r_cpu ms"
outcomes=""
for outcome in list short not-ready; do
    outcomes="$outcomes $outcome $(metric "mambarec.recommend.candidates?tag=outcome:$outcome" 2>/dev/null || echo -)"
done
echo "unfiltered model requests since start-up by candidate-list outcome:$outcomes;" \
    "lists $(metric mambarec.serving.candidate.lists.bytes 2>/dev/null || echo -) bytes"
awk -v a="$allocated0" -v b="$allocated1" -v n="$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$work/recommend.txt")" \
    'BEGIN { if (n > 0) printf "heap allocated per /recommend request: %.1f KB (jvm.gc.memory.allocated over the run, counted at young GCs)\n", (b - a) / n / 1024 }'
echo "JVM: $JAVA_OPTS, $(grep -m1 -oE 'Using [A-Za-z0-9 ]+' "$gclog")"
echo "RSS of the service (MB) over the /recommend run, seconds -> MB:"
awk '{ printf "  %5ss %6s MB\n", $1, $2 }' "$work/rss.txt"
awk 'NR == 1 { first = $2; min = $2; max = $2 } { if ($2 < min) min = $2; if ($2 > max) max = $2; last = $2 }
     END { printf "RSS first %d MB, last %d MB, min %d MB, max %d MB\n", first, last, min, max }' "$work/rss.txt"

share_of() { awk -v r="$1" -v s="$LATENCY_SHARE" 'BEGIN { printf "%d", r * s }'; }
latency() { # label path rate -> one open-loop line appended to latency.txt
    local load0 load1
    load0=$(cut -d' ' -f1 /proc/loadavg)
    begin_phase
    open_loop "$1" "$2" "$3" "$LATENCY_DURATION" | tee -a "$work/latency.txt"
    end_phase "$1"
    load1=$(cut -d' ' -f1 /proc/loadavg)
    echo "  (load $load0 -> $load1)" >> "$work/latency.txt"
}
: > "$work/latency.txt"
if [ "${LATENCY:-1}" = 1 ]; then
    echo
    echo "latency at fixed rates (open loop, ${LATENCY_DURATION}s each after ${OPEN_LOOP_WARMUP:-10}s at the rate)"
    latency "trivial@$LATENCY_RATE" /actuator/health/liveness "$LATENCY_RATE"
    latency "recommend@$LATENCY_RATE" "/recommend/{user}?k=20" "$LATENCY_RATE"
    latency "recommend@$(share_of "$r_rps")" "/recommend/{user}?k=20" "$(share_of "$r_rps")"
fi
report_latency() {
    echo "latency, open loop (fixed rate; ms from when each request was due; rate ${LATENCY_SHARE} x saturation = the second /recommend line):"
    sed 's/^/  /' "$work/latency.txt"
    echo "service stalls (safepoints, GC pauses among them) by phase:"
    cat "$work/stalls.txt"
}
report_latency

[ "${SHOP:-1}" = 1 ] || exit 0
echo
echo "shop scenario: categories c0..c9 (item index mod 10), every 7th item out of stock, through PATCH /items ($NITEMS items)"
export BASE ADMIN_KEY
seq 0 $((NITEMS - 1)) | xargs -P 4 -n 50 sh -c 'for i; do
    available=true; [ $((i % 7)) -eq 0 ] && available=false
    curl -fsS -o /dev/null -X PATCH -H "X-API-Key: $ADMIN_KEY" -H "Content-Type: application/json" \
        -d "{\"categories\": [\"c$((i % 10))\"], \"available\": $available}" "$BASE/items/$i" || echo "PATCH $i failed"
done' sh
curl -fsS "$BASE/recommend/0?k=3&category=c1,c2"; echo
echo "/recommend/{random user}?k=20&category=c1,c2, ${SHOP_DURATION}s"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
QUERY="&category=c1,c2" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/random-user.lua "$BASE" > /dev/null
begin_phase
c0=$(cpu_ticks $pid)
QUERY="&category=c1,c2" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SHOP_DURATION}s" --latency -s bench/random-user.lua "$BASE" \
    | tee "$work/shop.txt"
s_cpu=$(per_request "$c0" "$(cpu_ticks $pid)" "$work/shop.txt")
end_phase "shop, saturation"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
read -r s_rps s_p99 s_bad < <(wrk_summary "$work/shop.txt")
if [ "${LATENCY:-1}" = 1 ]; then
    latency "shop@$LATENCY_RATE" "/recommend/{user}?k=20&category=c1,c2" "$LATENCY_RATE"
    latency "shop@$(share_of "$s_rps")" "/recommend/{user}?k=20&category=c1,c2" "$(share_of "$s_rps")"
fi
echo
echo "=== shop scenario ($(nproc) cores; load average $load_start at the start, $load_end at the end of its wrk run) ==="
printf "trivial   /actuator/health/liveness               %10s req/s  p99 %8s\n" "$t_rps" "$t_p99"
printf "shop      /recommend/{user}?k=20&category=c1,c2   %10s req/s  p99 %8s  non-2xx %s\n" "$s_rps" "$s_p99" "$s_bad"
awk -v a="$s_rps" -v b="$t_rps" 'BEGIN { printf "shop / trivial = %.2f (target >= 0.50)\n", a / b }'
echo "service CPU time per request: trivial $t_cpu ms, shop $s_cpu ms"
report_latency
