-- wrk script for bench/run.sh: POST the file named by $PN_BENCH_BODY as application/json, and
-- count non-200 answers (printed at the end, so a run full of errors is not taken for speed).
local f = assert(io.open(os.getenv("PN_BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("not_ok")
  end
  io.write(string.format("non_200=%d\n", bad))
end
