-- POSTs SOAP 1.1 messages for bench/run.ts. Configured through the environment:
--   BENCH_BODIES  file with one record, or several separated by "\n\30\n" (cycled in order); a record is
--                 the SOAPAction on its first line, then the message
--   BENCH_RESULT  where done() writes the summary as JSON
-- With one record wrk sends a pre-built request (no Lua per request); with several, request() hands out
-- the next one. Run with -t1 so one counter walks the list across all connections.

local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local records = {}
do
  local data = read_all(os.getenv("BENCH_BODIES"))
  local sep = "\n\30\n"
  local start = 1
  while true do
    local s, e = string.find(data, sep, start, true)
    local record = s and string.sub(data, start, s - 1) or string.sub(data, start)
    local newline = string.find(record, "\n", 1, true)
    table.insert(records, { action = string.sub(record, 1, newline - 1), body = string.sub(record, newline + 1) })
    if not s then break end
    start = e + 1
  end
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '"' .. records[1].action .. '"'
wrk.body = records[1].body

if #records > 1 then
  local count = #records
  local index = 0
  local formatted = {}
  -- formatted in init: only then does wrk know the Host header and path
  init = function(args)
    for i = 1, count do
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      headers["SOAPAction"] = '"' .. records[i].action .. '"'
      formatted[i] = wrk.format(nil, nil, headers, records[i].body)
    end
  end
  request = function()
    index = index % count + 1
    return formatted[index]
  end
end

done = function(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"p50Us":%d,"p90Us":%d,"p99Us":%d,"meanUs":%.1f,"maxUs":%d,"distinctBodies":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max, #records))
  out:close()
end
