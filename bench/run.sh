#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR]: the performance benchmark of issue 7, run by hand (docs/benchmarks.md).
# Starts nginx (policy service + delivery target) and pacifica-notifications on 127.0.0.1 with
# fresh SQLite databases in a temporary directory, then measures, side by side:
#   limit (nginx answering wrk), ingest (/receive acks/s), end-to-end (deliveries/s of a burst;
#   ack-to-arrival latency at a steady rate), scaling (match cost and RSS with many
#   subscriptions), idle (RSS and CPU).
# Everything it starts is stopped at exit. Knobs (environment, all optional):
#   BENCH_SECONDS=10 (wrk runs)   BENCH_E2E_EVENTS=1000   BENCH_E2E_TIMEOUT=120
#   BENCH_LATENCY_RUNS="1000:1 1000:10 20:1" (events/s:matching subscriptions)
#   BENCH_LATENCY_SECONDS=10
#   BENCH_SCALE_SUBS=100000  BENCH_IDLE_SECONDS=10  BENCH_KEEP=1 (keep the temp dir)
#   BENCH_PROFILE=perf (record the server with perf during ingest and end-to-end)
#   BENCH_SERVER_INI="[delivery]\nmax_in_flight_per_target = 64" (appended to the server config)
#   BENCH_ONLY="limit ingest e2e latency scaling idle" (phases to run)
#   BENCH_TMPDIR=/tmp (where the databases live; /dev/shm shows the cost without disk flushes)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$repo/build}" 2>/dev/null && pwd) || {
  echo "bench/run.sh: build directory '${1:-$repo/build}' not found; run 'make build' first" >&2
  exit 1
}
bin=$build/bin
seconds=${BENCH_SECONDS:-10}
e2e_events=${BENCH_E2E_EVENTS:-1000}
e2e_timeout=${BENCH_E2E_TIMEOUT:-120}
latency_seconds=${BENCH_LATENCY_SECONDS:-10}
# RATE:MATCHING pairs; the target applies at 1,000 events/s, the low rate shows the floor.
latency_runs=${BENCH_LATENCY_RUNS:-"1000:1 1000:10 20:1"}
scale_subs=${BENCH_SCALE_SUBS:-100000}
idle_seconds=${BENCH_IDLE_SECONDS:-10}
only=${BENCH_ONLY:-"limit ingest e2e latency scaling idle"}
body=$repo/testdata/events/example-ingest-event.json
subs=100
matching=10

missing=()
for tool in /usr/sbin/nginx wrk curl awk ss; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "bench/run.sh: missing ${missing[*]}: apt-get install -y nginx-light wrk curl gawk iproute2" >&2
  exit 1
fi
for b in pacifica-notifications match_bench pn_bench_seed pn_bench_probe; do
  if [[ ! -x $bin/$b ]]; then
    echo "bench/run.sh: $bin/$b not found; build it with" \
         "'cmake --build $build --target pacifica-notifications match_bench pn_bench_seed" \
         "pn_bench_probe' (configured with -DPN_BUILD_BENCH=ON, the default)" >&2
    exit 1
  fi
done
if [[ ${BENCH_PROFILE:-} == perf ]] && ! command -v perf >/dev/null; then
  echo "bench/run.sh: BENCH_PROFILE=perf needs perf: apt-get install -y linux-perf" >&2
  exit 1
fi

work=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/pn-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ ${BENCH_KEEP:-} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
  local keep=() p
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}

# A port below the kernel's ephemeral range (outgoing connections take ports from that range,
# so a port picked there can be taken between the check and the bind) that no socket uses.
free_port() {
  local p low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((low > 12000)) || low=32768
  for _ in $(seq 1 100); do
    p=$((10000 + RANDOM % (low - 10000)))
    if [[ -z $(ss -Htan "sport = :$p") ]]; then echo "$p"; return; fi
  done
  echo "bench/run.sh: no free port found" >&2
  return 1
}

