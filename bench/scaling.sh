#!/usr/bin/env bash
# Scaling benchmark: synthetic shops of 0.25M, 0.5M and 1M interactions (users and items grow with
# them: 15k/5k, 30k/10k, 60k/20k; image 512-d and text 384-d features; bench/SyntheticShop.java),
# each model trained for EPOCHS epochs in its own JVM with its defaults (steps_per_epoch auto: the
# scalable loop on all three), printing seconds per training epoch, peak resident memory and test
# Recall@20 at the best validation epoch.
#
#   bench/scaling.sh [JAR]      # JAR defaults to target/mambarec.jar
#
# Environment: SHOPS (where the shops are written, default /tmp/mambarec-shops), SIZES (default
# "250000 500000 1000000"), MODELS (default "mambarec lightgcn"), EPOCHS (default 3), THREADS
# (PyTorch intra-op threads, default 2), EXTRA (more benchmark arguments, e.g. "--param steps_per_epoch=64").
# Runs under nice; a 1M epoch takes minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/mambarec.jar}
shops=${SHOPS:-/tmp/mambarec-shops}
sizes=${SIZES:-250000 500000 1000000}
models=${MODELS:-mambarec lightgcn}
epochs=${EPOCHS:-3}
threads=${THREADS:-2}
mkdir -p "$shops"

printf '%-10s %-9s %-7s %10s %10s %12s %12s %10s %s\n' interactions model threads "s/epoch" "s/epoch*" "CPU s/epoch" "peak RSS MB" "test R@20" "load (start -> end)"
for size in $sizes; do
    users=$((size * 60000 / 1000000))
    items=$((size * 20000 / 1000000))
    name=shop$((size / 1000))k
    if [ ! -f "$shops/$name/$name.inter" ]; then
        java "$here/SyntheticShop.java" --out "$shops" --name "$name" --users "$users" --items "$items" \
            --interactions "$size" --modality image:512 --modality text:384 --seed 1 >&2
    fi
    for model in $models; do
        load0=$(cut -d' ' -f1 /proc/loadavg)
        log="$shops/$name-$model.log"
        # shellcheck disable=SC2086
        nice -n 10 java -Dai.djl.pytorch.num_threads="$threads" -jar "$jar" benchmark --data "$shops/$name" \
            --models "$model" --epochs "$epochs" ${EXTRA:-} > "$log" 2>&1
        load1=$(cut -d' ' -f1 /proc/loadavg)
        mean=$(grep -oE "$model: [0-9.]+ s per training epoch" "$log" | grep -oE '[0-9.]+ s' | cut -d' ' -f1)
        steady=$(grep -oE '[0-9.]+ s without the first' "$log" | cut -d' ' -f1)
        peak=$(grep -oE 'peak RSS [0-9]+ MB;' "$log" | grep -oE '[0-9]+')
        recall=$(grep -oE 'test Recall@20 [0-9.]+' "$log" | cut -d' ' -f3)
        cpu=$(grep -oE 'process CPU +[0-9.]+' "$log" | awk '{s += $3; n++} END {if (n) printf "%.2f", s / n}')
        printf '%-10s %-9s %-7s %10s %10s %12s %12s %10s %s\n' "$size" "$model" "$threads" "$mean" "$steady" "$cpu" "$peak" "$recall" "$load0 -> $load1"
    done
done
echo "s/epoch: mean training seconds per epoch (evaluation excluded); s/epoch*: without the first epoch;"
echo "CPU s/epoch: the process's CPU seconds per epoch, evaluation included (on a loaded machine the steadier figure); logs in $shops"
