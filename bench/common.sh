# Shared start-up of the serving benchmarks (bench/recommend.sh, bench/roles.sh); sourced, not run.
#
#   bench_setup [MODEL_DIR]
#       cd to the checkout; MODEL_DIR (default runs/tiktok-lightgcn) and DATA (default the team's
#       ../shared/datasets/tiktok next to the checkout or its worktree folder) made absolute; name
#       (the dataset's folder name), NUSERS (exported, for bench/random-user.lua) and NITEMS from
#       its .inter file; THREADS (2), CONNECTIONS (8), PORT (18080), JAVA_OPTS (-Xms1g -Xmx1g) and
#       BASE defaulted; JAR (default target/mambarec.jar, built if missing) made absolute; checks
#       wrk, curl and the model.
#   wait_for_model PID LOG [SECONDS]   until BASE answers /recommend/0 with strategy model
#   wait_for_lists PID LOG [SECONDS]   until the served version's candidate lists are built (at once
#                                      for a jar without them)
#   wrk_summary FILE                   "requests/s p99 non-2xx" of a wrk --latency output
#   metric NAME                        a counter's or gauge's value from /actuator/metrics/NAME
#   cpu_ticks PID                      user + system CPU time of a process so far, in clock ticks
#   per_request TICKS0 TICKS1 WRKFILE  CPU milliseconds per request of a wrk run between the two
#   rss_mb PID                         resident memory of a process in MB (0 when it is gone)
#   open_loop LABEL PATH RATE SECONDS  bench/OpenLoop.java at a fixed rate (OPEN_LOOP_CONNECTIONS,
#                                      default 32; OPEN_LOOP_WARMUP seconds first, default 10)
#   stall_log_opts LOG                 JVM options logging GC and safepoints to LOG
#   stalls LOG FROM TO                 "safepoints total_ms max_ms gc_pauses" between the JVM's
#                                      uptimes FROM and TO (seconds; elapsed_s PID gives it)

bench_setup() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    MODEL_DIR=$(realpath "${1:-runs/tiktok-lightgcn}")
    if [ -z "${DATA:-}" ]; then
        for d in ../shared/datasets/tiktok ../../shared/datasets/tiktok; do [ -d "$d" ] && DATA=$d && break; done
    fi
    DATA=$(realpath "${DATA:?set DATA to the tiktok MMRec folder}")
    THREADS=${THREADS:-2}
    CONNECTIONS=${CONNECTIONS:-8}
    PORT=${PORT:-18080}
    JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
    BASE=http://127.0.0.1:$PORT

    command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
    command -v curl >/dev/null || { echo "curl is missing: apt-get install -y curl" >&2; exit 2; }
    [ -f "$MODEL_DIR/model.json" ] ||
        { echo "no trained model in $MODEL_DIR (java -jar target/mambarec.jar train ...)" >&2; exit 2; }
    if [ -z "${JAR:-}" ]; then
        JAR=target/mambarec.jar
        [ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
    fi
    JAR=$(realpath "$JAR")
    name=$(basename "$DATA")
    NUSERS=$(max_id_plus_one userID)
    NITEMS=$(max_id_plus_one itemID)
    export NUSERS
}

max_id_plus_one() { # column name -> 1 + its largest value in the dataset's .inter file
    awk -F'\t' -v name="$1" 'NR == 1 { for (c = 1; c <= NF; c++) if ($c == name) col = c; next }
                             { if ($col + 0 > max) max = $col + 0 } END { print max + 1 }' "$DATA/$name.inter"
}

wait_for_model() { # pid log [seconds]
    for _ in $(seq 1 "${3:-900}"); do
        if curl -fsS "$BASE/recommend/0?k=1" 2>/dev/null | grep -q '"strategy":"model"'; then return 0; fi
        kill -0 "$1" 2>/dev/null || { tail -30 "$2"; exit 1; }
        sleep 1
    done
    echo "no model served after ${3:-900} s" >&2
    exit 1
}

wait_for_lists() { # pid log [seconds]
    local started=$SECONDS
    for _ in $(seq 1 "${3:-1800}"); do
        case "$(metric mambarec.serving.candidate.lists.ready 2>/dev/null || echo none)" in
            1*) echo "candidate lists built in about $((SECONDS - started)) s: $(grep -m1 -o 'candidate lists of model version.*' "$2" || true)"; return 0 ;;
            none | "") return 0 ;;
        esac
        kill -0 "$1" 2>/dev/null || { tail -30 "$2"; exit 1; }
        sleep 1
    done
    echo "candidate lists not built after ${3:-1800} s" >&2
    exit 1
}

wrk_summary() {
    awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
         END { printf "%s %s %s\n", rps, p99, (bad == "" ? 0 : bad) }' "$1"
}

metric() {
    curl -fsS "$BASE/actuator/metrics/$1" | tr -d ' ' | sed -nE 's/.*"statistic":"(COUNT|VALUE)","value":([0-9.eE+-]+).*/\2/p'
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

per_request() {
    awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v n="$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$3")" \
        'BEGIN { if (n > 0) printf "%.3f", 1000 * (b - a) / hz / n }'
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# HdrHistogram (Maven Central, a dependency of Micrometer, so normally in the local repository) for bench/OpenLoop.java
open_loop_classpath() {
    local jar=target/bench-lib/HdrHistogram-2.2.2.jar
    if [ ! -f "$jar" ]; then
        ./mvnw -B -q -ntp dependency:copy -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 \
            -DoutputDirectory=target/bench-lib >&2
    fi
    echo "$jar"
}

open_loop() { # label path rate seconds -> one line of percentiles
    java -XX:+UseSerialGC -Xmx256m -cp "$(open_loop_classpath)" bench/OpenLoop.java --base "$BASE" \
        --label "$1" --path "$2" --users "$NUSERS" --rate "$3" --duration "$4" \
        --warmup "${OPEN_LOOP_WARMUP:-10}" --connections "${OPEN_LOOP_CONNECTIONS:-32}"
}

elapsed_s() { ps -o etimes= -p "$1" | tr -d ' '; } # seconds since a process started (~ its JVM uptime)

# JVM options that log every safepoint (GC pauses included) with its uptime, for stalls
stall_log_opts() { echo "-Xlog:gc,safepoint:file=$1:uptime,tags"; }

stalls() { # log from to (uptime seconds) -> "safepoints total_ms max_ms gc_pauses" between the two
    awk -v from="$2" -v to="$3" '
        match($0, /^\[[0-9.]+s\]/) { t = substr($0, 2, RLENGTH - 3) + 0; if (t < from || t > to) next }
        /\[safepoint\]/ && match($0, /Total: [0-9]+ ns/) {
            ms = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; n++; sum += ms; if (ms > max) max = ms }
        /\[gc *\]/ && /Pause/ { gc++ }
        END { printf "%d %.1f %.2f %d\n", n, sum, max, gc }' "$1"
}
