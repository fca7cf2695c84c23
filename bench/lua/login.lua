-- Logins of BENCH_USERS distinct seeded users, round robin, threads interleaved.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local users = tonumber(os.getenv("BENCH_USERS"))
local password = os.getenv("BENCH_PASSWORD")
local n = 0
function request()
  n = n + 1
  local i = ((id or 0) * 7919 + n) % users
  local body = '{"query":"mutation($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { accessToken } }","variables":{"u":"bench' .. i .. '","p":"' .. password .. '"}}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end
