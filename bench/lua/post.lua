-- A POST of the same JSON body on every request (BENCH_BODY): placing an order,
-- logging in. An Authorization header, if any, comes from wrk's -H option.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"

dofile("report.lua")
