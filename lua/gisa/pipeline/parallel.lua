-- gisa.parallel: -j N and --shard K/N. An ordered map over worker processes:
-- the parent walks the input and hands out one file at a time; each worker (a
-- fork of this process, so it has the same rules, options and Lua code) reads,
-- decodes and extracts it and sends back what it made, encoded by gisa.wire;
-- the parent gives the results on in input order, so the output of -j N is the
-- output of -j 1. Messages a worker would print are sent back too and printed
-- by the parent at their place in that order.

local proc = require "gisa.proc"
local wire = require "gisa.wire"
local status = require "gisa.cli.status"
local hash = require "gisa.hash"

local encode, decode = wire.encode, wire.decode

local M = {}

--- Files handed to a worker in one message, and messages a worker holds at
--- once: enough to keep it busy while the parent writes, and while the parent
--- sleeps until the worker on the next input in order sends (with 4, one
--- worker ran out of work about 100 times in 10,000 -e articles), few enough
--- that the results waiting for their turn stay small.
M.batch = 8
M.ahead = 12
--- A worker sends what it has made once this many inputs are finished or this
--- many bytes have gathered (a text in its ring counted at its length), and
--- before it waits for work: fewer, larger messages wake the parent less often
--- (extract on 20,000 articles at -j 2: the parent went to sleep about 700 to
--- 1,000 times with 16 inputs and 256 KB, 330 to 460 with these), while two
--- thirds of a queue are still left to work on when the parent hears of them.
--- (The texts a worker has made and the parent not yet written stay within
--- its ring: a queue of 96 records of about 14 KB is 1.3 MB of proc.ring_size.)
M.flush_inputs = 32
M.flush_bytes = 512 * 1024
--- A map with `hold` (a fold: the worker keeps what consecutive inputs make
--- in one state) uses larger batches: a state crosses for each run of
--- consecutive inputs a worker finishes between two sends, so the parent
--- merges about 20,000 / fold_flush states for 20,000 inputs, not one each.
M.fold_batch = 32
M.fold_flush = 64
M.fold_ahead = 4
--- Inputs the parent reads itself before it starts the workers, when at least
--- `warm_min` are in sight: what the first inputs make once (the rules'
--- dispatch functions, built as new kinds of lines are met: most of them by the
--- first dozens of articles) every worker then has from the fork instead of
--- building it again. Fewer inputs than that are all left to the workers.
M.warm = 32
M.warm_min = 256
--- On a run that long (the parent warmed), every process maps its heap's pages
--- in one call after the fork, the heap first made this much larger
--- (proc.prefault): what the fork shares is copied, and what the run will
--- add is mapped, at a fraction of a page fault's cost each.
M.prefault_worker = 4 << 20
M.prefault_parent = 8 << 20

--- In a worker process, its channel to the parent, else nil. Text written to
--- it (channel:write, or gisa.jsonw writing to it as to a file) goes into a
--- ring shared with the parent instead of a Lua string; emit(kind, M.sink)
--- then sends the text made since the last such emit, and the parent's
--- iterator gives it as a channel whose text gisa.jsonw.put writes out (valid
--- until the iterator is called again). See src/proc.c.
M.sink = nil

--- The number of workers to use: opts.jobs, else GISA_JOBS, else every core.
function M.jobs(opts)
  local n = opts and opts.jobs
  if n == nil then
    local env = os.getenv("GISA_JOBS")
    n = env and env ~= "" and math.tointeger(tonumber(env)) or nil
    if env and env ~= "" and (not n or n < 1) then
      status.warn("GISA_JOBS=" .. env .. " is not a whole number >= 1; using every core")
      n = nil
    end
  end
  return n or proc.ncpu()
end

