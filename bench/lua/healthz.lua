dofile(os.getenv("BENCH_LUA") .. "/common.lua")
