-- updateUser on the caller's own profile, a new display name each time: a mutation that
-- writes (and, since the audit log, records an event in its transaction).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token = os.getenv("BENCH_TOKEN")
local user = os.getenv("BENCH_USER_ID")
local n = 0
function request()
  n = n + 1
  local body = '{"query":"mutation($id: ID!, $n: String!) { updateUser(id: $id, input: { displayName: $n }) { id } }","variables":{"id":"'
    .. user .. '","n":"Bench ' .. (id or 0) .. '-' .. n .. '"}}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
