-- wrk's readers for the newsroom-under-editing row (benchmarks/editing.py).
--
--   wrk -t8 -c8 -d60s -s benchmarks/zipf.lua URL -- paths.txt picks.txt var/bench/reads- [header]
--
-- paths.txt holds the pages by popularity, one a line; picks.txt the order readers ask for them
-- in (indices into paths.txt drawn on a Zipf distribution by editing.py, so that the draw is
-- tested in Python; each thread starts at its own place in it). Each response's send time,
-- page, cache header and the headline version markers it shows are written to one file per
-- thread, for editing.py's stale check. The cache header is X-Cache (the app's page cache) unless
-- named: through Varnish, X-Edge-Cache (scripts/stack_load.py).
--
-- Run with as many threads as connections: a thread then has one connection, whose requests and
-- responses strictly alternate, so each response is matched to the time its request was sent.
-- Lua in wrk has no wall clock finer than a second; LuaJIT's FFI reads gettimeofday(), the
-- clock the editor stamps its commits with.

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]])
local clock = ffi.new("bench_timeval")

local function now_us()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_usec)
end

local started = 0

function setup(thread)
  started = started + 1
  thread:set("id", started)
end

local paths, picks, out, cache_header = {}, {}, nil, "X-Cache"
local next_pick, sent_us, sent_path = 1, 0, ""

local function read_lines(name)
  local lines = {}
  for line in io.lines(name) do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  return lines
end

function init(args)
  paths = read_lines(args[1])
  for _, line in ipairs(read_lines(args[2])) do
    for index in line:gmatch("%d+") do
      table.insert(picks, tonumber(index) + 1)
    end
  end
  next_pick = (id - 1) * 7919 % #picks + 1 -- threads start far apart in the same draw
  out = io.open(args[3] .. id .. ".tsv", "w")
  out:setvbuf("line") -- wrk never closes a thread's Lua state: nothing may wait in a buffer
  cache_header = args[4] or cache_header
end

function request()
  sent_path = paths[picks[next_pick]]
  next_pick = next_pick % #picks + 1
  sent_us = now_us()
  return wrk.format(nil, sent_path)
end

local function version(headline)
  return headline:match("· v(%d+)%s*$") or "0"
end

function response(status, headers, body)
  local cache = headers[cache_header] or headers[cache_header:lower()] or "-"
  local shown = {}
  local headline = body:match("<h1>(.-)</h1>")
  if headline then
    table.insert(shown, sent_path .. "=" .. version(headline))
  end
  for path, text in body:gmatch('class="teaser%-headline"><a href="([^"]+)">(.-)</a>') do
    table.insert(shown, path .. "=" .. version(text))
  end
  out:write(string.format("%.0f\t%s\t%d\t%s\t%s\n", sent_us, sent_path, status, cache,
    table.concat(shown, " ")))
end
