-- Shared by every scenario. Each thread gets an `id`; every response body is checked for
-- GraphQL errors (a 200 with "errors" is a failure too), and `done` prints wrk's figures
-- with those counts as one JSON line the harness reads.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

gql_errors = 0
local reported = false
-- Returns whether the body is a success; the first failure of a thread goes to stderr.
function check(body)
  if body:find('"errors"', 1, true) == nil then return true end
  gql_errors = gql_errors + 1
  if not reported then
    reported = true
    io.stderr:write("graphql error: " .. body:sub(1, 300) .. "\n")
  end
  return false
end

function response(status, headers, body)
  check(body)
end

function done(summary, latency, requests)
  local gql = 0
  for _, t in ipairs(threads) do gql = gql + (t:get("gql_errors") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"errors":%d,"timeouts":%d,"non2xx":%d,"gql_errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout, e.status, gql,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
