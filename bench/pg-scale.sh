#!/usr/bin/env bash
# bench/pg-scale.sh [BUILD_DIR]: ingest and end-to-end throughput of 1 and of N
# pacifica-notifications processes sharing one PostgreSQL database (issue 5), by hand
# (docs/postgresql.md). Same load and stand-ins as bench/run.sh: nginx answers as the policy
# service and the delivery target, 100 subscriptions of which 10 match every event, the
# Pacifica ingest event as body. Starts a throwaway PostgreSQL cluster (initdb on a private
# port, data in the temporary directory, durable commits as configured by default) and stops
# everything it started at exit.
#   ingest:     wrk for BENCH_SECONDS against every process at once (32 connections in total,
#               shared out), durable /receive acks/s summed over the processes.
#   end-to-end: BENCH_E2E_EVENTS events sent over all processes at once (pn_bench_probe burst),
#               until every delivery arrived at nginx: deliveries/s from the first send to the
#               last arrival.
# Knobs (environment, all optional): BENCH_SECONDS=10  BENCH_E2E_EVENTS=1000
#   BENCH_E2E_TIMEOUT=180  BENCH_PROCESSES="1 3"  BENCH_KEEP=1 (keep the temp dir)
#   BENCH_SERVER_INI="[delivery]\nmax_in_flight_per_target = 64" (appended to every config)
#   PN_PG_BINDIR (PostgreSQL's server programs; default the newest /usr/lib/postgresql/*/bin)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$repo/build}" 2>/dev/null && pwd) || {
  echo "bench/pg-scale.sh: build directory '${1:-$repo/build}' not found; run 'make build' first" >&2
  exit 1
}
bin=$build/bin
seconds=${BENCH_SECONDS:-10}
e2e_events=${BENCH_E2E_EVENTS:-1000}
e2e_timeout=${BENCH_E2E_TIMEOUT:-180}
process_counts=${BENCH_PROCESSES:-"1 3"}
body=$repo/testdata/events/example-ingest-event.json
subs=100
matching=10
connections=32

missing=()
for tool in /usr/sbin/nginx wrk curl awk ss; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "bench/pg-scale.sh: missing ${missing[*]}: apt-get install -y nginx-light wrk curl gawk iproute2" >&2
  exit 1
fi
pgbin=${PN_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [[ -z $pgbin || ! -x $pgbin/initdb ]]; then
  echo "bench/pg-scale.sh: PostgreSQL server programs not found; run scripts/deps.sh" >&2
  exit 1
fi
for b in pacifica-notifications pn_bench_seed pn_bench_probe; do
  if [[ ! -x $bin/$b ]]; then
    echo "bench/pg-scale.sh: $bin/$b not found; build it with 'cmake --build $build --target" \
         "pacifica-notifications pn_bench_seed pn_bench_probe' (configured with" \
         "-DPN_BUILD_BENCH=ON, the default)" >&2
    exit 1
  fi
done

work=$(mktemp -d /tmp/pn-pg-scale.XXXXXX)
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

free_port() {  # below the ephemeral range, so no outgoing connection holds it (as bench/run.sh)
  local p low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((low > 12000)) || low=32768
  for _ in $(seq 1 100); do
    p=$((10000 + RANDOM % (low - 10000)))
    if [[ -z $(ss -Htan "sport = :$p") ]]; then echo "$p"; return; fi
  done
  echo "bench/pg-scale.sh: no free port found" >&2
  return 1
}

wait_http() {  # waits (bounded) until curl gets 200 from $1
  for _ in $(seq 1 300); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "$1" || true) == 200 ]]; then return 0; fi
    sleep 0.1
  done
  echo "bench/pg-scale.sh: $1 did not answer 200 within 30 s" >&2
  return 1
}

lines() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }

wait_lines() {  # until file $1 has $2 lines or $3 s passed; prints the count reached
  local deadline=$((SECONDS + $3)) n
  while :; do
    n=$(lines "$1")
    if ((n >= $2 || SECONDS >= deadline)); then echo "$n"; return; fi
    sleep 0.05
  done
}

