-- gisa recode: convert files to clean UTF-8 (or, with --to, another encoding).
--   gisa recode -o clean/ corpus/           every text file under corpus/ into clean/
--   gisa recode --in-place old.txt          replace the file (written aside, then renamed)
--   gisa recode --encoding cp949 --to utf-16le a.txt > b.txt
-- Files stream through gisa.enc converters in 1 MB chunks, so their size is not
-- bounded by memory. Bad bytes become U+FFFD and are reported with their offset;
-- a binary file, or a character --to cannot hold, fails that file only.

local gisa = require "gisa"
local cli = require "gisa.cli"
local enc = require "gisa.enc"
local sys = require "gisa.sys"
local status = require "gisa.cli.status"
local corpus = require "gisa.pipeline.corpus"

local CHUNK = 1024 * 1024

local spec = {
  name = "recode",
  usage = "gisa recode [-o DIR | --in-place] [--encoding NAME] [--to NAME] [--repair] PATH…",
  summary = "Convert each file to clean UTF-8: the encoding detected (or --encoding),\n" ..
    "LF newlines, no BOM, no NUL bytes, U+FFFD for bytes that do not decode.\n" ..
    "Directories are walked as gisa extract walks them (the extensions of every\n" ..
    "reader, in any letter case, or --ext). Output goes to standard output\n" ..
    "unless -o DIR (same relative paths under DIR) or --in-place.",
  options = {
    { "-o", "--output", arg = "DIR", help = "write each file under DIR (created as needed)" },
    { nil, "--in-place", help = "replace each file (through FILE.tmp-PID and a rename)" },
    { nil, "--encoding", arg = "NAME", help = "input encoding: auto (default), cp949, utf-16le …" },
    { nil, "--to", arg = "NAME", default = "utf-8", help = "output encoding (default utf-8)" },
    { nil, "--bom", help = "start the output with a byte order mark (UTF-8/16/32)" },
    { nil, "--repair", help = "repair mojibake, line by line" },
    { nil, "--ext", arg = "LIST", help = "walk directories for these extensions only (txt,csv …; any case)" },
    { "-q", "--quiet", help = "no warnings" },
    { "-h", "--help", help = "show this help" },
  },
  text = "exit status: 0 all files converted, 1 some failed (each reported, the rest\n" ..
    "converted), 2 usage error",
}

local opts, operands = cli.parse(arg, spec)
if opts.quiet then status.quiet = true end
if opts.output and opts.in_place then cli.usage_error("-o and --in-place exclude each other", "recode") end
if #operands == 0 then cli.usage_error("no input: give files or directories", "recode") end
local from = opts.encoding or gisa.options.encoding or "auto"
for _, name in ipairs({ from, opts.to }) do
  local ok, err = enc.canonical(name)
  if not ok then cli.usage_error(err, "recode") end
end
local to = enc.canonical(opts.to)

local BOMS = { ["utf-8"] = "\xEF\xBB\xBF", ["utf-16le"] = "\xFF\xFE", ["utf-16be"] = "\xFE\xFF",
  ["utf-32le"] = "\xFF\xFE\0\0", ["utf-32be"] = "\0\0\xFE\xFF" }
if opts.bom and not BOMS[to] then cli.usage_error("--bom needs --to utf-8, utf-16le/be or utf-32le/be", "recode") end

local function mkdirs(dir)
  os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'")
end

