-- Walks the user list 50 at a time via `after`, BENCH_CHAINS cursor chains per thread.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local cursors = {}
function init(args)
  for i = 1, tonumber(os.getenv("BENCH_CHAINS")) do table.insert(cursors, "") end
end
function request()
  local after = table.remove(cursors, 1) or ""
  local vars = after == "" and '{}' or ('{"after":"' .. after .. '"}')
  local body = '{"query":"query($after: String) { users(first: 50, after: $after) { nodes { id email roles { name } } pageInfo { endCursor hasNextPage } } }","variables":' .. vars .. '}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json", ["Authorization"] = wrk.headers["Authorization"] }, body)
end
function response(status, headers, body)
  check(body)
  local cursor = body:match('"endCursor":"([^"]+)"')
  local more = body:match('"hasNextPage":true')
  table.insert(cursors, (cursor and more) and cursor or "")
end