fmt() { awk -v v="$1" 'BEGIN { if (v == "" || v == "-") print "-"; else printf "%.0f", v }'; }

# ---- PostgreSQL ------------------------------------------------------------------------------
run_pg=()
mkdir -p "$work/pg"
if ((EUID == 0)); then
  chown postgres: "$work/pg"
  chmod 755 "$work"
  run_pg=(runuser -u postgres --)
fi
"${run_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C \
  --no-instructions >"$work/pg/initdb.log"
# A port free when looked at may be taken before the server binds it (tests start clusters
# too): try a few.
pg_ready=""
for _ in 1 2 3 4 5; do
  pg_port=$(free_port)
  "${run_pg[@]}" "$pgbin/postgres" -D "$work/pg/data" -p "$pg_port" -k "$work/pg" \
    -c listen_addresses=127.0.0.1 -c max_connections=200 >"$work/pg/server.log" 2>&1 &
  pg_pid=$!
  pids+=("$pg_pid")
  for _ in $(seq 1 300); do
    if "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then pg_ready=1; break; fi
    kill -0 "$pg_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $pg_ready ]] && break
  wait "$pg_pid" 2>/dev/null || true
  forget_pid "$pg_pid"
done
[[ -n $pg_ready ]] || { cat "$work/pg/server.log" >&2; exit 1; }
new_database() {  # new_database NAME: creates an empty database, prints its peewee_url
  "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "bench_$1"
  echo "postgres://postgres@127.0.0.1:$pg_port/bench_$1"
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
target_log=$ngx/target.log
: >"$target_log"; : >"$ngx/policy.log"

# ---- our servers -----------------------------------------------------------------------------
server_pids=()
server_ports=()
start_servers() {  # start_servers NAME COUNT: COUNT processes on one new database
  local url n dir port
  url=$(new_database "$1")
  server_pids=(); server_ports=()
  for n in $(seq 1 "$2"); do
    dir=$work/$1-$n
    mkdir -p "$dir"
    port=$(free_port)
    {
      echo "[notifications]"
      echo "policy_url = http://127.0.0.1:$ngx_port"
      echo "[database]"
      echo "peewee_url = $url"
      if [[ -n ${BENCH_SERVER_INI:-} ]]; then printf '%b\n' "$BENCH_SERVER_INI"; fi
    } >"$dir/config.ini"
    "$bin/pacifica-notifications" -c "$dir/config.ini" -a 127.0.0.1 -p "$port" \
        >"$dir/server.log" 2>&1 &
    server_pids+=($!)
    pids+=($!)
    server_ports+=("$port")
    # One at a time: the first creates the schema.
    wait_http "http://127.0.0.1:$port/health" || { tail -20 "$dir/server.log" >&2; exit 1; }
  done
}

stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
  done
  server_pids=(); server_ports=()
}

create_subs() {  # through the first process; the others hear of them by LISTEN/NOTIFY
  local n=0 b
  while IFS= read -r b; do
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
        -H 'Http-Remote-User: bench' --data "$b" \
        "http://127.0.0.1:${server_ports[0]}/eventmatch" || {
      echo "bench/pg-scale.sh: creating subscription $n failed" >&2
      exit 1
    }
    n=$((n + 1))
  done < <("$bin/pn_bench_seed" bodies "$subs" "$matching" eventtype-first "http://127.0.0.1:$ngx_port/t/")
  sleep 1.5  # the other processes' index refresh (at most 1 s without notifications)
}

declare -A result

echo "pacifica-notifications on PostgreSQL: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, nginx on 127.0.0.1:$ngx_port, work dir $work"
echo