-- Where a file's output goes: nil for standard output.
local function target(path, operand, is_dir)
  if opts.in_place then return path end
  if not opts.output then return nil end
  local rel = is_dir and path:sub(#operand + 1):gsub("^/+", "") or path:match("[^/]*$")
  return opts.output:gsub("/+$", "") .. "/" .. rel
end

-- Convert one file; returns true, or nil and a message naming the file.
local function recode(path, dest)
  local input, err = path == "-" and io.stdin or io.open(path, "rb")
  if not input then return nil, err end
  local dec <close> = enc.open(from)
  local out_enc <close> = to ~= "utf-8" and enc.open("utf-8", to, "strict") or nil
  local out, tmp = io.stdout, nil
  if dest then
    local dir = dest:match("^(.*)/[^/]*$")
    if dir and dir ~= "" then mkdirs(dir) end
    tmp = string.format("%s.tmp-%d", dest, sys.getpid())
    out, err = io.open(tmp, "wb")
    if not out then input:close(); return nil, err end
  end
  local function fail(msg)
    if path ~= "-" then input:close() end
    if tmp then out:close(); os.remove(tmp) end
    return nil, msg
  end
  local pending, written, first, lines = "", 0, true, 0
  local function emit(text, last)
    if opts.repair then   -- whole lines only, so a run is never cut
      text = pending .. text
      local cut = last and #text or (text:match(".*()\n") or 0)
      pending = text:sub(cut + 1)
      local fixed, what = enc.repair(text:sub(1, cut))
      if what.count > 0 then
        local nl = {}
        for i, l in ipairs(what.lines) do nl[i] = l + lines end
        status.warn(string.format("%s: repaired mojibake on line%s %s", path, #nl == 1 and "" or "s",
          table.concat(nl, ", ")))
      end
      lines = lines + select(2, text:sub(1, cut):gsub("\n", ""))
      text = fixed
    end
    if out_enc then
      local s, msg, off = out_enc:convert(text, last)
      if not s then return nil, string.format("%s: %s (byte %d of the UTF-8 text)", path, msg, off) end
      text = s
    end
    if first and opts.bom then text = BOMS[to] .. text end
    first = false
    written = written + #text
    out:write(text)
    return true
  end
  while true do
    local chunk = input:read(CHUNK)
    local s, msg, off = dec:convert(chunk or "", chunk == nil)
    if not s then return fail(string.format("%s: %s; first at byte %d; skipped", path, msg, off)) end
    local ok, e = emit(s, chunk == nil)
    if not ok then return fail(e) end
    if not chunk then break end
  end
  if path ~= "-" then input:close() end
  local r = dec:report()
  if r.truncated then
    status.warn(string.format("%s: truncated %s character at end of file (byte %d) replaced with U+FFFD",
      path, r.encoding, r.truncated))
  end
  local bad = r.replaced - (r.truncated and 1 or 0)
  if bad > 0 then
    status.warn(string.format("%s: %d invalid %s byte sequence%s replaced with U+FFFD (first at byte %d)",
      path, bad, r.encoding, bad == 1 and "" or "s", r.first_bad))
  end
  if r.nuls > 0 then
    status.warn(string.format("%s: %d NUL byte%s removed (first at byte %d)", path, r.nuls,
      r.nuls == 1 and "" or "s", r.first_nul))
  end
  if r.confidence and r.confidence < 0.5 then
    status.warn(string.format("%s: encoding guessed as %s (confidence %.2f: %s)", path, r.encoding,
      r.confidence, r.evidence))
  end
  if tmp then
    local ok, e = out:close()
    if not ok then os.remove(tmp); return nil, dest .. ": " .. tostring(e) end
    local renamed, e2 = os.rename(tmp, dest)
    if not renamed then os.remove(tmp); return nil, e2 end
  end
  return true
end

-- the walk of gisa.articles: every reader's extensions in any letter case
-- (기사.TXT, dump.CSV), --ext to choose; what it skips is said at the end
local walk = corpus.new_walk({ ext = opts.ext })
for _, operand in ipairs(operands) do
  local is_dir = operand ~= "-" and sys.stat(operand) == "dir"
  for _, f in ipairs(corpus.expand({ operand }, { walk = walk, all = true })) do
    if f.z or f.reader == "archive" then
      status.warn(f.path .. ": " .. (f.z and "compressed (." .. f.z .. ")" or "an archive") .. ", not recoded")
    else
      local ok, err = recode(f.path, target(f.path, operand, is_dir))
      if ok then walk.files = walk.files + 1 else status.fail(err) end
    end
  end
end
if walk.nskipped > 0 and not opts.quiet then
  io.stderr:write("gisa: ", (corpus.summary(walk):gsub("^[%d,]+ articles? from ([%d,]+ files?)", "%1 converted")), "\n")
end
io.stdout:flush()
return status.exit_code()
