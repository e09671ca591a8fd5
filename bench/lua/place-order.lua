-- Placing an order, every request a new one that can be accounted for afterwards
-- (bench/ledger.py): its note names it (BENCH_RUN, then a counter), and the id of
-- every order answered with a 201 is written to the file BENCH_ANSWERS.
-- BENCH_BODY is the order as JSON, with %s where the note goes. The Authorization
-- header comes from wrk's -H option.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local template = os.getenv("BENCH_BODY")
local run = os.getenv("BENCH_RUN")
local counter = 0
local answers

function init(args)
  answers = io.open(os.getenv("BENCH_ANSWERS"), "a")
  answers:setvbuf("line")
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format(template, run .. counter))
end

function response(status, headers, body)
  if status == 201 then
    answers:write(string.match(body, '"id"%s*:%s*(%d+)'), "\n")
  end
end

dofile("report.lua")