for count in $process_counts; do
  per=$(( (connections + count - 1) / count ))
  echo "== ingest, $count process(es): wrk on each for ${seconds} s, $per connections each" \
       "($subs subscriptions, $matching matching)"
  start_servers "ingest$count" "$count"
  create_subs
  t0=$(lines "$target_log")
  outs=()
  loaders=()
  i=0
  for port in "${server_ports[@]}"; do
    i=$((i + 1))
    PN_BENCH_BODY=$body wrk -t1 -c"$per" -d"${seconds}s" -s "$repo/bench/wrk_post.lua" \
        "http://127.0.0.1:$port/receive" >"$work/wrk-$count-$i.out" &
    loaders+=($!)
    outs+=("$work/wrk-$count-$i.out")
  done
  wait "${loaders[@]}"
  total=0
  for f in "${outs[@]}"; do
    rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
    bad=$(awk -F= '/^non_200/ {print $2}' "$f")
    echo "  $(basename "$f" .out): ${rps:-?} acks/s, non-200: ${bad:-?}," \
         "$(awk '/Latency/ {print "latency avg " $2 ", max " $4}' "$f")"
    total=$(awk -v a="$total" -v b="${rps:-0}" 'BEGIN {print a + b}')
  done
  delivered=$(( $(lines "$target_log") - t0 ))
  result[ingest_$count]=$total
  echo "  total: $(fmt "$total") acks/s; deliveries completed meanwhile: $delivered" \
       "($(fmt "$(awk -v d="$delivered" -v s="$seconds" 'BEGIN {print d / s}')")/s)"
  stop_servers
  echo

  echo "== end-to-end, $count process(es): burst of $e2e_events events over all of them" \
       "($per connections each) until every delivery arrived"
  start_servers "e2e$count" "$count"
  create_subs
  t0=$(lines "$target_log")
  share=$(( (e2e_events + count - 1) / count ))
  loaders=()
  i=0
  for port in "${server_ports[@]}"; do
    i=$((i + 1))
    "$bin/pn_bench_probe" burst --server "$port" --body "$body" --events "$share" \
        --connections "$per" >"$work/burst-$count-$i.out" &
    loaders+=($!)
  done
  wait "${loaders[@]}"
  start_ms=$(cat "$work"/burst-"$count"-*.out | awk -F= '/^start_epoch_ms/ { if (m == "" || $2 < m) m = $2 } END {print m}')
  acked=$(cat "$work"/burst-"$count"-*.out | awk -F= '/^acked/ {s += $2} END {print s}')
  ack_s=$(cat "$work"/burst-"$count"-*.out | awk -F= '/^ack_seconds/ { if ($2 > m) m = $2 } END {print m}')
  expect=$((acked * matching))
  reached=$(wait_lines "$target_log" $((t0 + expect)) "$e2e_timeout")
  got=$((reached - t0))
  last_ms=$(tail -n +"$((t0 + 1))" "$target_log" | awk '{ if ($1 > m) m = $1 } END { printf "%.3f", m * 1000 }')
  result[e2e_$count]=$(awk -v n="$got" -v a="$start_ms" -v b="$last_ms" 'BEGIN { if (b > a) print n / ((b - a) / 1000); else print 0 }')
  result[burst_ack_$count]=$(awk -v a="$acked" -v s="$ack_s" 'BEGIN { if (s > 0) print a / s; else print 0 }')
  echo "  acked $acked events in ${ack_s} s ($(fmt "${result[burst_ack_$count]}") events/s)"
  echo "  deliveries arrived: $got of $expect, last $(awk -v a="$start_ms" -v b="$last_ms" \
       'BEGIN {printf "%.2f", (b - a) / 1000}') s after the first send:" \
       "$(fmt "${result[e2e_$count]}") deliveries/s"
  ((got == expect)) || echo "  WARNING: not every delivery arrived within ${e2e_timeout} s"
  stop_servers
  echo
done

echo "== summary (PostgreSQL, $subs subscriptions, $matching matching each event)"
printf '  %-12s %18s %22s %22s\n' "processes" "ingest acks/s" "burst acks/s" "e2e deliveries/s"
for count in $process_counts; do
  printf '  %-12s %18s %22s %22s\n' "$count" "$(fmt "${result[ingest_$count]}")" \
      "$(fmt "${result[burst_ack_$count]}")" "$(fmt "${result[e2e_$count]}")"
done