# Waits (bounded) until curl gets 200 from $1.
wait_http() {
  for _ in $(seq 1 300); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "$1" || true) == 200 ]]; then return 0; fi
    sleep 0.1
  done
  echo "bench/run.sh: $1 did not answer 200 within 30 s" >&2
  return 1
}

lines() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# Waits until file $1 has at least $2 lines or $3 seconds pass; prints the count reached.
wait_lines() {
  local deadline=$((SECONDS + $3)) n
  while :; do
    n=$(lines "$1")
    if ((n >= $2 || SECONDS >= deadline)); then echo "$n"; return; fi
    sleep 0.05
  done
}

# ---- nginx -----------------------------------------------------------------------------------
ngx=$work/nginx
mkdir -p "$ngx/tmp"
ngx_port=$(free_port)
user_line=""
if ((EUID == 0)); then user_line="user root;"; fi
sed -e "s|@PREFIX@|$ngx|g" -e "s|@PORT@|$ngx_port|g" -e "s|@WORKERS@|2|g" \
    -e "s|@USER_LINE@|$user_line|g" "$repo/bench/nginx.conf.in" >"$ngx/nginx.conf"
/usr/sbin/nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
pids+=($!)
wait_http "http://127.0.0.1:$ngx_port/stub_status"
policy_log=$ngx/policy.log
target_log=$ngx/target.log
: >"$policy_log"; : >"$target_log"

# ---- our server ------------------------------------------------------------------------------
server_pid=""
server_port=""
# start_server NAME [DB]: a server on a fresh (or the given) database, nginx as policy service.
start_server() {
  local dir=$work/$1
  mkdir -p "$dir"
  local db=${2:-$dir/notifications.db}
  server_port=$(free_port)
  {
    echo "[notifications]"
    echo "policy_url = http://127.0.0.1:$ngx_port"
    echo "[database]"
    echo "peewee_url = sqliteext:///$db"
    if [[ -n ${BENCH_SERVER_INI:-} ]]; then printf '%b\n' "$BENCH_SERVER_INI"; fi
  } >"$dir/config.ini"
  "$bin/pacifica-notifications" -c "$dir/config.ini" -a 127.0.0.1 -p "$server_port" \
      >"$dir/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  if ! wait_http "http://127.0.0.1:$server_port/health"; then
    tail -20 "$dir/server.log" >&2
    exit 1
  fi
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  forget_pid "$server_pid"
  server_pid=""
}

# create_subs COUNT MATCHING TARGET_BASE: through POST /eventmatch.
create_subs() {
  local n=0 b
  while IFS= read -r b; do
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
        -H 'Http-Remote-User: bench' --data "$b" "http://127.0.0.1:$server_port/eventmatch" || {
      echo "bench/run.sh: creating subscription $n failed" >&2
      exit 1
    }
    n=$((n + 1))
  done < <("$bin/pn_bench_seed" bodies "$1" "$2" eventtype-first "$3")
}

rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

profile_start() {  # profile_start NAME: perf on the server for $seconds s (optional)
  perf_pid=""
  if [[ ${BENCH_PROFILE:-} == perf ]]; then
    perf record -F 499 -g -p "$server_pid" -o "$work/perf-$1.data" -- sleep "$seconds" \
        >"$work/perf-$1.log" 2>&1 &
    perf_pid=$!
    pids+=("$perf_pid")
    # Durable commits and writes: each fsync/fdatasync costs a disk flush (see the summary).
    perf stat -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_write \
        -e syscalls:sys_enter_pwrite64,task-clock -p "$server_pid" -o "$work/perf-$1.stat" \
        -- sleep "$seconds" >/dev/null 2>&1 &
    perf_stat_pid=$!
    pids+=("$perf_stat_pid")
  fi
}
profile_end() {  # profile_end NAME
  if [[ -n ${perf_pid:-} ]]; then
    wait "$perf_pid" "$perf_stat_pid" 2>/dev/null || true
    forget_pid "$perf_pid"
    forget_pid "$perf_stat_pid"
    perf report -i "$work/perf-$1.data" --stdio --no-children --percent-limit 1.5 \
        --sort dso,symbol 2>/dev/null | awk '$1 ~ /^[0-9.]+%$/' | head -20 |
        awk '{ line = $1 "  " $2 "  "; for (i = 4; i <= NF && $i != "-"; i++) line = line " " $i;
               print substr(line, 1, 110) }' >"$work/perf-$1.top" || true
    echo "  profile ($1, self time, top symbols):"
    sed 's/^/    /' "$work/perf-$1.top"
    echo "  syscalls and CPU of the server over the same ${seconds} s:"
    awk '/syscalls:|task-clock/ {printf "    %14s  %s\n", $1, $2}' "$work/perf-$1.stat"
  fi
}