--- Threads one process may start (gisa.count's): 1 in a worker process;
--- in the parent, its share of the cores (cores / N under -j N), at least 1,
--- so that -j N with threaded counting never runs more threads than cores.
function M.threads(opts)
  if M.worker then return 1 end
  return math.max(1, proc.ncpu() // M.jobs(opts or require("gisa").options))
end

-- gisa.count's default thread count is count.threads: set it to this
-- process's budget (in a worker and in a parent that starts workers).
local function budget(n)
  local ok, count = pcall(require, "gisa.count")
  if ok and type(count) == "table" then count.threads = n end
end

--- Parse "K/N" (1 <= K <= N): returns k, n or nil, message.
function M.parse_shard(s)
  local k, n = tostring(s):match("^(%d+)/(%d+)$")
  k, n = math.tointeger(tonumber(k)), math.tointeger(tonumber(n))
  if not k or not n then return nil, "--shard needs K/N (for example 2/8), not '" .. tostring(s) .. "'" end
  if n < 1 or k < 1 or k > n then
    return nil, "--shard " .. s .. ": K must be between 1 and N"
  end
  return k, n
end

--- Whether `key` (a file's path) falls in share k of n: a stable hash, the same
--- on every machine and in every run, so N machines given the same listing
--- read disjoint shares that together are the whole.
function M.in_shard(key, k, n)
  return hash.hash64(key) % n == k - 1
end

-- A worker: take batches of tasks until the parent says there are no more (or
-- is gone), run work(item, emit) on each, and end the process. What it makes
-- goes back in frames of entries {seq, done, n, kind1, value1, … kindN,
-- valueN}: flat, so that the parent decodes one table an input, not one an
-- event (the parent's work per record is what -j N can not share out).
-- Add one event to such an entry.
local function add_event(entry, kind, value)
  local n = entry[3] + 1
  entry[3] = n
  entry[2 + 2 * n], entry[3 + 2 * n] = kind, value
end

-- What a fold's `hold` gives (see M.map), added to the entry as one event.
local function add_held(entry, hold)
  local kind, value = hold()
  if kind ~= nil then add_event(entry, kind, value) end
end

-- "ring:KIND" -> "KIND": an event whose text is in the worker's ring (M.sink)
local ring = setmetatable({}, { __index = function(t, k)
  local kind = type(k) == "string" and k:match("^ring:(.*)$") or false
  t[k] = kind
  return kind
end })
-- and "KIND" -> "ring:KIND", made once a kind, not once a text
local to_ring = setmetatable({}, { __index = function(t, k)
  local kind = "ring:" .. k
  t[k] = kind
  return kind
end })

local function worker_loop(ch, work, hold)
  local out, size, nfin = {}, 0, 0
  local flush_inputs = hold and M.fold_flush or M.flush_inputs
  local seq, entry, partial       -- the input being worked on, its entry, whether part of it was sent
  -- what `hold` keeps goes into the entry of the last input it covers, in the
  -- same message as that input's end: an input reported done has its part
  local function flush()
    if #out == 0 then return end
    if hold then add_held(entry, hold) end
    if not ch:send(encode(out)) then proc.exit(1) end    -- the parent is gone
    out, size, nfin = {}, 0, 0
  end
  local function emit(kind, value)
    if value == ch then
      -- the text written to the channel: its length crosses, the text stays in
      -- the ring (a text that did not fit comes back as a string and crosses)
      value = ch:take()
      if math.type(value) == "integer" then
        kind = to_ring[kind]
        -- counted as the text it stands for: the parent hears of finished
        -- inputs as often as before, and keeps this worker's queue full (sent
        -- once a batch, the workers waited on the parent for new work)
        size = size + value - 64
      end
    end
    add_event(entry, kind, value)
    size = size + (type(value) == "string" and #value or 64)
    if size >= M.flush_bytes then
      flush()
      partial = true
      entry = { seq, false, 0 }
      out[1] = entry
    end
  end
  while true do
    -- what is made goes back once flush_bytes have gathered, or before this
    -- process waits for work (not at the end of every batch: that woke the
    -- parent once every 8 inputs)
    local frame = ch:recv(false)
    if frame == false then
      flush()
      frame = ch:recv(true)
    end
    if not frame then break end
    local batch = decode(frame)
    if type(batch) ~= "table" then break end
    local i, nb = 1, #batch
    while i <= nb do
      -- seq, then the item's length and its values (or -1 and the item)
      local len, item = batch[i + 1], nil
      seq = batch[i]
      if len < 0 then item, i = batch[i + 2], i + 3
      else item, i = table.move(batch, i + 2, i + 1 + len, 1, {}), i + 2 + len end
      -- a fold holds consecutive inputs only: merged in input order
      if hold and #out > 0 and entry[1] ~= seq - 1 then add_held(entry, hold) end
      entry, partial = { seq, false, 0 }, false
      out[#out + 1] = entry
      ch:mark(seq)                 -- if this process dies now, the parent knows on what
      local ok, err = pcall(work, item, emit)
      if not ok then ch:discard(); emit("error", tostring(err)) end
      entry[2] = true
      nfin = nfin + 1
      -- an input whose first part was sent is finished at once, so that after
      -- a crash every input the parent has part of is complete or the culprit
      if partial or nfin >= flush_inputs then flush() end
      ch:mark(0)
    end
  end
  flush()
  io.stdout:flush()
  io.stderr:flush()
  proc.exit(0)
end

--- Run work(item, emit) for every item of the iterator `items` in n worker
--- processes. Returns an iterator over what the work emitted, in input order:
--- each call gives kind, value, item. An item is any value gisa.wire can
--- encode; a table item crosses as a list (its values 1 to #item). In a worker,
--- emit(kind, value) sends any value gisa.wire can encode. When `setup` is given, each worker calls it
--- first. A worker that dies is reported as an "error" of the item it was on;
--- its other items go to a new worker. The second result closes every worker.
--- `hold`, when given, is a fold: work keeps what it makes across inputs, and
--- hold() gives it as one event kind, value (or nothing) and starts afresh; the
--- worker calls it before it sends what it has made and before an input that
--- does not follow the last one, so that the event comes after those inputs'
--- own, in the entry of the last of them.
function M.map(n, items, work, setup, hold)
  local workers = {}       -- channel -> {ch=, queue={seq…}, head=}
  local list = {}          -- the channels, for proc.ready
  local pending = {}       -- seq -> array of entries {seq, done, n, kind1, value1, …}, once one came
  local done = {}          -- seq -> true once the item is finished (until it is given on)
  local fin = {}           -- seq -> true once finished (until its worker's queue moves past it)
  local item_of = {}       -- seq -> item
  local owner = {}         -- seq -> the channel of the worker it was handed to
  local todo, ti = {}, 1   -- seqs to hand out again (from todo[ti] on): a dead worker's, or looked at by warm
  local nextseq, outseq, exhausted = 0, 1, false
  local prefault = false   -- a long run: see M.prefault_worker

  local function spawn()
    local ch, child = proc.fork()
    if not ch then error("cannot start a worker process: " .. tostring(child), 0) end
    if child then
      -- the other workers' channels belong to the parent: only close them here
      for _, w in ipairs(list) do w:close() end
      M.worker = true
      M.sink = ch
      if prefault then proc.prefault(M.prefault_worker) end
      budget(1)
      if setup then setup() end
      worker_loop(ch, work, hold)
    end
    local w = { ch = ch, queue = {}, head = 1 }
    workers[ch] = w
    list[#list + 1] = ch
    return w
  end

  -- The next seq to hand out: one given back by a dead worker, or a new item.
  -- items() may give nil, events instead: things to give on in that place of
  -- the order that need no worker (the walk's own messages).
  local function next_task()
    local seq = todo[ti]
    if seq then ti = ti + 1; return seq end
    if exhausted then return nil end
    while true do
      local item, events = items()
      if item == nil and not events then exhausted = true; return nil end
      nextseq = nextseq + 1
      if item ~= nil then
        item_of[nextseq] = item
        return nextseq
      end
      local e = { nextseq, true, #events }
      for k = 1, #events do e[2 + 2 * k], e[3 + 2 * k] = events[k][1], events[k][2] end
      pending[nextseq], done[nextseq] = { e }, true
    end
  end

  -- Keep every worker's queue full while there is input.
  local nbatch = hold and M.fold_batch or M.batch
  local queue = nbatch * (hold and M.fold_ahead or M.ahead)
  local function feed()
    for _, ch in ipairs(list) do
      local w = workers[ch]
      local q = w.queue
      while w.head <= #q and fin[q[w.head]] do fin[q[w.head]] = nil; w.head = w.head + 1 end
      if w.head > 256 then                 -- drop what is behind the head
        local keep, len = #q - w.head + 1, #q
        table.move(q, w.head, len, 1)
        for i = len, keep + 1, -1 do q[i] = nil end
        w.head = 1
      end
      while #w.queue - w.head + 1 < queue do
        local batch = {}
        for _ = 1, nbatch do
          local seq = next_task()
          if not seq then break end
          w.queue[#w.queue + 1] = seq
          owner[seq] = ch
          -- a list crosses flat: one table to encode for the batch, not one an item
          local item, nb = item_of[seq], #batch
          batch[nb + 1] = seq
          if type(item) == "table" then
            local len = #item
            batch[nb + 2] = len
            table.move(item, 1, len, nb + 3, batch)
          else
            batch[nb + 2], batch[nb + 3] = -1, item
          end
        end
        if #batch == 0 then break end
        ch:send(encode(batch))
      end
    end
  end

  local function remove_worker(ch)
    for i, c in ipairs(list) do if c == ch then table.remove(list, i); break end end
    workers[ch] = nil
  end

  -- A worker's channel ended. If it still had work, the input it had marked is
  -- the one it died on: that is reported, the others go to other workers.
  local function ended(ch)
    local w = workers[ch]
    local culprit = ch:mark()
    local how, code = ch:close(true)
    remove_worker(ch)
    if w.head > #w.queue then return end
    local why = how == "signal" and ("signal " .. code) or ("exit status " .. tostring(code))
    local again = table.move(todo, ti, #todo, 1, {})
    for i = w.head, #w.queue do
      local seq = w.queue[i]
      if fin[seq] then                     -- finished before the worker died
        fin[seq] = nil
      elseif seq == culprit then
        local e = { seq, true, 1, "error", "worker process died (" .. why .. ") while on this input" }
        local p = pending[seq]
        if p then p[#p + 1] = e else pending[seq] = { e } end
        done[seq] = true
      else
        again[#again + 1] = seq
      end
    end
    if culprit == 0 then
      status.warn("a worker process died (" .. why .. ") between inputs; its inputs are read again")
    end
    table.sort(again)
    todo, ti = again, 1
    spawn()
  end

  local function receive(ch)
    while true do
      local frame, err = ch:recv(false)
      if frame == false then return end
      if not frame then
        if err ~= "closed" then status.warn("worker " .. ch:pid() .. ": " .. err) end
        ended(ch)
        return
      end
      local m, merr = decode(frame)
      if type(m) ~= "table" then error("damaged message from a worker: " .. tostring(merr), 0) end
      for i = 1, #m do
        local e = m[i]
        local seq = e[1]
        -- (the texts of its "ring:" events are in the ring of owner[seq]: the
        -- worker that sent it; an input is handed again only if nothing of it came)
        local p = pending[seq]
        if p then p[#p + 1] = e else pending[seq] = { e } end
        if e[2] then done[seq], fin[seq] = true, true end
      end
    end
  end

  -- The first inputs, read here (see M.warm): their results wait in `pending`
  -- like a worker's; a message they give is kept in its place, as a worker's
  -- is. The inputs looked at but not read go to the workers first.
  local function warm()
    local seen = {}
    while #seen < M.warm_min do
      local seq = next_task()
      if not seq then break end
      seen[#seen + 1] = seq
    end
    if #seen < M.warm_min then
      todo, ti = seen, 1
      return
    end
    local real_fail, real_warn = status.fail, status.warn
    for i = 1, M.warm do
      local seq = seen[i]
      local entry = { seq, true, 0 }
      local ok, err = pcall(work, item_of[seq], function(kind, value) add_event(entry, kind, value) end)
      if not ok then add_event(entry, "error", tostring(err)) end
      if hold then add_held(entry, hold) end   -- nothing held crosses into the forks
      pending[seq] = { entry }
      done[seq] = true
    end
    status.fail, status.warn = real_fail, real_warn
    todo, ti = table.move(seen, M.warm + 1, #seen, 1, {}), 1
    prefault = true
  end

  budget(math.max(1, proc.ncpu() // n))
  if not setup and M.warm > 0 then warm() end
  -- a full collection before the forks: the workers start from a heap of old
  -- objects that their collections leave alone, and fewer of its pages are
  -- copied on write (1,000 articles at -j 2: 5,160 page faults, not 5,615)
  collectgarbage()
  for _ = 1, n do spawn() end
  if prefault then proc.prefault(M.prefault_parent) end
  local cur, ei, ki = nil, 1, 0     -- the entries of outseq; the entry and event given last

  local function close_all()
    for _, ch in ipairs(list) do ch:close(true) end
    list = {}
  end

  return function()
    while true do
      cur = cur or pending[outseq]
      if cur then
        local e = cur[ei]
        while e do
          if ki < e[3] then
            ki = ki + 1
            local kind, value = e[2 + 2 * ki], e[3 + 2 * ki]
            e[3 + 2 * ki] = false        -- given on: not held until the input is done
            if ring[kind] then kind, value = ring[kind], owner[outseq]:text(value) end
            return kind, value, item_of[outseq]
          end
          cur[ei] = false
          ei, ki = ei + 1, 0
          e = cur[ei]
        end
        if done[outseq] then
          pending[outseq], done[outseq], item_of[outseq], owner[outseq] = nil, nil, nil, nil
          outseq, cur, ei, ki = outseq + 1, nil, 1, 0
          goto continue
        end
      elseif exhausted and outseq > nextseq and not todo[ti] then
        -- no more input: let the workers finish and end
        for _, ch in ipairs(list) do ch:send(encode(false)) end
        for _, ch in ipairs(list) do ch:close() end
        list = {}
        return nil
      end
      feed()
      if #list == 0 then close_all(); error("no worker process left", 0) end
      -- what feed took from the input may be all there is to give next (the
      -- walk's own messages, or the end of an input with no article): give it
      -- instead of waiting on workers that were handed nothing
      if not done[outseq] and not (exhausted and outseq > nextseq and not todo[ti]) then
        -- sleep until the worker on the next input in order sends (or ends),
        -- then take what the others sent meanwhile without waiting: woken by
        -- any message, the parent ran (taking a core from a worker) for
        -- results it could not give on yet. The others need nothing sooner:
        -- their queues last past the owner's next message.
        local och = owner[outseq]
        if och and workers[och] then proc.ready({ och }) end
        for _, ch in ipairs(proc.ready(list, och and workers[och] and 0 or nil)) do receive(ch) end
      end
      ::continue::
    end
  end, close_all
end

------------------------------------------------------------------------------
-- The walk, as items for map
------------------------------------------------------------------------------

--- Items for M.map from a walk: `walk()` gives the next file (or nil at the
--- end), `out(f)` what crosses to the worker. The walk's own messages (a
--- missing path, a dangling link, a skipped file) are caught and given as
--- events in their place, so they come out where a one-process run prints them.
function M.walk_items(walk, out)
  local caught = {}
  local real_fail, real_warn = status.fail, status.warn
  local function catch_fail(msg) caught[#caught + 1] = { "fail", tostring(msg) } end
  local function catch_warn(msg) caught[#caught + 1] = { "warn", tostring(msg) } end
  local function step()
    status.fail, status.warn = catch_fail, catch_warn
    local ok, f = pcall(walk)
    status.fail, status.warn = real_fail, real_warn
    if not ok then error(f, 0) end
    return f
  end
  local held            -- a file walked whose messages go before it
  local ended = false
  return function()
    while true do
      if #caught > 0 then
        local events = caught
        caught = {}
        return nil, events
      end
      local f = held
      held = nil
      if not f and not ended then
        f = step()
        if not f then ended = true end
        if #caught > 0 then held = f; goto continue end
      end
      if not f then return nil end
      do return out(f) end
      ::continue::
    end
  end
end

return M
