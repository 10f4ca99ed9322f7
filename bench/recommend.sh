#!/usr/bin/env bash
# Load test of GET /recommend/{random known user} against a trivial endpoint, in one run.
#
#   bench/recommend.sh [MODEL_DIR]
#
# Starts target/mambarec.jar on a fresh embedded PostgreSQL (temporary folder) with
# DATA (default ../shared/datasets/tiktok) imported and MODEL_DIR (default runs/tiktok-lightgcn,
# the output folder of `java -jar target/mambarec.jar train ...`) registered and served, then
#   1. warms up both endpoints (WARMUP seconds each),
#   2. runs wrk on the trivial endpoint /actuator/health/liveness (TRIVIAL_DURATION seconds),
#   3. runs wrk on /recommend/{random user}?k=20 (DURATION seconds, default 600) while sampling the
#      service's resident memory (VmRSS) every RSS_EVERY seconds,
# and prints requests/s and p99 of both, their ratio, and RSS over time; then the second scenario, a
# shop's filters (SHOP=0 skips it):
#   4. gives every item a category (c0..c9: item index mod 10) and takes every 7th item out of stock,
#      through PATCH /items/{id} (admin),
#   5. runs wrk on /recommend/{random user}?k=20&category=c1,c2 (SHOP_DURATION seconds, default
#      DURATION): 20% of the catalogue in the categories, 1/7 of it out of stock, filtered inside
#      the top-k scan,
# and prints its requests/s, p99 and ratio to the trivial endpoint.
# Needs wrk (Debian: apt-get install wrk) and curl. Settings: THREADS (2), CONNECTIONS (8),
# PORT (18080), JAVA_OPTS (-Xms1g -Xmx1g).
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_DIR=$(realpath "${1:-runs/tiktok-lightgcn}")
if [ -z "${DATA:-}" ]; then   # the team's shared data next to the checkout (or next to its worktree folder)
    for d in ../shared/datasets/tiktok ../../shared/datasets/tiktok; do [ -d "$d" ] && DATA=$d && break; done