declare -A result
run() { [[ " $only " == *" $1 "* ]]; }
fmt() { awk -v v="$1" 'BEGIN { if (v == "" || v == "-") print "-"; else printf "%.0f", v }'; }

echo "pacifica-notifications benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nginx on 127.0.0.1:$ngx_port, work dir $work"
echo

# ---- limit -----------------------------------------------------------------------------------
if run limit; then
  echo "== limit: nginx answering wrk (POST of the event body, 2 threads, 32 connections, ${seconds} s)"
  out=$(PN_BENCH_BODY=$body wrk -t2 -c32 -d"${seconds}s" -s "$repo/bench/wrk_post.lua" \
      "http://127.0.0.1:$ngx_port/t/limit")
  result[limit]=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  echo "$out" | sed -n 's/^/  /; /Requests\/sec\|Latency\|non_200/p'
  echo
fi

# ---- ingest ----------------------------------------------------------------------------------
if run ingest; then
  echo "== ingest: durable /receive acks/s (wrk, 2 threads, 32 connections, ${seconds} s;" \
       "$subs subscriptions, $matching matching)"
  start_server ingest
  create_subs $subs $matching "http://127.0.0.1:$ngx_port/t/"
  t0=$(lines "$target_log")
  profile_start ingest
  out=$(PN_BENCH_BODY=$body wrk -t2 -c32 -d"${seconds}s" -s "$repo/bench/wrk_post.lua" \
      "http://127.0.0.1:$server_port/receive")
  profile_end ingest
  delivered=$(( $(lines "$target_log") - t0 ))
  result[ingest]=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  echo "$out" | sed -n 's/^/  /; /Requests\/sec\|Latency\|non_200\|Non-2xx\|Socket errors/p'
  echo "  deliveries completed meanwhile: $delivered ($(fmt "$(awk -v d="$delivered" -v s="$seconds" 'BEGIN {print d / s}')")/s)"
  stop_server
  echo "  same without any matching subscription (no delivery work competing for the database):"
  start_server ingest-nomatch
  create_subs $subs 0 "http://127.0.0.1:$ngx_port/t/"
  profile_start ingest-nomatch
  out=$(PN_BENCH_BODY=$body wrk -t2 -c32 -d"${seconds}s" -s "$repo/bench/wrk_post.lua" \
      "http://127.0.0.1:$server_port/receive")
  profile_end ingest-nomatch
  result[ingest0]=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  echo "$out" | sed -n 's/^/  /; /Requests\/sec\|Latency\|non_200\|Non-2xx\|Socket errors/p'
  stop_server
  echo
fi

