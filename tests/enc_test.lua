-- gisa.enc: detection, decoding, streaming, conversion and mojibake repair, on
-- the sample corpus and ../shared/corpus (converted by the tests themselves),
-- and the command line over a directory of good and bad files.
local t = require "t"
local enc = require "gisa.enc"
local sys = require "gisa.sys"

------------------------------------------------------------------------------
-- The articles as reference UTF-8 (LF, no BOM), made without gisa.enc
------------------------------------------------------------------------------

local function iconv_cmd(path, from)
  local r = t.sh("iconv -f " .. from .. " -t UTF-8 " .. t.shquote(path))
  assert(r.code == 0, "iconv failed on " .. path .. ": " .. r.err)
  return r.out
end

-- The reference text of one file: the iconv command for what is not UTF-8.
local function reference(path)
  local raw = t.read(path)
  local text
  if raw:sub(1, 2) == "\xFF\xFE" then
    text = iconv_cmd(path, "UTF-16LE"):gsub("^\xEF\xBB\xBF", "")
  elseif not utf8.len(raw) then
    text = iconv_cmd(path, "CP949")
  else
    text = raw
  end
  return (text:gsub("\r\n?", "\n")), raw
end

local function list(dir)
  local out = {}
  for _, name in ipairs(sys.listdir(dir) or {}) do
    if name:find("%.txt$") then
      local ref, raw = reference(dir .. "/" .. name)
      out[#out + 1] = { name = name, path = dir .. "/" .. name, text = ref, raw = raw }
    end
  end
  return out
end

local samples
local function sample_articles()
  samples = samples or list(t.root .. "/corpus")
  t.ok(#samples >= 10, "the sample corpus has articles")
  return samples
end

local function shared_articles()
  return list(t.need_shared())
end

-- The text with every character `to` cannot represent replaced by "?".
local function representable(text, to)
  local s = text
  for _ = 1, 10000 do
    local out, _, off = enc.convert(s, "utf-8", to)
    if out then return s, out end
    local ch = s:match(utf8.charpattern, off)
    s = s:sub(1, off - 1) .. "?" .. s:sub(off + #ch)
  end
  error("too many unrepresentable characters")
end

-- Bytes read as Windows-1252 the way browsers do (undefined bytes as C1 controls).
local W1252 = {
  [0x80] = 0x20AC, [0x82] = 0x201A, [0x83] = 0x0192, [0x84] = 0x201E, [0x85] = 0x2026,
  [0x86] = 0x2020, [0x87] = 0x2021, [0x88] = 0x02C6, [0x89] = 0x2030, [0x8A] = 0x0160,
  [0x8B] = 0x2039, [0x8C] = 0x0152, [0x8E] = 0x017D, [0x91] = 0x2018, [0x92] = 0x2019,
  [0x93] = 0x201C, [0x94] = 0x201D, [0x95] = 0x2022, [0x96] = 0x2013, [0x97] = 0x2014,
  [0x98] = 0x02DC, [0x99] = 0x2122, [0x9A] = 0x0161, [0x9B] = 0x203A, [0x9C] = 0x0153,
  [0x9E] = 0x017E, [0x9F] = 0x0178,
}
local function as_cp1252(bytes)
  return (bytes:gsub("[\x80-\xFF]", function(c)
    local b = c:byte()
    return utf8.char(W1252[b] or b)
  end))
end
local function as_latin1(bytes)
  return assert(enc.convert(bytes, "latin1", "utf-8"))
end

-- EUC-KR bytes are CP949 bytes when every character is in KS X 1001.
local function korean_name(cp949, euckr)
  return cp949 == euckr and "euc-kr" or "cp949"
end

------------------------------------------------------------------------------
-- Round trips through every encoding
------------------------------------------------------------------------------

local function roundtrip(a)
  local what = a.name
  -- CP949 and EUC-KR, where representable
  local rep, cp = representable(a.text, "cp949")
  local euc_ok = enc.convert(rep, "utf-8", "euc-kr")
  local name = korean_name(cp, euc_ok)
  local got, conf = enc.detect(cp)
  t.eq(got, name, what .. " as CP949: detected")
  t.ok(conf >= 0.9, what .. " as CP949: confidence " .. conf)
  local text, report = enc.decode(cp)
  t.eq(report.encoding, name, what .. " as CP949: report")
  t.eq(report.replaced, 0, what .. " as CP949: replaced")
  t.ok(text == rep, what .. " as CP949: decodes back to the identical text")
  local rep2, euc = representable(a.text, "euc-kr")
  t.eq(enc.detect(euc), "euc-kr", what .. " as EUC-KR: detected")
  t.ok(enc.decode(euc) == rep2, what .. " as EUC-KR: decodes back")
  t.ok(enc.decode(euc, "euc-kr") == rep2, what .. " as EUC-KR, named: decodes back")
  -- CRLF CP949
  local crlf = assert(enc.convert(rep:gsub("\n", "\r\n"), "utf-8", "cp949"))
  t.ok(enc.decode(crlf) == rep, what .. " as CP949 with CRLF: decodes back with LF")
  -- UTF-16 both ways, with and without BOM
  for _, e in ipairs({ "utf-16le", "utf-16be" }) do
    local body = assert(enc.convert(a.text, "utf-8", e))
    local bom = e == "utf-16le" and "\xFF\xFE" or "\xFE\xFF"
    for _, variant in ipairs({ { bom .. body, true }, { body, false } }) do
      local label = what .. " as " .. e .. (variant[2] and " with BOM" or " without BOM")
      t.eq(enc.detect(variant[1]), e, label .. ": detected")
      local txt, rep16 = enc.decode(variant[1])
      t.eq(rep16.encoding, e, label .. ": report")
      t.eq(rep16.bom, variant[2], label .. ": bom")
      t.ok(txt == a.text, label .. ": decodes back to the identical text")
    end
  end
  -- UTF-8 with a BOM
  local txt8, r8 = enc.decode("\xEF\xBB\xBF" .. a.text)
  t.ok(txt8 == a.text and r8.bom == true and r8.encoding == "utf-8", what .. " UTF-8 with BOM")
end

t.test("the sample files as stored decode to their reference text", function()
  for _, a in ipairs(sample_articles()) do
    local text, report = enc.decode(a.raw)
    t.ok(text == a.text, a.name .. ": decoded text")
    t.eq(report.replaced, 0, a.name .. ": replaced")
  end
  local want = { ["071_saebyeok_foodfest.txt"] = "cp949", ["031_zdnet_library.txt"] = "utf-16le" }
  for _, a in ipairs(sample_articles()) do
    t.eq(enc.detect(a.raw), want[a.name] or "utf-8", a.name)
  end
end)

t.test("the CP949 sample holds a syllable outside EUC-KR, so it is cp949 not euc-kr", function()
  local raw = t.read(t.root .. "/corpus/071_saebyeok_foodfest.txt")
  local name, conf, evidence = enc.detect(raw)
  t.eq(name, "cp949")
  t.match(evidence, "[1-9]%d* outside EUC%-KR")
  t.ok(conf > 0.9)
end)

t.test("every sample article round-trips through CP949, EUC-KR, UTF-16LE/BE (BOM or not)", function()
  for _, a in ipairs(sample_articles()) do roundtrip(a) end
end)

t.test("every shared corpus article round-trips through every encoding", function()
  for _, a in ipairs(shared_articles()) do roundtrip(a) end
end)

t.test("enc.convert agrees with the iconv command", function()
  local a = sample_articles()[1]
  local mine = assert(enc.convert(a.text, "utf-8", "cp949"))
  local theirs = t.sh("iconv -f UTF-8 -t CP949 " .. t.shquote(a.path)).out
  t.ok(mine == theirs, "same bytes")
end)

t.test("ISO-2022-KR is detected and decoded", function()
  local a = sample_articles()[2]
  local rep = representable(a.text, "euc-kr")
  local bytes = assert(enc.convert(rep, "utf-8", "iso-2022-kr"))
  t.eq(enc.detect(bytes), "iso-2022-kr")
  t.ok(enc.decode(bytes) == rep, "decodes back")
end)

t.test("Latin-1 and CP1252 only as a last resort", function()
  local latin = assert(enc.convert("Café crème, naïve résumé à Paris.\n", "utf-8", "latin1"))
  local name, conf = enc.detect(latin)
  t.eq(name, "latin1")
  t.ok(conf < 0.5, "low confidence")
  t.eq(enc.decode(latin), "Café crème, naïve résumé à Paris.\n")
  local w = assert(enc.convert("“Quoted” — naïve… €5\n", "utf-8", "cp1252"))
  t.eq(enc.detect(w), "cp1252")
  t.eq(enc.decode(w), "“Quoted” — naïve… €5\n")
  t.eq(enc.detect("plain ASCII text\n"), "utf-8")
end)

------------------------------------------------------------------------------
-- Streaming
------------------------------------------------------------------------------

local function stream(bytes, from, size)
  local h = enc.open(from)
  local out = {}
  for i = 1, #bytes, size do
    local piece = bytes:sub(i, i + size - 1)
    out[#out + 1] = assert(h:convert(piece, i + size > #bytes))
  end
  if #bytes == 0 then out[1] = h:convert("", true) end
  local report = h:report()
  h:close()
  return table.concat(out), report
end

t.test("chunked conversion equals whole-buffer decoding, whatever the chunk size", function()
  local a = sample_articles()[3]
  local rep, cp = representable(a.text:sub(1, 1500), "cp949")
  local crlf = rep:gsub("\n", "\r\n")
  local nl = rep:find("\n", 1, true)
  local cases = {
    { "cp949", cp, rep },
    { "cp949", assert(enc.convert(crlf, "utf-8", "cp949")), rep },
    { "utf-16le", "\xFF\xFE" .. assert(enc.convert(crlf, "utf-8", "utf-16le")), rep },
    { "utf-16be", assert(enc.convert(rep, "utf-8", "utf-16be")), rep },
    { "utf-8", "\xEF\xBB\xBF" .. crlf .. "\xEA\xB0", rep .. "\u{FFFD}" },
    { "utf-8", crlf:sub(1, nl - 1) .. "\xFF\x80" .. crlf:sub(nl), rep:sub(1, nl - 1) .. "\u{FFFD}\u{FFFD}" .. rep:sub(nl) },
  }
  for _, c in ipairs(cases) do
    local whole, wrep = enc.decode(c[2], c[1])
    t.ok(whole == c[3], c[1] .. ": whole decode")
    for _, size in ipairs({ 1, 2, 3, 5, 7, 64, 4096 }) do
      local got, srep = stream(c[2], c[1], size)
      t.ok(got == c[3], c[1] .. " in chunks of " .. size)
      t.eq(srep.replaced, wrep.replaced, c[1] .. " replaced, chunks of " .. size)
      t.eq(srep.first_bad, wrep.first_bad, c[1] .. " first_bad, chunks of " .. size)
      t.eq(srep.newlines, wrep.newlines, c[1] .. " newlines, chunks of " .. size)
      t.eq(srep.bytes, #c[2], c[1] .. " bytes, chunks of " .. size)
    end
  end
end)

t.test("a CR ending one chunk and the LF starting the next are one newline, and only that LF is eaten", function()
  -- found by fuzz_enc: a chunk of just "\n" after a pending CR left the CR pending,
  -- so the LF of the next chunk went too
  local cases = { "a\r\n\nb", "a\r\n\n\nb", "\x0e<\0" .. "0\r\n\nz", "a\r\r\n\nb", "x\r\n\r\n\ny" }
  for _, s in ipairs(cases) do
    local whole, wrep = enc.decode(s, "utf-8")
    for _, size in ipairs({ 1, 2, 3 }) do
      local got, srep = stream(s, "utf-8", size)
      t.eq(got, whole, string.format("%q in chunks of %d", s, size))
      t.eq(srep.newlines, wrep.newlines, string.format("%q newlines, chunks of %d", s, size))
    end
  end
  -- the fuzzer's own chunks
  local h = enc.open("utf-8")
  local out = { h:convert("\x0e<\0" .. "0\r"), h:convert("\n"), h:convert("\nz", true) }
  t.eq(table.concat(out), (enc.decode("\x0e<\0" .. "0\r\n\nz", "utf-8")))
end)

t.test("an auto converter detects on its first chunk", function()
  local a = sample_articles()[1]
  local rep, cp = representable(a.text, "cp949")
  local got, report = stream(cp, "auto", 4096)
  t.ok(got == rep, "decoded")
  t.eq(report.encoding, korean_name(cp, enc.convert(rep, "utf-8", "euc-kr")))
  local h = enc.open("auto")
  local s, msg, off = h:convert("\0\1\2\3\4\5\6\7\0\0binary", true)
  t.eq(s, nil)
  t.match(msg, "^binary data")
  t.eq(off, 1)
end)

t.test("converter userdata: tostring, close, <close>, misuse raises", function()
  local h = enc.open("cp949")
  t.eq(tostring(h), "gisa.enc converter (cp949 -> utf-8, decode)")
  h:close()
  t.eq(tostring(h), "gisa.enc converter (closed)")
  t.checkerr("attempt to use a closed converter", h.convert, h, "x")
  h:close()   -- twice is harmless
  do
    local h2 <close> = enc.open("utf-8", "utf-16le")
    t.eq(tostring(h2), "gisa.enc converter (utf-8 -> utf-16le, strict)")
    t.eq(h2:convert("가", true), "\x00\xAC")
  end
  t.checkerr("unknown encoding 'nope'", enc.open, "nope")
  t.checkerr("unknown encoding 'nope'", enc.open, "utf-8", "nope", "strict")
  t.checkerr("decode mode converts to utf-8 only", enc.open, "utf-8", "cp949", "decode")
  t.checkerr("mode must be 'decode' or 'strict'", enc.open, "utf-8", "utf-8", "lenient")
  t.checkerr("'auto' needs decode mode", enc.open, "auto", "utf-8", "strict")
end)

t.test("a strict converter stops at bad data with message and offset, and stays stopped", function()
  local h = enc.open("utf-8", "cp949")
  t.eq(h:convert("가나"), "\xB0\xA1\xB3\xAA")
  local s, msg, off = h:convert("다©")
  t.eq(s, nil)
  t.eq(msg, "U+00A9 cannot be represented in cp949")
  t.eq(off, 10)
  local s2, msg2, off2 = h:convert("라")
  t.eq({ s2, msg2, off2 }, { nil, msg, 10 })
end)

------------------------------------------------------------------------------
-- convert
------------------------------------------------------------------------------

t.test("convert: any iconv conversion; nil, message, offset on bad data", function()
  t.eq(enc.convert("가", "utf-8", "cp949"), "\xB0\xA1")
  t.eq(enc.convert("\xB0\xA1", "cp949", "utf-16be"), "\xAC\x00")
  t.eq({ enc.convert("a©b", "utf-8", "cp949") }, { nil, "U+00A9 cannot be represented in cp949", 2 })
  t.eq({ enc.convert("a\xFFb", "utf-8", "cp949") }, { nil, "invalid utf-8 byte sequence", 2 })
  t.eq({ enc.convert("ab\xEA\xB0", "utf-8", "utf-16le") },
    { nil, "incomplete utf-8 sequence at end of input", 3 })
  t.eq({ enc.convert("a\xB0", "cp949", "utf-8") },
    { nil, "incomplete cp949 sequence at end of input", 2 })
  t.eq({ enc.convert("ab\xC9\xA1", "cp949", "utf-8") }, { nil, "invalid cp949 byte sequence", 3 })
  t.eq({ enc.convert("a\xFFb", "utf-8", "utf-8") }, { nil, "invalid utf-8 byte sequence", 2 })
  t.checkerr("unknown encoding 'nope'", enc.convert, "a", "nope", "utf-8")
  t.checkerr("unknown encoding 'nope'", enc.convert, "a", "utf-8", "nope")
  t.checkerr("bad argument #3", enc.convert, "a", "utf-8")
  t.eq(enc.canonical("UHC"), "cp949")
  t.eq(enc.canonical("EUC_KR"), "euc-kr")
  t.eq(enc.canonical("ISO-8859-1"), "latin1")
  t.eq({ enc.canonical("nope") }, { nil, "unknown encoding 'nope'" })
end)

------------------------------------------------------------------------------
-- Bad input: each gets a clear report
------------------------------------------------------------------------------

t.test("truncated multibyte sequences at the end of the input", function()
  local a = sample_articles()[1].text
  local text, r = enc.decode(a .. "\xEA\xB0")
  t.ok(text == a .. "\u{FFFD}", "one U+FFFD for the cut character")
  t.eq({ r.encoding, r.replaced, r.first_bad, r.truncated }, { "utf-8", 1, #a + 1, #a + 1 })
  local rep, cp = representable(a, "cp949")
  local text2, r2 = enc.decode(cp .. "\xB0")
  t.ok(text2 == rep .. "\u{FFFD}", "cp949")
  t.eq(r2.truncated, #cp + 1)
  local u16 = "\xFF\xFE" .. enc.convert(a, "utf-8", "utf-16le") .. "\x41"
  local text3, r3 = enc.decode(u16)
  t.ok(text3 == a .. "\u{FFFD}", "utf-16le with an odd byte")
  t.eq({ r3.encoding, r3.truncated }, { "utf-16le", #u16 })
end)

t.test("invalid bytes mid-file become U+FFFD, counted, first offset reported", function()
  local a = sample_articles()[1].text
  local at = a:find("\n", 200, true) + 1
  local bad = a:sub(1, at - 1) .. "\xFF" .. a:sub(at, -1)
  local text, r = enc.decode(bad)
  t.ok(text == a:sub(1, at - 1) .. "\u{FFFD}" .. a:sub(at), "replaced, nothing dropped")
  t.eq({ r.encoding, r.replaced, r.first_bad }, { "utf-8", 1, at })
  local rep, cp = representable(a, "cp949")
  local p = cp:find("\n", 100, true) + 1
  local badcp = cp:sub(1, p - 1) .. "\xC9\xA1" .. cp:sub(p)   -- a user-defined row
  local text2, r2 = enc.decode(badcp)
  t.eq(r2.first_bad, p)
  t.ok(r2.replaced >= 1)
  t.ok(text2:find("\u{FFFD}", 1, true) and #text2 >= #rep, "cp949 with a bad pair")
end)

t.test("a mixed-encoding file: the lines in the other Korean encoding are read in it", function()
  local a, b = sample_articles()[1].text, sample_articles()[2].text
  local repb, cpb = representable(b, "cp949")
  local bytes = a .. (a:sub(-1) == "\n" and "" or "\n") .. cpb
  local text, r = enc.decode(bytes)
  t.ok(text == a .. (a:sub(-1) == "\n" and "" or "\n") .. repb, "both halves decoded")
  t.eq(r.encoding, "utf-8")
  t.eq(r.replaced, 0)
  t.ok(r.mixed and r.mixed.encoding == "cp949", "mixed reported")
  t.eq(r.mixed.first, #a + (a:sub(-1) == "\n" and 1 or 2))
  -- named encodings are taken at their word: the other half becomes U+FFFD
  local text2, r2 = enc.decode(bytes, "utf-8")
  t.ok(r2.replaced > 0 and r2.mixed == nil and text2:find("\u{FFFD}", 1, true), "no mixing when named")
end)

t.test("NUL bytes are removed and reported", function()
  local a = sample_articles()[1].text
  local p1 = a:find("\n", 100, true)
  local p2 = a:find("\n", p1 + 1, true)
  local bytes = a:sub(1, p1) .. "\0" .. a:sub(p1 + 1, p2) .. "\0\0" .. a:sub(p2 + 1)
  local text, r = enc.decode(bytes)
  t.ok(text == a, "NULs removed")
  t.eq({ r.nuls, r.first_nul }, { 3, p1 + 1 })
  local u16 = enc.convert(a:sub(1, p1) .. "\0" .. a:sub(p1 + 1), "utf-8", "utf-16le")
  local text2, r2 = enc.decode("\xFF\xFE" .. u16)
  t.ok(text2 == a, "utf-16 NUL removed")
  t.eq(r2.nuls, 1)
  t.eq(r2.first_nul, 3 + #enc.convert(a:sub(1, p1), "utf-8", "utf-16le"))
end)

t.test("empty input, binary input, a huge single line", function()
  local text, r = enc.decode("")
  t.eq({ text, r.encoding, r.replaced }, { "", "utf-8", 0 })
  t.eq(enc.detect(""), "utf-8")
  -- pseudo-random bytes (a fixed LCG): what compressed or executable data looks like
  local x, bytes = 12345, {}
  for i = 1, 4096 do x = (x * 1103515245 + 12345) % 2147483648; bytes[i] = string.char(x >> 16 & 255) end
  local bin = table.concat(bytes)
  t.eq(enc.detect(bin), "binary")
  local s, msg, off = enc.decode(bin)
  t.eq(s, nil)
  t.match(msg, "^binary data: %d+ NUL and %d+ other control bytes in 4096 bytes$")
  t.eq(bin:byte(off) < 32, true, "offset points at a control byte")
  t.eq(select(1, enc.detect("\x7FELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0")), "binary")
  local line = string.rep("가나다라마바사 ", 300000)
  local t2, r2 = enc.decode(line)
  t.ok(rawequal(t2, line) or t2 == line, "huge line decoded")
  t.eq(r2.encoding, "utf-8")
end)

t.test("CR and CRLF become LF; a lone CR at a chunk edge is not doubled", function()
  t.eq(enc.decode("a\r\nb\rc\n\r\nd", "utf-8"), "a\nb\nc\n\nd")
  local h = enc.open("utf-8")
  t.eq(h:convert("a\r") .. h:convert("\nb\r") .. h:convert("\r\n", true), "a\nb\n\n")
  t.eq(h:report().newlines, 3)
end)

t.test("clean UTF-8 comes back as the same string (no copy)", function()
  local a = sample_articles()[1].text
  local text = enc.decode(a)
  t.ok(rawequal(text, a) or text == a)
end)

------------------------------------------------------------------------------
-- Mojibake repair
------------------------------------------------------------------------------

local function mojibake_cases(a)
  local rep, cp = representable(a.text, "cp949")
  return rep, { latin1 = as_latin1(cp), cp1252 = as_cp1252(cp) }
end

local function check_repair(a)
  local rep, cases = mojibake_cases(a)
  for how, moj in pairs(cases) do
    t.ok(moj ~= rep, a.name .. ": mojibake differs")
    local fixed, r = enc.repair(moj)
    if fixed ~= rep then
      local i = 1
      while fixed:sub(i, i) == rep:sub(i, i) do i = i + 1 end
      error(string.format("%s, CP949 read as %s: repair differs at byte %d: got %q, want %q",
        a.name, how, i, fixed:sub(i - 20, i + 40), rep:sub(i - 20, i + 40)))
    end
    t.ok(r.count > 0 and r.kinds["cp949-as-latin1"] == r.count, a.name .. " " .. how .. ": kinds")
  end
  -- double-encoded UTF-8 (UTF-8 bytes read as Latin-1 or CP1252, saved as UTF-8)
  for how, moj in pairs({ latin1 = as_latin1(a.text), cp1252 = as_cp1252(a.text) }) do
    local fixed, r = enc.repair(moj)
    t.ok(fixed == a.text, a.name .. ": double-encoded UTF-8 via " .. how .. " repaired")
    t.ok(r.kinds["utf8-as-latin1"] and r.kinds["utf8-as-latin1"] == r.count, a.name .. ": kind")
  end
end

t.test("CP949 mojibake of every sample article is repaired to the exact original", function()
  for _, a in ipairs(sample_articles()) do check_repair(a) end
end)

t.test("CP949 mojibake of every shared article is repaired to the exact original", function()
  for _, a in ipairs(shared_articles()) do check_repair(a) end
end)

-- No repair of an unchanged article: nothing counted, the same string back.
local function check_clean(a)
  local fixed, r = enc.repair(a.text)
  t.eq(r.count, 0, a.name .. ": repairs")
  t.ok(rawequal(fixed, a.text), a.name .. ": the same string back")
end

t.test("the unchanged corpus needs no repair (zero false repairs)", function()
  for _, a in ipairs(sample_articles()) do check_clean(a) end
  for _, s in ipairs({
    "café résumé naïve Müller São Paulo Ångström", "3×4=12, 25°C, ±0.5, ½컵, 10m²·20m²",
    "“인용”과 ‘작은따옴표’… 그리고 · 가운뎃점", "™ € © ® ¥ £ ¶ §", "韓中日 3국 정상", "Ⓒ ⓒ Ⅰ Ⅱ ㈜",
    "ÀÉÎÕÜ àéîõü", "Σ σ Ω Д д", "– — • ‰", "Ç'est «ça» ¿qué? ¡sí!",
  }) do
    local fixed, r = enc.repair(s)
    t.eq({ fixed, r.count }, { s, 0 }, "clean: " .. s)
  end
end)

t.test("the unchanged shared corpus needs no repair (zero false repairs)", function()
  for _, a in ipairs(shared_articles()) do check_clean(a) end   -- skips, saying so, without ../shared
end)

-- One paragraph of A damaged (its CP949 bytes read as Latin-1): only that
-- paragraph is repaired, to the exact original.
local function check_one_damaged(a)
  local lines, best = {}, 1
  for l in (a.text .. (a.text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do lines[#lines + 1] = l end
  for i, l in ipairs(lines) do if #l > #lines[best] then best = i end end
  local rep = representable(lines[best], "cp949")
  lines[best] = as_latin1(assert(enc.convert(rep, "utf-8", "cp949")))
  local damaged = table.concat(lines, "\n")
  local fixed, r = enc.repair(damaged)
  lines[best] = rep
  t.ok(fixed == table.concat(lines, "\n"), a.name .. ": repaired")
  t.eq(r.lines, { best }, a.name .. ": only that line")
  t.ok(r.count >= 1)
end

t.test("a file with one damaged paragraph gets only that paragraph repaired", function()
  for _, a in ipairs(sample_articles()) do check_one_damaged(a) end
end)

t.test("a shared article with one damaged paragraph gets only that paragraph repaired", function()
  for _, a in ipairs(shared_articles()) do check_one_damaged(a) end   -- skips, saying so, without ../shared
end)

t.test("any one damaged paragraph (20+ syllables) of any article is the only one repaired", function()
  local n = 0
  for _, a in ipairs(sample_articles()) do
    local lines = {}
    for l in (a.text .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
    for k, l in ipairs(lines) do
      local _, syl = l:gsub("[\xEA-\xED][\x80-\xBF][\x80-\xBF]", "")
      if syl >= 20 then
        local copy = table.move(lines, 1, #lines, 1, {})
        local rep = representable(l, "cp949")
        copy[k] = as_cp1252(assert(enc.convert(rep, "utf-8", "cp949")))
        local fixed, r = enc.repair(table.concat(copy, "\n"))
        copy[k] = rep
        t.ok(fixed == table.concat(copy, "\n"), a.name .. ": line " .. k .. " repaired")
        t.eq(r.lines, { k }, a.name .. ": only line " .. k)
        n = n + 1
      end
    end
  end
  t.ok(n >= 100, "paragraphs tried: " .. n)
end)

t.test("UTF-8 read as CP949 is repaired where the misreading lost nothing", function()
  local words, seen = {}, {}
  for _, a in ipairs(sample_articles()) do
    for w in a.text:gmatch("[\xEA-\xED][\x80-\xBF][\x80-\xBF][%z\x80-\xFF]*") do
      if utf8.len(w) and not seen[w] and enc.convert(w, "utf-8", "euc-kr") and enc.convert(w, "cp949", "utf-8") then
        seen[w] = true
        words[#words + 1] = w
      end
    end
  end
  t.ok(#words >= 20, "enough words that survive the misreading: " .. #words)
  local orig = table.concat(words, " ", 1, 40 < #words and 40 or #words)
  local moj = assert(enc.convert(orig, "cp949", "utf-8"))
  local fixed, r = enc.repair(moj)
  t.ok(fixed == orig, "repaired")
  t.ok(r.kinds["utf8-as-cp949"] == r.count and r.count > 0, "kind")
  t.eq(enc.repair("湲곗궗 怨듭쑀"), "기사 공유")
end)

t.test("the Á¦¹Ì³ªÀÌ ±â¼ú example and friends", function()
  t.eq(enc.repair("Á¦¹Ì³ªÀÌ ±â¼ú"), "제미나이 기술")
  t.eq(enc.repair("ì œë¯¸ë‚˜ì�´"), "ì œë¯¸ë‚˜ì�´")   -- U+FFFD inside: cannot be undone
  t.eq(enc.repair("í•œêµ\xC2\xAD"), "한국")
  local s, r = enc.repair("좋은 글\nÁ¦¹Ì³ªÀÌ ±â¼ú\n끝")
  t.eq(s, "좋은 글\n제미나이 기술\n끝")
  t.eq({ r.count, r.lines, r.first }, { 1, { 2 }, 12 })
end)

-- Lines of the sample articles with many syllables, CP949-representable.
local function syllable_lines(min, max)
  local out = {}
  for _, a in ipairs(sample_articles()) do
    for l in (a.text .. "\n"):gmatch("(.-)\n") do
      local _, syl = l:gsub("[\xEA-\xED][\x80-\xBF][\x80-\xBF]", "")
      if syl >= 12 and #out < max and not l:find("?", 1, true) and enc.convert(l, "utf-8", "cp949") then
        out[#out + 1] = l
      end
    end
  end
  t.ok(#out >= min, "lines: " .. #out)
  return out
end

t.test("CP949 runs that start with Greek, Cyrillic, symbols, full-width forms or Hanja", function()
  t.eq(enc.repair("¥Ä¿ì¿ïÇÑ Ã»³âµéÀÌ ´Ã°í ÀÖ´Ù"), "Δ우울한 청년들이 늘고 있다")
  local starters = {
    "Δ", "α", "β", "γ", "μ", "Ω", "Σ", "ω",          -- Greek (KS X 1001 row A5)
    "Д", "Ж", "Я", "д", "ё",                           -- Cyrillic (row AC)
    "※", "△", "▲", "○", "●", "◇", "■", "ㆍ", "◆", "☞", "①", "·",
    "Ａ", "ＡＢＣ", "（", "［", "＝", "％", "＆", "～",  -- full-width forms
    "韓", "北", "中企", "美", "日本", "與野",           -- Hanja
  }
  local lines = syllable_lines(20, 40)
  local n, bad = 0, {}
  for i, l in ipairs(lines) do
    -- the starter opens the line, opens a later word, or is glued to one
    local word = l:find(" [\xEA-\xED]", 8)
    for k, st in ipairs(starters) do
      local variants = { st .. l }
      if word then
        variants[2] = l:sub(1, word) .. st .. " " .. l:sub(word + 1)
        variants[3] = l:sub(1, word) .. st .. l:sub(word + 1)
      end
      if (i + k) % 3 == 0 then variants = { variants[#variants] } end   -- enough cases, not all
      for _, want in ipairs(variants) do
        local cp = assert(enc.convert(want, "utf-8", "cp949"))
        for how, moj in pairs({ latin1 = as_latin1(cp), cp1252 = as_cp1252(cp) }) do
          n = n + 1
          local fixed, r = enc.repair(moj)
          if fixed ~= want or r.lost ~= 0 then
            bad[#bad + 1] = string.format("%s via %s: %q -> %q (lost %d)", st, how, moj, fixed, r.lost)
          end
        end
      end
    end
  end
  t.eq(bad, {}, "unrepaired")
  t.ok(n >= 1000, "cases: " .. n)
end)

t.test("a byte lost before gisa saw the text: the rest is repaired and the loss reported", function()
  local want = "우울한 청년들이 늘고 있다는 조사 결과가 나왔다."
  local moj = as_latin1(assert(enc.convert(want, "utf-8", "cp949")))
  t.eq(moj:sub(1, 8), "¿ì¿ï")
  -- the trail byte of 울 became '?', as a converter writes a byte it cannot map
  local lost = "¿ì¿?" .. moj:sub(9)
  local fixed, r = enc.repair(lost)
  t.eq(fixed, "우?한 청년들이 늘고 있다는 조사 결과가 나왔다.")
  t.eq({ r.count, r.lost }, { 1, 1 })
  t.eq(select(2, enc.repair(moj)).lost, 0)
  t.eq(select(2, enc.repair("깨끗한 글")).lost, 0)
  -- every line of the samples with one trail byte lost in its middle
  local n = 0
  for _, l in ipairs(syllable_lines(20, 30)) do
    local m = as_latin1(assert(enc.convert(l, "utf-8", "cp949")))
    -- the second byte of a two-byte character near the middle: Latin-1 U+0080-00FF
    -- characters are two bytes of UTF-8, so the pair is four bytes of the mojibake
    local at = m:find("[\xC2\xC3][\x80-\xBF][\xC2\xC3][\x80-\xBF]", #m // 2)
    if at then
      local f2, r2 = enc.repair(m:sub(1, at + 1) .. "?" .. m:sub(at + 4))
      t.ok(r2.count >= 1 and r2.lost >= 1, "lost reported: " .. l)
      t.ok(select(2, f2:gsub("[\xEA-\xED][\x80-\xBF][\x80-\xBF]", "")) >=
        select(2, l:gsub("[\xEA-\xED][\x80-\xBF][\x80-\xBF]", "")) - 3, "the rest repaired: " .. f2)
      n = n + 1
    end
  end
  t.ok(n >= 10, "lines tried: " .. n)
end)

------------------------------------------------------------------------------
-- The command line
------------------------------------------------------------------------------

local function bad_dir()
  local d = t.tmpdir() .. "/enc-mix"
  os.execute("rm -rf " .. d .. " && mkdir -p " .. d)
  for _, n in ipairs({ "071_saebyeok_foodfest.txt", "031_zdnet_library.txt", "041_mt_transport.txt" }) do
    t.write(d .. "/" .. n, t.read(t.root .. "/corpus/" .. n))
  end
  local a = sample_articles()[1].text
  local _, cpb = representable(sample_articles()[2].text, "cp949")
  t.write(d .. "/a_trunc.txt", a .. "\xEA\xB0")
  local p = a:find("\n", 250, true)
  t.write(d .. "/b_invalid.txt", a:sub(1, p) .. "\xFF\xFE" .. a:sub(p + 1))
  t.write(d .. "/c_mixed.txt", a .. "\n" .. cpb)
  t.write(d .. "/d_nul.txt", a:sub(1, p) .. "\0" .. a:sub(p + 1))
  t.write(d .. "/e_empty.txt", "")
  local x, bytes = 7, {}
  for i = 1, 2048 do x = (x * 1103515245 + 12345) % 2147483648; bytes[i] = string.char(x >> 16 & 255) end
  t.write(d .. "/f_binary.txt", table.concat(bytes))
  t.write(d .. "/g_huge.txt", "제목\n" .. string.rep("아주 긴 한 줄 ", 120000) .. "\n")
  t.write(d .. "/h_mojibake.txt", as_latin1(assert(enc.convert("한글 제목\n본문입니다.\n", "utf-8", "cp949"))))
  return d, p
end

t.test("the mojibake warning promises a full repair only when no byte was lost", function()
  local d = t.tmpdir() .. "/enc-lost"
  os.execute("rm -rf " .. d .. " && mkdir -p " .. d)
  local moj = as_latin1(assert(enc.convert("우울한 청년들이 늘었다\n본문입니다.\n", "utf-8", "cp949")))
  t.write(d .. "/lost.txt", (moj:gsub("¿ï", "¿?", 1)))
  local r = t.gisa({ "-e", "", d .. "/lost.txt" })
  t.contains(r.err, "lost.txt: mojibake on lines 1, 2 (cp949-as-latin1: 2); --repair repairs what can be "
    .. "repaired (bytes were lost)")
  r = t.gisa({ "--repair", "-e", "print(a.title)", d .. "/lost.txt" })
  t.eq(r.out, "우?한 청년들이 늘었다\n")
end)

t.test("gisa -e over good and bad files: each reported with file and offset, the rest processed", function()
  local d, p = bad_dir()
  local r = t.gisa({ "-e", "print(a.file:match('[^/]+$'), a.encoding)", d .. "/" })
  t.eq(r.code, 1, "exit status 1: the binary file failed")
  t.eq(r.out, table.concat({
    "031_zdnet_library.txt\tutf-16le", "041_mt_transport.txt\tutf-8", "071_saebyeok_foodfest.txt\tcp949",
    "a_trunc.txt\tutf-8", "b_invalid.txt\tutf-8", "c_mixed.txt\tutf-8", "d_nul.txt\tutf-8",
    "e_empty.txt\tutf-8", "g_huge.txt\tutf-8", "h_mojibake.txt\tutf-8", "" }, "\n"))
  local a = sample_articles()[1].text
  t.contains(r.err, "a_trunc.txt: truncated utf-8 character at end of file (byte " .. (#a + 1) .. ")")
  t.contains(r.err, "b_invalid.txt: 2 invalid utf-8 byte sequences replaced with U+FFFD (first at byte " .. (p + 1) .. ")")
  t.match(r.err, "c_mixed%.txt: mixed encodings: %d+ lines? read as cp949 instead of utf%-8 %(first at byte " .. (#a + 2) .. "%)")
  t.contains(r.err, "d_nul.txt: 1 NUL byte removed (first at byte " .. (p + 1) .. ")")
  t.contains(r.err, "e_empty.txt: empty file")
  t.match(r.err, "gisa: [^\n]*f_binary%.txt: binary data: [^\n]*; first at byte %d+; skipped")
  t.match(r.err, "g_huge%.txt: line 2 is %d+ bytes long %(starts at byte 8 of the decoded text%)")
  t.contains(r.err, "h_mojibake.txt: mojibake on lines 1, 2 (cp949-as-latin1: 2); --repair fixes it")
  t.eq(select(2, r.err:gsub("\n", "")), 8, "one line per problem:\n" .. r.err)
end)

t.test("--encoding NAME and --repair on the command line; the record says the encoding", function()
  local d = bad_dir()
  local r = t.gisa({ "--encoding", "cp949", "-e", "print(a.encoding, a.title)", d .. "/071_saebyeok_foodfest.txt" })
  t.eq(r.code, 0)
  t.match(r.out, "^cp949\t")
  local r2 = t.gisa({ "--encoding", "klingon", "-e", "print(1)", d .. "/071_saebyeok_foodfest.txt" })
  t.eq(r2.code, 2)
  t.contains(r2.err, "--encoding: unknown encoding 'klingon'")
  local r3 = t.gisa({ "--repair", "-e", "print(a.title)", d .. "/h_mojibake.txt" })
  t.eq(r3.out, "한글 제목\n")
  t.contains(r3.err, "repaired mojibake in 2 places on lines 1, 2 (cp949-as-latin1: 2)")
  local r4 = t.gisa({ "extract", "--encoding=utf-16le", d .. "/031_zdnet_library.txt" })
  t.eq(r4.code, 0)
  t.contains(r4.out, '"encoding":"utf-16le"')
end)

------------------------------------------------------------------------------
-- gisa recode
------------------------------------------------------------------------------

t.test("gisa recode -o DIR: every file clean UTF-8, bad ones reported, binary skipped", function()
  local d = bad_dir()
  local out = t.tmpdir() .. "/recoded"
  os.execute("rm -rf " .. out)
  local r = t.gisa({ "recode", "-o", out, d })
  t.eq(r.code, 1, "the binary file fails the run")
  t.match(r.err, "f_binary%.txt: binary data: [^\n]*; first at byte %d+; skipped")
  t.contains(r.err, "a_trunc.txt: truncated utf-8 character at end of file")
  t.eq(t.read(out .. "/f_binary.txt"), nil, "no output for the binary file")
  for _, a in ipairs(sample_articles()) do
    local got = t.read(out .. "/" .. a.name)
    if got then t.ok(got == a.text, a.name .. " recoded") end
  end
  t.ok(t.read(out .. "/071_saebyeok_foodfest.txt"), "the CP949 file is there")
  local _, cpb = representable(sample_articles()[2].text, "cp949")
  t.ok(t.read(out .. "/c_mixed.txt") ~= nil and not t.read(out .. "/c_mixed.txt"):find("\r"), "mixed file written")
  t.ok(#cpb > 0)
end)

t.test("gisa recode --in-place, --to, --bom, --repair, and its errors", function()
  local d = t.tmpdir() .. "/recode2"
  os.execute("rm -rf " .. d .. " && mkdir -p " .. d)
  local a = sample_articles()[1]
  local rep, cp = representable(a.text, "cp949")
  t.write(d .. "/x.txt", cp)
  local r = t.gisa({ "recode", "--in-place", d .. "/x.txt" })
  t.eq(r.code, 0, r.err)
  t.ok(t.read(d .. "/x.txt") == rep, "replaced by its UTF-8")
  local r2 = t.gisa({ "recode", "--to", "utf-16le", "--bom", d .. "/x.txt" })
  t.ok(r2.out == "\xFF\xFE" .. enc.convert(rep, "utf-8", "utf-16le"), "utf-16le with BOM")
  t.write(d .. "/y.txt", "a©b\n")
  local r3 = t.gisa({ "recode", "--to", "euc-kr", d .. "/y.txt" })
  t.eq(r3.code, 1)
  t.contains(r3.err, "y.txt: U+00A9 cannot be represented in euc-kr (byte 2 of the UTF-8 text)")
  t.write(d .. "/z.txt", "제목\n" .. as_latin1(enc.convert("한글 본문\n", "utf-8", "cp949")))
  local r4 = t.gisa({ "recode", "--repair", d .. "/z.txt" })
  t.eq(r4.out, "제목\n한글 본문\n")
  t.contains(r4.err, "z.txt: repaired mojibake on line 2")
  local r5 = t.gisa({ "recode", "--to", "klingon", d .. "/z.txt" })
  t.eq(r5.code, 2)
  t.contains(r5.err, "unknown encoding 'klingon'")
  local r6 = t.gisa({ "recode", "--help" })
  t.eq(r6.code, 0)
  t.match(r6.out, "^usage: gisa recode")
  local r7 = t.gisa({ "recode", "-" }, cp)
  t.ok(r7.out == rep, "standard input")
end)
