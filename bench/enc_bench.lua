-- enc_bench: decoding a ~70 MB CP949 file through gisa against the iconv
-- command on the same file, in the same run (medians); what detection adds;
-- the streaming converter; detection and repair throughput.
local b = require "lib"
local enc = require "gisa.enc"
local sys = require "gisa.sys"

local MB = 1024 * 1024
local SIZE = tonumber(os.getenv("ENC_BENCH_MB") or "70") * MB
local dir = "bench/data"
os.execute("mkdir -p " .. dir)
local path = string.format("%s/enc_cp949_%dmb.txt", dir, SIZE // MB)
local upath = string.format("%s/enc_utf8_%dmb.txt", dir, SIZE // MB)

-- The sample articles (CP949 ones included) as UTF-8, repeated to SIZE bytes of CP949.
local function generate()
  local texts = {}
  for _, name in ipairs(sys.listdir("corpus")) do
    if name:find("%.txt$") then
      local t = assert(enc.decode(assert(sys.readfile("corpus/" .. name))))
      -- keep what CP949 can hold (a few symbols cannot)
      local ok = {}
      for line in t:gmatch("[^\n]*\n?") do
        if line ~= "" and enc.convert(line, "utf-8", "cp949") then ok[#ok + 1] = line end
      end
      texts[#texts + 1] = table.concat(ok)
    end
  end
  local unit = table.concat(texts, "\n")
  local cp = assert(enc.convert(unit, "utf-8", "cp949"))
  local f = assert(io.open(path, "wb"))
  local u = assert(io.open(upath, "wb"))
  local n = 0
  while n < SIZE do
    f:write(cp)
    u:write(unit)
    n = n + #cp
  end
  f:close()
  u:close()
end

if sys.stat(path) ~= "file" or sys.stat(upath) ~= "file" then generate() end
local _, size = sys.stat(path)
b.note("enc: input", string.format("%s, %.1f MB CP949 (%s for UTF-8)", path, size / MB, upath))

-- The machine is shared and noisy: the contenders run interleaved, one run of
-- each per round, and each gets the median of its rounds.
local function interleaved(fns)
  for _, f in ipairs(fns) do f() end   -- warm-up
  local ts = {}
  for k = 1, #fns do ts[k] = {} end
  for i = 1, b.runs do
    for k, f in ipairs(fns) do
      collectgarbage("collect")
      local t0 = sys.clock()
      f()
      ts[k][i] = sys.clock() - t0
    end
  end
  local med = {}
  for k = 1, #fns do table.sort(ts[k]); med[k] = ts[k][(b.runs + 1) // 2] end
  return table.unpack(med)
end

local iconv_cmd = "iconv -f CP949 -t UTF-8 " .. path

-- check once that the two agree byte for byte
do
  local p = io.popen(iconv_cmd, "r")
  local theirs = p:read("a")
  p:close()
  local mine = enc.decode(sys.readfile(path), "cp949")
  b.note("enc: same output as iconv", tostring(mine == theirs))
end

local function stream()
  local h <close> = enc.open("cp949")
  local f <close> = assert(io.open(path, "rb"))
  while true do
    local chunk = f:read(4 * MB)
    if not chunk then h:convert("", true) break end
    h:convert(chunk)
  end
end

local t_iconv, t_named, t_auto, t_stream = interleaved({
  function() os.execute(iconv_cmd .. " >/dev/null") end,
  function() return enc.decode(sys.readfile(path), "cp949") end,
  function() return enc.decode(sys.readfile(path)) end,
  stream,
})
b.report("enc: read+decode cp949 (named) vs iconv(1)", t_named, t_iconv, 0.9)
b.report("enc: read+decode cp949 (auto) vs iconv(1)", t_auto, t_iconv, 0.9)
b.report("enc: streaming 4 MB chunks vs iconv(1)", t_stream, t_iconv, 0.9)

-- What detection adds: the detect call itself against the decode it precedes
-- (the auto/named difference above is the same thing buried in noise).
local bytes = sys.readfile(path)
local t_detect = b.time(function() return enc.detect(bytes) end)
b.report("enc: decode+detect vs decode (named)", t_named + t_detect, t_named, 1 / 1.05,
  string.format("detection adds %.2f%% (%.2f ms, sampled); auto-named measured %+.1f%%",
    100 * t_detect / t_named, t_detect * 1000, 100 * (t_auto - t_named) / t_named))

b.note("enc: detect (sampled) on the 70 MB file", string.format("%.3f ms (%s)", t_detect * 1000,
  (enc.detect(bytes))))
local head = bytes:sub(1, 180 * 1024)
local t_detect_full = b.time(function() return enc.detect(head) end)
b.note("enc: detect throughput (whole 180 KB scanned)", string.format("%.0f MB/s",
  #head / t_detect_full / MB))

-- UTF-8 input: validation only; the clean string comes back without a copy.
local ubytes = sys.readfile(upath)
local t_u8 = b.time(function() return enc.decode(ubytes) end)
local t_u8_iconv = b.time_cmd("iconv -f UTF-8 -t UTF-8 " .. upath)
b.report("enc: decode utf-8 (validate) vs iconv(1) utf-8", t_u8, t_u8_iconv, nil,
  string.format("%.0f MB/s", #ubytes / t_u8 / MB))

-- Repair: clean text (the common case: nothing to do) and CP949 mojibake.
local sample = ubytes:sub(1, 8 * MB):gsub("[^\n]*$", "")
local t_clean = b.time(function() return enc.repair(sample) end)
b.note("enc: repair, clean UTF-8 text", string.format("%.0f MB/s", #sample / t_clean / MB))
local moj = assert(enc.convert(assert(enc.convert(sample:sub(1, MB):gsub("[^\n]*$", ""), "utf-8", "cp949")),
  "latin1", "utf-8"))
local t_moj = b.time(function() return enc.repair(moj) end)
b.note("enc: repair, CP949 mojibake", string.format("%.1f MB/s of mojibake", #moj / t_moj / MB))