# ---- end-to-end ------------------------------------------------------------------------------
if run e2e; then
  echo "== end-to-end: burst of $e2e_events events (32 connections), $subs subscriptions," \
       "$matching matching: until every delivery arrived at nginx"
  start_server e2e
  create_subs $subs $matching "http://127.0.0.1:$ngx_port/t/"
  t0=$(lines "$target_log")
  p0=$(lines "$policy_log")
  profile_start e2e
  out=$("$bin/pn_bench_probe" burst --server "$server_port" --body "$body" \
      --events "$e2e_events" --connections 32)
  start_ms=$(awk -F= '/^start_epoch_ms/ {print $2}' <<<"$out")
  acked=$(awk -F= '/^acked/ {print $2}' <<<"$out")
  ack_s=$(awk -F= '/^ack_seconds/ {print $2}' <<<"$out")
  expect=$((acked * matching))
  reached=$(wait_lines "$target_log" $((t0 + expect)) "$e2e_timeout")
  profile_end e2e
  got=$((reached - t0))
  last_ms=$(tail -n +"$((t0 + 1))" "$target_log" | awk '{ if ($1 > m) m = $1 } END { printf "%.3f", m * 1000 }')
  result[e2e]=$(awk -v n="$got" -v a="$start_ms" -v b="$last_ms" 'BEGIN { if (b > a) print n / ((b - a) / 1000); else print 0 }')
  echo "  acked $acked events in ${ack_s} s ($(fmt "$(awk -v a="$acked" -v s="$ack_s" 'BEGIN {print a / s}')") events/s)"
  echo "  deliveries arrived: $got of $expect (policy calls: $(( $(lines "$policy_log") - p0 )))," \
       "last $(awk -v a="$start_ms" -v b="$last_ms" 'BEGIN {printf "%.2f", (b - a) / 1000}') s after the first send"
  ((got == expect)) || echo "  WARNING: not every delivery arrived within ${e2e_timeout} s"
  stop_server
  echo
fi

# ---- latency ---------------------------------------------------------------------------------
if run latency; then
  for spec in $latency_runs; do
    r=${spec%%:*}
    m=${spec##*:}
    echo "== latency: ack -> arrival at $r events/s for $latency_seconds s (+2 s warm-up)," \
         "$subs subscriptions, $m matching ($((r * m)) deliveries/s)"
    start_server "latency-$r-$m"
    probe_port=$(free_port)
    create_subs $subs "$m" "http://127.0.0.1:$probe_port/t/"
    out=$("$bin/pn_bench_probe" latency --server "$server_port" --listen "$probe_port" \
        --body "$body" --rate "$r" --seconds "$latency_seconds" --warmup 2 \
        --connections 16 --expect-per-event "$m" --drain-seconds 30)
    echo "$out" | tr '\n' ' ' | fold -s -w 100 | sed 's/^/  /'
    echo
    result[p50_$spec]=$(awk -F= '/^p50_ms/ {print $2}' <<<"$out")
    result[p99_$spec]=$(awk -F= '/^p99_ms/ {print $2}' <<<"$out")
    result[rate_$spec]=$(awk -F= '/^rate/ {print $2}' <<<"$out")
    stop_server
    echo
  done
fi

# ---- scaling ---------------------------------------------------------------------------------
if run scaling; then
  echo "== scaling: match cost per event (Google Benchmark, CPU time; 10 of N subscriptions match)"
  "$bin/match_bench" --benchmark_min_time=0.2 --benchmark_format=csv >"$work/match.csv" \
      2>"$work/match.err" || { cat "$work/match.err" >&2; exit 1; }
  printf '  %-16s %12s %12s %12s %10s\n' "mix" "N=10" "N=1,000" "N=100,000" "100k/10"
  # name,iterations,real_time,cpu_time,time_unit,...  name = BM_Match/<mix>/<N>
  awk -F, 'NR > 1 && $1 ~ /BM_Match/ {
      gsub(/"/, "", $1); split($1, p, "/"); cpu[p[2], p[3]] = $4; unit = $5; mixes[p[2]] = 1 }
    END {
      for (m in mixes) printf "  %-16s %10.2f%s %10.2f%s %10.2f%s %9.0fx\n", m, cpu[m, 10], unit,
        cpu[m, 1000], unit, cpu[m, 100000], unit, cpu[m, 100000] / cpu[m, 10]
    }' "$work/match.csv" | sort
  result[scale]=$(awk -F, '$1 ~ /eventtype_first\/100000"?$/ {a = $4} $1 ~ /eventtype_first\/10"?$/ {b = $4} END {print a / b}' "$work/match.csv")
  echo "  (index memory per size is in $work/match.csv, column index_MB)"
  echo
  echo "== scaling: server RSS with $scale_subs subscriptions (inserted into SQLite, then started)"
  mkdir -p "$work/scale"
  seed_start=$SECONDS
  "$bin/pn_bench_seed" db "$work/scale/notifications.db" "$scale_subs" $matching eventtype-first \
      "http://127.0.0.1:$ngx_port/t/"
  echo "  seeded in $((SECONDS - seed_start)) s"
  boot=$(date +%s.%N)
  start_server scale "$work/scale/notifications.db"
  echo "  started (index built) in $(awk -v a="$boot" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') s"
  sleep 1
  result[rss100k]=$(rss_mb "$server_pid")
  echo "  RSS ${result[rss100k]} MB ($(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status") MB peak)"
  stop_server
  echo
