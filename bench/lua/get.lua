-- A GET, the same on every request; headers (a Bearer token, a session cookie,
-- an If-None-Match) come from wrk's -H options.
dofile("report.lua")
