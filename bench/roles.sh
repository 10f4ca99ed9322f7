#!/usr/bin/env bash
# Serving beside training, as separate processes: a `server` and a `trainer` on one database.
#
#   bench/roles.sh [MODEL_DIR]
#
# Starts a `server` process (target/mambarec.jar) on a fresh embedded PostgreSQL (temporary folder,
# port PGPORT) with DATA (default ../shared/datasets/tiktok) imported and MODEL_DIR (default
# runs/tiktok-lightgcn, the output of `java -jar target/mambarec.jar train ...`) served, then
#   1. /recommend/{random user}?k=20 under wrk for DURATION seconds with no training anywhere;
#   2. starts a `trainer` process on the same database (TRAINER_THREADS PyTorch threads, default 1),
#      queues a MambaRec job through the server, waits for its first epoch, and runs the same wrk
#      load while it trains;
#   3. kills the trainer with SIGKILL mid-job, starts it again, and measures the time until the job
#      runs again and the epochs lost (epoch reached at the kill minus the checkpoint resumed from);
# and prints requests/s and p99 of 1 and 2, the server's and the trainer's resident memory over
# the runs, and the figures of 3. Needs wrk and curl. Settings: DURATION (120), THREADS (2),
# CONNECTIONS (8), PORT (18080), TRAINER_PORT (18081), PGPORT (15432), JAVA_OPTS (-Xms1g -Xmx1g).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
bench_setup "$@"
DURATION=${DURATION:-120}
TRAINER_PORT=${TRAINER_PORT:-18081}
PGPORT=${PGPORT:-15432}
TRAINER_THREADS=${TRAINER_THREADS:-1}
KEY=bench-admin-key

work=$(mktemp -d "${TMPDIR:-/tmp}/mambarec-bench-roles.XXXXXX")
server_pid=""; trainer_pid=""
cleanup() { for p in $trainer_pid $server_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --mambarec.role=server \
    --mambarec.replica-id=bench-server --mambarec.security.admin-api-key=$KEY \
    --mambarec.embedded-postgres.data-dir="$work/postgres" --mambarec.embedded-postgres.port="$PGPORT" \
    --mambarec.bootstrap.dataset="$DATA" --mambarec.bootstrap.model="$MODEL_DIR" \
    --mambarec.retrain.on-empty-registry=false > "$work/server.log" 2>&1 &
server_pid=$!
start_trainer() {
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$JAR" --server.port="$TRAINER_PORT" --mambarec.role=trainer \
        --mambarec.replica-id=bench-trainer --mambarec.training.threads="$TRAINER_THREADS" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PGPORT/mambarec" --spring.datasource.username=postgres \
        --mambarec.jobs.lease=15s >> "$work/trainer.log" 2>&1 &
    trainer_pid=$!
}
echo "server pid $server_pid, log $work/server.log; waiting for the model to serve ..."
wait_for_model "$server_pid" "$work/server.log" 900

sample_rss() { # label seconds -> appends "t server trainer" lines
    local start; start=$(date +%s)
    while [ $(( $(date +%s) - start )) -le "$2" ]; do
        echo "$1 $(( $(date +%s) - start )) $(rss_mb "$server_pid") $( [ -n "$trainer_pid" ] && rss_mb "$trainer_pid" || echo -)" >> "$work/rss.txt"
        sleep 15
    done
}
job_field() { curl -fsS -H "X-API-Key: $KEY" "$BASE/retrain/$job" | sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\\1/"; }

wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s bench/random-user.lua "$BASE" > /dev/null
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "1. /recommend with no training, ${DURATION}s"
sample_rss idle "$DURATION" & s1=$!
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/random-user.lua "$BASE" > "$work/idle.txt"
wait $s1 || true

echo "2. trainer ($TRAINER_THREADS thread) training MambaRec on $name; waiting for its first epoch ..."
start_trainer
job=$(curl -fsS -X POST -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
      -d '{"model": "mambarec", "force": false}' "$BASE/retrain" | sed -E 's/.*"jobId":"([^"]+)".*/\1/')
for _ in $(seq 1 1800); do [ "$(job_field epoch)" -ge 1 ] 2>/dev/null && break; sleep 1; done
load2=$(cut -d' ' -f1-3 /proc/loadavg)
sample_rss training "$DURATION" & s2=$!
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/random-user.lua "$BASE" > "$work/training.txt"
wait $s2 || true
epochs_during=$(job_field epoch); spe=$(job_field secondsPerEpoch)

echo "3. kill -9 of the trainer mid-job, start again"
for _ in $(seq 1 600); do [ "$(job_field epoch)" -ge 2 ] 2>/dev/null && break; sleep 1; done
kill -9 "$trainer_pid"; wait "$trainer_pid" 2>/dev/null || true
killed=$(date +%s.%N); epoch_at_kill=$(job_field epoch)
start_trainer
for _ in $(seq 1 600); do
    [ "$(job_field attempts)" = "2" ] && [ "$(job_field status)" = "RUNNING" ] && break; sleep 0.5
done
running_again=$(date +%s.%N)
for _ in $(seq 1 600); do [ "$(job_field resumedFromEpoch)" != "null" ] && break; sleep 0.5; done
resumed_from=$(job_field resumedFromEpoch)
curl -fsS -X DELETE -H "X-API-Key: $KEY" "$BASE/retrain/$job" > /dev/null

read -r i_rps i_p99 i_bad < <(wrk_summary "$work/idle.txt")
read -r t_rps t_p99 t_bad < <(wrk_summary "$work/training.txt")
echo
echo "=== results ($(nproc) cores; wrk, server and trainer on the same machine) ==="
printf "no training      %10s req/s  p99 %8s  non-2xx %s   (load average at start %s)\n" "$i_rps" "$i_p99" "$i_bad" "$load1"
printf "trainer training %10s req/s  p99 %8s  non-2xx %s   (load average at start %s)\n" "$t_rps" "$t_p99" "$t_bad" "$load2"
echo "training meanwhile: epoch $epochs_during reached, $spe s per epoch (trainer, $TRAINER_THREADS PyTorch thread)"
awk '{ if ($4 != "-") t[$1] = t[$1] " " $4; s[$1] = s[$1] " " $3 }
     END { for (k in s) printf "RSS MB, %s phase, every 15 s: server%s%s\n", k, s[k], (t[k] == "" ? "" : " | trainer" t[k]) }' "$work/rss.txt"
awk -v k="$killed" -v r="$running_again" -v e="$epoch_at_kill" -v f="$resumed_from" \
    'BEGIN { printf "trainer kill -9 at epoch %d: job running again after %.1f s (lease 15 s), resumed from epoch %d, epochs lost %d\n", e, r - k, f, e - f }'