fi

# ---- idle ------------------------------------------------------------------------------------
if run idle; then
  echo "== idle: fresh server, empty database, ${idle_seconds} s"
  start_server idle
  sleep 1
  c0=$(cpu_ticks "$server_pid")
  sleep "$idle_seconds"
  c1=$(cpu_ticks "$server_pid")
  result[idle_rss]=$(rss_mb "$server_pid")
  result[idle_cpu]=$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v s="$idle_seconds" 'BEGIN {printf "%.2f", 100 * d / hz / s}')
  echo "  RSS ${result[idle_rss]} MB, CPU ${result[idle_cpu]} % of one core, threads $(ls /proc/$server_pid/task | wc -l)"
  stop_server
  echo
fi

# ---- summary ---------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
  if (v == "" || v == "-" || t == "") { print "-"; exit }
  if (v == "inf") ok = (op == ">=")
  else ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0)
  print ok ? "met" : "MISSED" }'; }
row() { printf '  %-54s %10s   %-24s %s\n' "$1" "$2" "$3" "$4"; }
echo "== summary"
row "metric" "measured" "target" "verdict"
limit=${result[limit]:-}
half=$(awk -v l="$limit" 'BEGIN { if (l == "") print ""; else print l / 2 }')
row "limit: nginx requests/s (limit/2 = max deliveries/s)" "$(fmt "$limit")" "-" "-"
row "ingest: /receive acks/s (100 subs, 10 match)" "$(fmt "${result[ingest]:-}")" ">= 20,000" \
    "$(verdict "${result[ingest]:-}" 20000 '>=')"
row "  (diagnostic) ingest with 0 matching" "$(fmt "${result[ingest0]:-}")" "-" "-"
e2e_target=$(awk -v h="$half" 'BEGIN { if (h == "") print ""; else print h / 2 }')
row "end-to-end: deliveries/s (burst)" "$(fmt "${result[e2e]:-}")" \
    ">= $(fmt "$e2e_target") (50% of limit/2)" "$(verdict "${result[e2e]:-}" "${e2e_target:-}" '>=')"
for spec in $latency_runs; do
  r=${spec%%:*}
  m=${spec##*:}
  what="$m match @ $(fmt "${result[rate_$spec]:-}") ev/s"
  row "p50 ack->arrival ms, $what" "${result[p50_$spec]:--}" "-" "-"
  if ((r >= 1000)); then
    row "p99 ack->arrival ms, $what" "${result[p99_$spec]:--}" "<= 20 (at 1,000 ev/s)" \
        "$(verdict "${result[p99_$spec]:-}" 20 '<=')"
  else
    row "  (diagnostic) p99 ack->arrival ms, $what" "${result[p99_$spec]:--}" "-" "-"
  fi
done
row "match cost 100k/10 subs (eventtype-first)" \
    "$(awk -v r="${result[scale]:-}" 'BEGIN { if (r == "") print "-"; else printf "%.1fx", r }')" "<= 10x" \
    "$(verdict "${result[scale]:-}" 10 '<=')"
row "RSS MB with $scale_subs subscriptions" "${result[rss100k]:--}" "<= 200" \
    "$(verdict "${result[rss100k]:-}" 200 '<=')"
row "idle RSS MB" "${result[idle_rss]:--}" "<= 30" "$(verdict "${result[idle_rss]:-}" 30 '<=')"
row "idle CPU % of one core" "${result[idle_cpu]:--}" "-" "-"
