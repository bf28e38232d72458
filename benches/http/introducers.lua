-- wrk script: GET /v1/introducers for egos drawn at random from an egos_emails.txt file.
-- Usage: EGOS=path/to/egos_emails.txt KEY=... wrk -t2 -c32 -d30s -s introducers.lua URL
-- Non-2xx answers are counted and printed at the end (wrk counts only socket errors).

local egos = {}
local file = assert(io.open(os.getenv("EGOS") or "egos_emails.txt"))
for line in file:lines() do
  if #line > 0 then egos[#egos + 1] = line end
end
file:close()

local headers = {}
local key = os.getenv("KEY")
if key and #key > 0 then headers["Authorization"] = "Bearer " .. key end
local field = os.getenv("FIELD") or "finance"

bad = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + id)
  bad = 0
end

function request()
  local ego = egos[math.random(#egos)]
  local path = "/v1/introducers?from=" .. ego:gsub("@", "%%40"):gsub("+", "%%2B")
    .. "&field=" .. field .. "&limit=10"
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("non-200 answers: %d\n", total))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("requests/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
end
