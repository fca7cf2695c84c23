-- Substring searches over names, usernames and emails.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local terms = { "santoso", "wijaya 12", "bench4242", "ani pur", "rina lub", "hendra", "9999@", "dewi kusuma 3" }
local n = 0
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
function request()
  n = n + 1
  local term = terms[(n % #terms) + 1]
  local body = '{"query":"query($s: String) { users(first: 20, filter: { search: $s }) { nodes { id email } } }","variables":{"s":"' .. term .. '"}}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json", ["Authorization"] = auth }, body)
end
