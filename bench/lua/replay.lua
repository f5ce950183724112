-- Replays a request set, one request per call, round-robin, and counts every answer that is
-- not 2xx, so that a benchmark of errors shows up in the results.
-- Usage: wrk -s bench/lua/replay.lua URL -- REQUESTS.lua
-- REQUESTS.lua returns a list of {method=, path=, headers={}, body=} tables; bench/run.py
-- writes it from bench/workload.py (the seeds' requests with fresh credentials).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local requests = {}
local next_index = 1
responses = 0
non2xx = 0
first_bad = ""

function init(args)
  for _, r in ipairs(dofile(args[1])) do
    table.insert(requests, wrk.format(r.method, r.path, r.headers, r.body))
  end
  -- Threads start at different places in the set, so both run the whole mix at once.
  next_index = ((id or 1) - 1) * 3 % #requests + 1
end

function request()
  local raw = requests[next_index]
  next_index = next_index % #requests + 1
  return raw
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body or "", 1, 200):gsub("[^%w%p ]", " ")
    end
  end
end

-- One machine-readable line per figure, read by bench/wrk.py (latencies in microseconds).
function done(summary, latency, requests)
  local total, bad, example = 0, 0, ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("responses")
    bad = bad + thread:get("non2xx")
    if example == "" then example = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH p50_us %d\n", latency:percentile(50)))
  io.write(string.format("BENCH p99_us %d\n", latency:percentile(99)))
  io.write(string.format("BENCH responses %d\n", total))
  io.write(string.format("BENCH non2xx %d\n", bad))
  io.write(string.format("BENCH socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH first_bad %s\n", example))
end
