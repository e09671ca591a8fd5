-- Token refresh. A refresh token works once: the front desk blacklists it when it
-- hands out the new pair. So every request sends the next token of a pool signed
-- before the run (BENCH_TOKENS: a file, one token a line).
local tokens = {}
local position = 1

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    tokens[#tokens + 1] = line
  end
end

function request()
  local token = tokens[position]
  -- Past the end the pool starts again: a used token is refused (401) and
  -- counted as an error, which tells that the pool was too small.
  position = position % #tokens + 1
  return wrk.format(
    "POST", nil, { ["Content-Type"] = "application/json" },
    '{"refresh": "' .. token .. '"}')
end

dofile("report.lua")
