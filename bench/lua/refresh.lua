-- refreshToken rotations: each thread owns a pool of sessions; a response's new refresh
-- token goes back into the pool, so no token is ever presented twice.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local pool = {}
function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if i % threads == id then table.insert(pool, line) end
    i = i + 1
  end
end
function request()
  -- An empty pool means sessions were lost; those requests fail and are counted.
  local token = table.remove(pool, 1) or "pool-exhausted"
  local body = '{"query":"mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }","variables":{"t":"' .. token .. '"}}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end
function response(status, headers, body)
  if check(body) then
    table.insert(pool, body:match('"refreshToken":"([^"]+)"'))
  end
end