fi
DATA=$(realpath "${DATA:?set DATA to the tiktok MMRec folder}")
DURATION=${DURATION:-600}
TRIVIAL_DURATION=${TRIVIAL_DURATION:-60}
WARMUP=${WARMUP:-30}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-18080}
RSS_EVERY=${RSS_EVERY:-30}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -f "$MODEL_DIR/model.json" ] || { echo "no trained model in $MODEL_DIR (java -jar target/mambarec.jar train ...)" >&2; exit 2; }
[ -f target/mambarec.jar ] || ./mvnw -B -q package -DskipTests
name=$(basename "$DATA")
NUSERS=$(awk -F'\t' 'NR == 1 { for (c = 1; c <= NF; c++) if ($c == "userID") col = c; next }
                     { if ($col + 0 > max) max = $col + 0 } END { print max + 1 }' "$DATA/$name.inter")
NITEMS=$(awk -F'\t' 'NR == 1 { for (c = 1; c <= NF; c++) if ($c == "itemID") col = c; next }
                     { if ($col + 0 > max) max = $col + 0 } END { print max + 1 }' "$DATA/$name.inter")
export NUSERS
SHOP_DURATION=${SHOP_DURATION:-$DURATION}
ADMIN_KEY=bench-admin-$$

work=$(mktemp -d)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar target/mambarec.jar --server.port="$PORT" \
    --mambarec.embedded-postgres.data-dir="$work/postgres" \
    --mambarec.bootstrap.dataset="$DATA" --mambarec.bootstrap.model="$MODEL_DIR" \
    --mambarec.retrain.on-empty-registry=false --mambarec.security.admin-api-key="$ADMIN_KEY" \
    > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

echo "service pid $pid, log $work/service.log; waiting for the model to serve ..."
for _ in $(seq 1 600); do
    if curl -fsS "$BASE/recommend/0?k=1" 2>/dev/null | grep -q '"strategy":"model"'; then break; fi
    kill -0 $pid 2>/dev/null || { tail -30 "$work/service.log"; exit 1; }
    sleep 1
done
curl -fsS "$BASE/recommend/0?k=3"; echo

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
summary() { # file -> "rps p99"
    awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
         END { printf "%s %s %s\n", rps, p99, (bad == "" ? 0 : bad) }' "$1"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warm-up ${WARMUP}s per endpoint"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$BASE/actuator/health/liveness" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/random-user.lua "$BASE" > /dev/null

echo "trivial endpoint /actuator/health/liveness, ${TRIVIAL_DURATION}s, $THREADS threads, $CONNECTIONS connections"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${TRIVIAL_DURATION}s" --latency "$BASE/actuator/health/liveness" | tee "$work/trivial.txt"

echo "/recommend/{random of $NUSERS users}?k=20, ${DURATION}s; RSS every ${RSS_EVERY}s"
: > "$work/rss.txt"
( start=$(date +%s); while kill -0 $pid 2>/dev/null; do
      echo "$(( $(date +%s) - start )) $(rss_mb)" >> "$work/rss.txt"; sleep "$RSS_EVERY"; done ) &
sampler=$!
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/random-user.lua "$BASE" | tee "$work/recommend.txt"
echo "$DURATION $(rss_mb)" >> "$work/rss.txt"
kill $sampler 2>/dev/null || true

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
# the service's own view of /recommend (time inside the application, without queueing in front of it)
server=$(curl -fsS "$BASE/actuator/metrics/mambarec.recommend?tag=strategy:model" | tr -d ' ' | awk -F'[][{},:"]+' '
    { for (i = 1; i < NF; i++) { if ($i == "statistic") s = $(i + 1); if ($i == "value") v[s] = $(i + 1) } }
    END { if (v["COUNT"] > 0) printf "%d requests, mean %.3f ms, max %.3f ms", v["COUNT"], 1000 * v["TOTAL_TIME"] / v["COUNT"], 1000 * v["MAX"] }')
read -r t_rps t_p99 t_bad < <(summary "$work/trivial.txt")
read -r r_rps r_p99 r_bad < <(summary "$work/recommend.txt")
echo
echo "=== results ($(nproc) cores, wrk on the same machine; load average $load_start at the start, $load_end at the end) ==="
printf "trivial   /actuator/health/liveness  %10s req/s  p99 %8s  non-2xx %s\n" "$t_rps" "$t_p99" "$t_bad"
printf "recommend /recommend/{user}?k=20     %10s req/s  p99 %8s  non-2xx %s\n" "$r_rps" "$r_p99" "$r_bad"
awk -v a="$r_rps" -v b="$t_rps" 'BEGIN { printf "recommend / trivial = %.2f (target >= 0.50)\n", a / b }'
echo "inside the service (timer mambarec.recommend, strategy model, since start-up): $server"
echo "RSS of the service (MB) over the /recommend run, seconds -> MB:"
awk '{ printf "  %5ss %6s MB\n", $1, $2 }' "$work/rss.txt"
awk 'NR == 1 { first = $2; min = $2; max = $2 } { if ($2 < min) min = $2; if ($2 > max) max = $2; last = $2 }
     END { printf "RSS first %d MB, last %d MB, min %d MB, max %d MB\n", first, last, min, max }' "$work/rss.txt"

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
QUERY="&category=c1,c2" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SHOP_DURATION}s" --latency -s bench/random-user.lua "$BASE" \
    | tee "$work/shop.txt"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
read -r s_rps s_p99 s_bad < <(summary "$work/shop.txt")
echo
echo "=== shop scenario ($(nproc) cores; load average $load_start at the start, $load_end at the end) ==="
printf "trivial   /actuator/health/liveness               %10s req/s  p99 %8s\n" "$t_rps" "$t_p99"
printf "shop      /recommend/{user}?k=20&category=c1,c2   %10s req/s  p99 %8s  non-2xx %s\n" "$s_rps" "$s_p99" "$s_bad"
awk -v a="$s_rps" -v b="$t_rps" 'BEGIN { printf "shop / trivial = %.2f (target >= 0.50, p99 < 10 ms)\n", a / b }'
