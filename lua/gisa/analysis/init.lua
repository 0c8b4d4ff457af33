-- gisa.analysis: what every analysis script shares, so that a script reads as
-- its analysis and nothing else: declaring the command line (gisa.cli specs),
-- finding the input, tokenizing, counting, statistics (keyness, MI), dates,
-- and writing rows as an aligned table for people or tsv/csv/jsonl/json for
-- programs.
--
--   local A = require "gisa.analysis"
--   local opts, paths = A.parse(arg, { name = "freq", usage = …, options = {…} })
--   local counts = {}
--   for a in A.articles(paths) do A.count(A.words(A.text(a)), counts) end
--   A.output(A.top(counts, opts.top), { "word", "count" }, opts)

local gisa = require "gisa"
local cli = require "gisa.cli"
local status = require "gisa.cli.status"

local M = {}

local concat, sort, type, tostring, pairs, ipairs = table.concat, table.sort, type, tostring, pairs, ipairs
local format, rep, log, floor = string.format, string.rep, math.log, math.floor
local byte, sub, find = string.byte, string.sub, string.find

------------------------------------------------------------------------------
-- The command line
------------------------------------------------------------------------------

--- Output formats every script accepts with -f.
M.formats = { "table", "tsv", "csv", "jsonl", "json" }

--- Options every analysis script has (after its own, before the common ones).
M.output_options = {
  { "-f", "--format", arg = "FORMAT", default = "table", choices = M.formats,
    help = "output: table (default, aligned for a terminal), tsv, csv, jsonl, json" },
  { "-o", "--output", arg = "FILE", help = "write to FILE instead of standard output" },
}

--- Options of an analysis that runs as a gisa.run job (spec.job = true):
--- one share's state for a run on many machines, and the merge of such states.
M.job_options = {
  { nil, "--partial", help = "write the state of this share of the input instead of the report (docs/scale.md)" },
  { nil, "--merge", help = "the PATHs are states written by --partial: merge them and report" },
}

--- Apply -I, --encoding, --repair, -q given after the script's name.
local function setup(opts)
  if opts.partial then gisa.options.partial = true end
  if opts.merge then gisa.options.merge = true end
  if opts.encoding then gisa.options.encoding = opts.encoding end
  if opts.repair then gisa.options.repair = true end
  if opts.quiet then gisa.options.quiet = true; status.quiet = true end
  require("gisa.pipeline.corpus").set_options(gisa.options, opts)
  cli.read_options(opts, gisa.options)
  if opts.include and #opts.include > 0 and gisa.host then
    local dirs = {}
    for _, d in ipairs(gisa.include or {}) do dirs[#dirs + 1] = d end
    for _, d in ipairs(opts.include) do dirs[#dirs + 1] = d end
    gisa.include = dirs
    gisa.paths = require("gisa.pipeline.paths").new(gisa.host, dirs)
    require("gisa.pipeline.paths").use(gisa.paths)
    local extra = gisa.paths:package_path()
    if extra ~= "" and not package.path:find(extra, 1, true) then
      package.path = extra .. ";" .. package.path
    end
  end
end

--- The input paths: the operands; else standard input when it is not a
--- terminal; else a usage error (the sample corpus is named, never assumed).
---@param operands string[]
---@param name? string the command, for the usage error
---@return string[]
function M.inputs(operands, name)
  if #operands > 0 then return operands end
  if not gisa.sys.isatty(0) then return { "-" } end
  cli.usage_error("no input: give a PATH (file, directory or -), or pipe an article in", name)
end

--- Declare and parse a script's command line. `spec` is a gisa.cli spec
--- ({name=, usage=, summary=, options={…}, text=}); the output options
--- (-f, -o) and the common ones (-I, --encoding, --repair, -q, -h) are added.
--- `--help` prints the help and exits 0; misuse exits 2.
--- Returns opts (keyed by long option name) and the input paths.
---@param args string[] the script's `arg`
---@param spec table
---@return table opts, string[] paths
function M.parse(args, spec)
  local full = {}
  for k, v in pairs(spec) do full[k] = v end
  local options = {}
  for _, o in ipairs(spec.options or {}) do options[#options + 1] = o end
  if spec.output ~= false then
    for _, o in ipairs(M.output_options) do options[#options + 1] = o end
  end
  if spec.job then
    for _, o in ipairs(M.job_options) do options[#options + 1] = o end
  end
  full.options, full.common = options, true
  local list = {}
  for i = 1, #(args or {}) do list[i] = args[i] end   -- arg also has [0], [-1]
  local opts, operands = cli.parse(list, full)
  setup(opts)
  if spec.inputs == false then return opts, operands end
  return opts, M.inputs(operands, spec.name)
end

--- Run an analysis as a gisa.run job over PATHS: job.state, each, merge and
--- finish as docs/api.md describes them, so that under -j N `each` runs in the
--- worker processes, and --partial / --merge split a run over many machines.
--- job.key names the options that shape the state (a partial state of
--- `freq --nouns` must not be merged into `freq`); -o FILE takes the partial
--- state as it takes the report.
---@param opts table the script's options (A.parse)
---@param paths string[]
---@param job table
function M.run(opts, paths, job)
  local name = (gisa.script and gisa.script.name) or "job"
  local key = (job.key or ""):gsub("%s+", " "):match("^ ?(.-) ?$")
  job.name = key ~= "" and (name .. " " .. key) or name
  job.paths = paths
  job.out = function() return M.stream(opts) end
  return gisa.run(job)
end

--- A usage error (exit status 2) naming the script.
function M.usage(msg, name)
  cli.usage_error(msg, name or (gisa.script and gisa.script.name))
end

------------------------------------------------------------------------------
-- Articles and their text
------------------------------------------------------------------------------

--- Iterate over the article records of PATHs (bad files are reported, skipped).
M.articles = function(paths, opts) return gisa.articles(paths, opts) end

--- Iterate over the files of PATHs as text: `for file, text, enc in
--- A.files(paths) do`. Each is decoded as gisa.articles decodes it (--encoding,
--- --repair; warnings on stderr); a file that cannot be read is reported and
--- skipped (exit status 1). For a script that needs the lines as written
--- (dups --lines) and, maybe, the record: gisa.extract(text, file, enc).
---@param paths string[]
---@return fun(): string?, string?, string?
function M.files(paths)
  local list = {}
  for i = 1, #paths do list[i] = paths[i] end
  local files = gisa.corpus.expand(list)
  local i = 0
  return function()
    while true do
      i = i + 1
      local f = files[i]
      if not f then return nil end
      local text, info = gisa.read(f.path)
      if not text then
        status.fail(info)
      else
        for _, w in ipairs(info.warnings) do status.warn(f.path .. ": " .. w) end
        return f.path, text, info.encoding
      end
    end
  end
end

--- A file name (or any string) fit to show and to write as UTF-8: valid
--- UTF-8 as it is; each byte of anything else (a CP949 name from a Windows
--- zip file) as \xNN, so the name stays readable, distinct and reversible.
---@param s string
---@return string
function M.display(s)
  if type(s) ~= "string" then return s end
  local ok, bad = utf8.len(s)
  if ok then return s end
  local out, i = {}, 1
  while bad do
    out[#out + 1] = sub(s, i, bad - 1)
    out[#out + 1] = format("\\x%02X", byte(s, bad))
    i = bad + 1
    ok, bad = utf8.len(s, i)
  end
  out[#out + 1] = sub(s, i)
  return concat(out)
end

--- Web addresses and e-mail addresses in S replaced by a space: they are not
--- words (https, example, kr would top every word list). gisa.text.strip_links
--- (docs/text.md has its rules).
---@param s string
---@return string
function M.strip_links(s)
  return gisa.text.strip_links(s)
end

--- The text of an article that analyses count: title, subtitles and body, one
--- paragraph each, separated by blank lines (captions and metadata left out).
--- With o.links == false, web and e-mail addresses are blanked (M.strip_links).
---@param a gisa.Article
---@param o? {links?:boolean}
---@return string
function M.text(a, o)
  local parts = {}
  if a.title then parts[#parts + 1] = a.title end
  for _, s in ipairs(a.subtitles or {}) do parts[#parts + 1] = s end
  for _, p in ipairs(a.body or {}) do parts[#parts + 1] = p end
  local s = concat(parts, "\n\n")
  if o and o.links == false then s = M.strip_links(s) end
  return s
end

--- The record fields M.text reads, and those M.measure reads: for the
--- `fields` of a job (gisa.run) that reads an article through them.
M.text_fields = { "title", "subtitles", "body" }
M.measure_fields = { "title", "subtitles", "body", "authors", "published" }

--- A job's `fields` (gisa.run: the record fields `each` reads, so that the
--- extraction's passes for other fields, such as the quote finder, are not
--- run): the names and lists of names given, each once; nil ones are skipped
--- (an option that names a field: `A.fields(A.text_fields, "file", opts.by)`).
---@return string[]
function M.fields(...)
  local list, seen = {}, {}
  local function add(name)
    if name ~= nil and not seen[name] then seen[name] = true; list[#list + 1] = name end
  end
  for i = 1, select("#", ...) do
    local x = select(i, ...)
    if type(x) == "table" then for _, name in ipairs(x) do add(name) end else add(x) end
  end
  return list
end

------------------------------------------------------------------------------
-- The counts every analysis agrees on (stats, freq, keywords, timeline, report)
------------------------------------------------------------------------------

--- The measures of M.measure, in the order stats shows them.
M.measures = { "articles", "chars", "words", "sentences", "paragraphs", "hangul", "hanja", "latin",
  "nonblank", "no_title", "no_author", "no_date" }

--- A fresh set of counters (all 0; first and last dates nil).
function M.counters()
  local c = {}
  for _, k in ipairs(M.measures) do c[k] = 0 end
  return c
end

--- Add article A to the counters C (M.counters()); returns C, and the
--- article's words as written (word -> count: the tokens `words` counts), so a
--- command that wants them too does not tokenize the text again. One definition
--- for every command:
---   chars       characters of the title, subtitles and body paragraphs
---   words       tokens of gisa.text.words over M.text(a, {links = false}):
---               what freq counts and keyness sizes a corpus by
---   sentences   gisa.text.sentences over the body paragraphs
---   paragraphs  body paragraphs
---   hangul, hanja, latin, nonblank   gisa.text.classes of the same text
---               as chars (shares are of the non-blank characters)
---   first, last the day of `published` (never a date found in the text);
---               no_date counts the articles without one
--- With PACK, the words come as text.words(s, "pack") gives them (one
--- string: each distinct word and its count), not as a table.
---@param c table
---@param a gisa.Article
---@param pack? boolean
---@return table
function M.measure(c, a, pack)
  c.articles = c.articles + 1
  -- (gisa.text.measure: one pass over each part, the words of M.text's
  -- string without addresses; the same counts as text.len, text.classes,
  -- text.words and text.sentences would give)
  local written, nwords, chars, hangul, hanja, latin, nonblank, sentences, paragraphs =
    gisa.text.measure(a.title, a.subtitles, a.body, pack and "pack" or {})
  if not written then
    error(format("article %s: %s at byte %d of its text", tostring(a.file), nwords, chars), 2)
  end
  c.chars, c.words = c.chars + chars, c.words + nwords
  c.hangul, c.hanja, c.latin = c.hangul + hangul, c.hanja + hanja, c.latin + latin
  c.nonblank = c.nonblank + nonblank
  c.sentences, c.paragraphs = c.sentences + sentences, c.paragraphs + paragraphs
  if not a.title then c.no_title = c.no_title + 1 end
  if not a.authors or #a.authors == 0 then c.no_author = c.no_author + 1 end
  local day = M.period(a.published, "day")
  if not day then
    c.no_date = c.no_date + 1
  else
    if not c.first or day < c.first then c.first = day end
    if not c.last or day > c.last then c.last = day end
  end
  return c, written
end

--- Add the counters B into A (partial results of workers); returns A.
function M.merge_counters(a, b)
  for _, k in ipairs(M.measures) do a[k] = a[k] + b[k] end
  if b.first and (not a.first or b.first < a.first) then a.first = b.first end
  if b.last and (not a.last or b.last > a.last) then a.last = b.last end
  return a
end

--- The share (percent) of a class of characters among the non-blank ones.
function M.share(c, class)
  return c.nonblank > 0 and 100 * c[class] / c.nonblank or 0
end

--- Lowercase Latin (and other cased scripts) so that AI and ai count as one.
function M.fold(s)
  return gisa.text.lower(s)
end

--- The words of S, in order, as an array (gisa.text.words: letters and digits,
--- punctuation split off). With `into`, appends to that array.
---@param s string
---@param into? string[]
---@return string[]
function M.words(s, into)
  local out = into or {}
  local n = #out
  for w in gisa.text.words(s) do
    n = n + 1
    out[n] = w
  end
  return out
end

local stems = setmetatable({}, { __mode = "k" })   -- a cache per run: strip_josa is pure
local strip_noun = require("gisa.analysis.josa").strip_noun

--- The stem of a word: its particle stripped (오픈소스를 → 오픈소스), by
--- gisa.josa's strip_noun alone (strip_josa's cut and the copula's forms:
--- 혁신이라고 → 혁신; no corpus evidence: for one word, as kwic
--- -w needs it); cached, since a corpus repeats its words. Counting uses
--- M.stemmer, which checks the cut against the whole corpus.
---@param w string
---@return string
function M.stem(w)
  local s = stems[w]
  if not s then
    s = strip_noun(w)
    stems[w] = s
  end
  return s
end

------------------------------------------------------------------------------
-- Stems with corpus evidence
------------------------------------------------------------------------------

-- strip_josa reads one word: 만드는, 정확도, 인허가, 학과 end in a syllable
-- that is also a particle, and it cannot tell. Over a corpus there is more to
-- go on: a noun shows up on its own or with other particles (오픈소스,
-- 오픈소스를, 오픈소스는), a verb form (만드는, 올려도) or a noun ending in a
-- particle-like syllable (여의도, 인허가) does not. So the cut of a particle
-- that is ambiguous is kept only when its stem is attested elsewhere.

--- Particles whose cut needs corpus evidence, by their first syllable: they are
--- also verb endings (는 만드는, 도 올려도, 을 받을, 나, 라고/라는/라도, 와
--- 나와) or common ends of nouns (가 인허가, 과 학과, 도 정확도, 만 불만).
--- The others (을 after ㄴ ㄹ ㅁ ㅇ, 이, 은, 를, 의, 에, 로, 에서 …) are cut
--- as strip_josa says. Editable: add or remove a syllable.
M.evidence_syllables = { "는", "도", "가", "과", "와", "을", "만", "나", "라" }

--- Particles that are also verb endings, after a stem ending in a vowel
--- (들어가는, 들어가도, 들어가나, 나와) and after one ending in a consonant
--- (받은, 받을): two of these on the same stem are no evidence that it is a
--- noun. (도 after a consonant is never the verb's 아도/어도: 작업을 and
--- 작업도 do attest 작업.)
M.verbal_particles = {
  vowel = { "는", "도", "나", "와", "라고", "라는", "라도", "며" },
  consonant = { "은", "을" },
}

--- Last syllables of verb forms that stand as words of their own (올려 놓다,
--- 줄이려 한다, 지어 온, 만들며): a stem ending in one of them is not attested
--- by being seen alone, when the particle is also a verb ending (올려도,
--- 줄이려는 are verbs); it needs another particle (우려가 makes 우려는 우려).
M.connectives = { "아", "어", "여", "와", "워", "려", "져", "쳐", "며" }

--- Particles after which a word of the corpus shows that it is a noun
--- whole (기계공학과는, 인허가를): such a word is not cut on the lexicon's
--- word alone.
M.noun_particles = { "는", "은", "를", "을", "의", "에", "가", "이", "로", "으로", "와", "과", "도" }

--- Evidence syllables that are also noun suffixes (가 家 價 街: 인허가,
--- 투자가; 과 科 課: 기계공학과): their cut needs the corpus's evidence even
--- when gisa.josa's lexicon knows the stem (for the others it is enough).
M.suffix_syllables = { "가", "과" }

local function set_of(list)
  local s = {}
  for _, w in ipairs(list) do s[w] = true end
  return s
end

-- The final consonant index (0-27) of the last character of S when it is a
-- Hangul syllable; false for anything else (Latin, digits).
local function last_final(s)
  local at = utf8.offset(s, -1)
  local cp = at and utf8.codepoint(s, at)
  if cp and cp >= 0xAC00 and cp <= 0xD7A3 then return (cp - 0xAC00) % 28 end
  return false
end

-- Does PARTICLE (as listed in gisa.josa: "C", "V", "C-", "V+", "*") agree
-- with the final T of the stem before it?
local function agrees(cond, t)
  if cond == "*" or t == false then return true end
  if cond == "C" then return t > 0 end
  if cond == "V" then return t == 0 end
  if cond == "C-" then return t > 0 and t ~= 8 end
  if cond == "V+" then return t == 0 or t == 8 end
  return false
end

-- Finals after which 을 cannot be a verb's 을 ending: ㄴ ㄹ ㅁ ㅇ (no verb
-- stem ends in ㅇ, ㄹ-stems take ㄹ: 만들, and 안을, 남을 are one syllable,
-- which strip_josa does not cut).
local sonorant = { [4] = true, [8] = true, [16] = true, [21] = true }

--- A stemmer that decides with the evidence of a whole corpus. VOCABULARY is
--- a table whose keys are the words of the corpus as written (counts, as
--- gisa.text.words gives them). Returns a function word -> stem, particle|nil
--- (cached). A word is cut where strip_josa cuts it, except:
---   * a word that is a particle itself (이라고, 부터) or a number with its
---     unit (25도, 6도) stays whole, and so does a word that is itself the
---     stem of another word of the corpus (인허가 when 인허가를 is there);
---   * a longer stem wins when the corpus has it: 불만이 → 불만 (not 불 + 만이)
---     when 불만 or 불만을 is seen, 기계공학과는 → 기계공학과;
---   * an ambiguous particle (M.evidence_syllables) is cut only when the stem
---     is attested: on its own, or with another particle (not two verb
---     endings, M.verbal_particles); after Latin letters (AI가), a number with
---     a unit (120명을) or, for 을, a stem ending in ㄴ ㄹ ㅁ ㅇ, the particle
---     is not ambiguous and is cut.
---@param vocabulary table<string, any>
---@return fun(w: string): string, string?
function M.stemmer(vocabulary)
  local josa = require "gisa.analysis.josa"
  local strip = josa.strip_noun   -- strip_josa and the copula (혁신이라고)
  local particles = josa.particles
  local known = setmetatable({}, { __index = function(_, w) return josa.keep_words[w] or josa.keep[w] end })
  local needs = set_of(M.evidence_syllables)
  local suffix = set_of(M.suffix_syllables)
  local verbal_v, verbal_c = set_of(M.verbal_particles.vowel), set_of(M.verbal_particles.consonant)
  local connective = set_of(M.connectives)
  local sub, offset = string.sub, utf8.offset
  local function last_syllable(s) return sub(s, offset(s, -1) or 1) end
  -- first pass: where strip_josa would cut every word
  local cut_stem, cut_part, with = {}, {}, {}   -- with[stem] = {particle = true}
  for w in pairs(vocabulary) do
    local s, p = strip(w)
    if p then
      cut_stem[w], cut_part[w] = s, p
      local ps = with[s]
      if not ps then ps = {}; with[s] = ps end
      ps[p] = true
    else
      -- (no particle: decide's answer is the word, without strip again, whose
      -- cache a vocabulary of over 200,000 words, one long article's, outgrows)
      cut_part[w] = false
    end
  end
  -- Is S a word of the corpus apart from its use before particle P?
  local function attested(s, p)
    local t = last_final(s)
    local verbal = t == 0 and verbal_v or t and verbal_c or {}
    if vocabulary[s] and not (verbal[p] and connective[last_syllable(s)]) then return true end
    local ps = with[s]
    if ps then
      for q in pairs(ps) do
        if q ~= p and not (verbal[q] and verbal[p]) then return true end
      end
    end
    return false
  end
  -- Does the corpus show W itself before a particle (기계공학과는: then
  -- 기계공학과 is a noun, not 기계공학 + 과)?
  local function takes_particle(w)
    for _, q in ipairs(M.noun_particles) do
      if vocabulary[w .. q] then return true end
    end
    return false
  end
  local stem_of
  local function decide(w)
    local s, p = cut_stem[w], cut_part[w]
    if p == false then return w end
    if not s then s, p = strip(w) end
    if not p then return w end
    if particles[w] then return w end                          -- 이라고, 부터
    if not s:find("%D") then return w end                      -- 25도: a number and its unit
    if with[w] then return w end                               -- 인허가 (인허가를 is seen)
    -- a stacked particle (만이, 과는, 에도) may hide a longer stem and a
    -- shorter particle (불만 + 이, 기계공학과 + 는): take it when that longer
    -- stem is a word gisa.josa knows (keep_words, keep) or the corpus has,
    -- and stands as a word of its own (not 밤에 + 도: 밤에 is 밤 + 에)
    local pn = utf8.len(p)
    for k = 2, pn do
      local q = sub(p, offset(p, k))
      local cond = particles[q]
      if cond then
        local s2 = sub(w, 1, #w - #q)
        if agrees(cond, last_final(s2)) and (known[s2] or attested(s2, q)) and stem_of(s2) == s2 then
          return s2, q
        end
      end
    end
    local first = sub(p, 1, (offset(p, 2) or #p + 1) - 1)
    if not needs[first] then return s, p end
    local t = last_final(s)
    if t == false then return s, p end                         -- AI가, CEO는
    if s:find("^%d") then return s, p end                      -- 120명을, 3곳과
    if p == "을" and sonorant[t] then return s, p end          -- 개발을, 방안을
    if (not suffix[first] or (p == "가" and utf8.len(s) >= 2)) and josa.is_noun(s, p)
        and not josa.is_noun(w) and not takes_particle(w) then
      return s, p                                              -- a noun of the lexicon: 사업을, 행사가
    end
    if attested(s, p) then return s, p end
    return w
  end
  local cache_s, cache_p = {}, {}
  stem_of = function(w)
    if cut_part[w] == false then return w end   -- (no cut: kept whole, no cache)
    local s = cache_s[w]
    if s == nil then
      local p
      s, p = decide(w)
      cache_s[w], cache_p[w] = s, p or false
    end
    return s, cache_p[w] or nil
  end
  return stem_of
end

--- The key a word is counted under: lowercased (o.fold) and/or its stem
--- (o.nouns: by o.stemmer, a function from M.stemmer, when given, else by
--- M.stem). Returns a function word -> key, cached.
---@param o {fold?:boolean, nouns?:boolean, stemmer?:fun(w:string):string}
function M.keyer(o)
  local fold, nouns, lower = o.fold, o.nouns, gisa.text.lower
  local stem = o.stemmer or M.stem
  if not fold and not nouns then return function(w) return w end end
  local cache = {}
  local find = string.find
  return function(w)
    local k = cache[w]
    if not k then
      k = w
      if nouns then k = stem(k) end
      -- lowercase only what may hold a cased letter: A-Z, or a lead byte of
      -- U+00C0-U+07FF, U+1000-U+2FFF, U+A640-U+A7FF, U+F000-U+FFFF or beyond
      -- (Hangul and digits never change)
      if fold and (find(k, "[A-Z\195-\223\225\226\239-\244]") or find(k, "\234[\153-\159]")) then
        k = lower(k)
      end
      cache[w] = k
    end
    return k
  end
end

--- Merge the counts of words as written into counts by key (see M.keyer).
--- Also returns, for each key, the form to show (its most frequent written
--- form: AI, not ai; with nouns, the stem as written), and with o.forms the
--- written words merged into it with their counts (key -> {word -> count}).
--- Without fold and nouns the counts are returned as they are (no forms).
--- With nouns, stems are decided with the evidence of o.stemmer, else of
--- M.stemmer(o.vocabulary or written): pass the whole corpus's words when
--- WRITTEN is only part of it (one article, one group).
---@param written table<string, integer>
---@param o {fold?:boolean, nouns?:boolean, forms?:boolean, stemmer?:function, vocabulary?:table}
---@return table<string, integer> counts, table<string, string> shown, table<string, table<string, integer>> words
function M.normalize(written, o)
  if not o.fold and not o.nouns then return written, nil, nil end
  local stem = o.nouns and (o.stemmer or M.stemmer(o.vocabulary or written)) or nil
  -- one keyer (and its cache) for every call with the same options and
  -- stemmer: a script normalizes article after article with one `o`
  local key_of = o.key_of
  if not (key_of and o.key_of_for == stem and o.key_of_fold == o.fold) then
    key_of = M.keyer({ fold = o.fold, nouns = o.nouns, stemmer = stem })
    if o.stemmer or not o.nouns then o.key_of, o.key_of_for, o.key_of_fold = key_of, stem, o.fold end
  end
  local counts, first, by_form, words = {}, {}, {}, o.forms and {} or nil
  for w, k in pairs(written) do
    local key = key_of(w)
    local form = stem and stem(w) or w
    local c = counts[key]
    if not c then                    -- the common case: one written form a key
      counts[key], first[key] = k, form
    else
      counts[key] = c + k
      local f = by_form[key]
      if not f then f = { [first[key]] = c }; by_form[key] = f end
      f[form] = (f[form] or 0) + k
    end
    if words then
      local ws = words[key]
      if not ws then ws = {}; words[key] = ws end
      ws[w] = k
    end
  end
  for key, f in pairs(by_form) do
    local best, bk = key, -1
    for s, k in pairs(f) do
      if k > bk or (k == bk and s < best) then best, bk = s, k end
    end
    first[key] = best
  end
  return counts, first, words
end

--- The words of S with their byte ranges, as keys (see M.keyer): returns
--- keys, starts, stops (arrays; s:sub(starts[i], stops[i]) is the word).
function M.tokens(s, o)
  local key_of = M.keyer(o or {})
  local keys, starts, stops, n = {}, {}, {}, 0
  for w, pos in gisa.text.words(s) do
    n = n + 1
    keys[n], starts[n], stops[n] = key_of(w), pos, pos + #w - 1
  end
  return keys, starts, stops
end

--- Is W worth counting as a content word: not a stopword, has a letter
--- (numbers and dates are left out unless o.numbers).
function M.content(w, stop, o)
  if stop[w] then return false end
  if not (o and o.numbers) and not w:find("[^%d%p]") then return false end
  return true
end

--- Stopwords as a set: the shipped list (lua/gisa/analysis/stopwords.lua), or FILE: a
--- .lua file returning a list, or a text file with one word a line (# comments).
---@param file? string
---@return table<string, true>
function M.stopwords(file)
  local list
  if not file then
    list = require "gisa.analysis.stopwords"
  elseif file:find("%.lua$") then
    local chunk, err = loadfile(file, "t")
    if not chunk then M.usage("cannot load stopwords: " .. err) end
    list = chunk()
    if type(list) ~= "table" then M.usage(file .. ": a stopword file must return a list of words") end
  else
    local fh, err = io.open(file, "rb")
    if not fh then M.usage("cannot read stopwords: " .. err) end
    list = {}
    for line in fh:lines() do
      local w = line:gsub("#.*", ""):match("^%s*(.-)%s*$")
      if w ~= "" then list[#list + 1] = w end
    end
    fh:close()
  end
  local set = {}
  for _, w in ipairs(list) do set[w] = true end
  for k, v in pairs(list) do if type(k) == "string" and v then set[k] = true end end
  return set
end

------------------------------------------------------------------------------
-- Counting (partial results merge: a worker may count its share of articles)
------------------------------------------------------------------------------

--- Add 1 to counts[w] for each w in the array WORDS; returns counts.
function M.count(words, counts)
  counts = counts or {}
  for i = 1, #words do
    local w = words[i]
    counts[w] = (counts[w] or 0) + 1
  end
  return counts
end

--- Add the counts of B into A; returns A.
function M.merge(a, b)
  for k, v in pairs(b) do a[k] = (a[k] or 0) + v end
  return a
end

--- Append the array B to the array A; returns A (the merge of jobs whose
--- state is a list of rows in input order).
function M.append(a, b)
  return table.move(b, 1, #b, #a + 1, a)
end

--- A function before(x, y): whether file X (an article's `file`) is read
--- before file Y by a walk of INPUTS (the operands): by operand, then
--- directory by directory in byte order, as the walk sorts them.
---@param inputs string[]
---@return fun(x: string, y: string): boolean
function M.walk_order(inputs)
  local roots = {}
  for k, p in ipairs(inputs) do roots[k] = (p:gsub("(.)/+$", "%1")) end
  local function operand(f)
    for k, r in ipairs(roots) do
      if f == r or f:sub(1, #r + 1) == r .. "/" or r == "/" then return k end
    end
    return #roots + 1
  end
  local keys = {}
  local function key(f)
    local k = keys[f]
    if not k then k = { operand(f), (f:gsub("/", "\1")) }; keys[f] = k end
    return k
  end
  return function(x, y)
    if x == y then return false end
    local a, b = key(x), key(y)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end
end

--- Merge two arrays whose items are each in input order, from different
--- shares of the input (--merge): the result is in input order. `file(item)`
--- gives an item's file, `before` is M.walk_order's. Returns A.
function M.merge_in_order(a, b, file, before)
  if #b == 0 then return a end
  if #a == 0 or not before(file(b[1]), file(a[#a])) then return M.append(a, b) end
  local out, i, j = {}, 1, 1
  while i <= #a and j <= #b do
    if before(file(b[j]), file(a[i])) then out[#out + 1] = b[j]; j = j + 1
    else out[#out + 1] = a[i]; i = i + 1 end
  end
  table.move(a, i, #a, #out + 1, out)
  table.move(b, j, #b, #out + 1, out)
  return table.move(out, 1, #out, 1, a)
end

--- The merge of a job whose state is {rows = {…}, inputs = operands}: rows
--- in input order. Under -j the parent merges files in input order (append);
--- --merge joins shares, whose rows interleave by file (M.merge_in_order).
function M.merge_rows(file)
  return function(s1, s2)
    if gisa.options.merge then
      M.merge_in_order(s1.rows, s2.rows, file, M.walk_order(s2.inputs))
    else
      M.append(s1.rows, s2.rows)
    end
    return s1
  end
end

--- Sum of a count table.
function M.total(counts)
  local n = 0
  for _, v in pairs(counts) do n = n + v end
  return n
end

--- The N most frequent keys of COUNTS as an array of {key, count}, most
--- frequent first, ties in code point order (so output is stable).
---@param counts table<string, number>
---@param n? integer all when nil or <= 0
---@return {[1]:string, [2]:number}[]
function M.top(counts, n)
  local items = {}
  local min = 0
  if n and n > 0 then
    -- the n-th largest count, from a histogram: only what can make the top is sorted
    local hist, distinct = {}, {}
    for _, v in pairs(counts) do
      if not hist[v] then hist[v] = 0; distinct[#distinct + 1] = v end
      hist[v] = hist[v] + 1
    end
    sort(distinct, function(a, b) return a > b end)
    local seen = 0
    for _, v in ipairs(distinct) do
      seen = seen + hist[v]
      min = v
      if seen >= n then break end
    end
  end
  for k, v in pairs(counts) do
    if v >= min then items[#items + 1] = { k, v } end
  end
  sort(items, function(x, y)
    if x[2] ~= y[2] then return x[2] > y[2] end
    return x[1] < y[1]
  end)
  if n and n > 0 and #items > n then
    for i = #items, n + 1, -1 do items[i] = nil end
  end
  return items
end

------------------------------------------------------------------------------
-- Statistics
------------------------------------------------------------------------------

local function xlogx(o, e)
  if o <= 0 then return 0 end
  return o * log(o / e)
end

--- Log-likelihood G2 for a word seen A times in a corpus of C words and B
--- times in a reference of D words, in Rayson & Garside's (2000) two-term form:
--- 2 (A ln(A/E1) + B ln(B/E2)), E1 = C (A+B)/(C+D), E2 = D (A+B)/(C+D). (The
--- four-term G2 of the full 2x2 table, M.g2, differs by up to about 1%.) Returns G2 and +1 when the word is relatively more frequent in
--- the corpus than in the reference (key), -1 when less (negative key).
function M.keyness(a, b, c, d)
  local e1 = c * (a + b) / (c + d)
  local e2 = d * (a + b) / (c + d)
  local g2 = 2 * (xlogx(a, e1) + xlogx(b, e2))
  local sign = (a / c >= b / d) and 1 or -1
  return g2, sign
end

--- G2 of a 2x2 contingency table [[o11, o12], [o21, o22]].
function M.g2(o11, o12, o21, o22)
  local n = o11 + o12 + o21 + o22
  local r1, r2, c1, c2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
  return 2 * (xlogx(o11, r1 * c1 / n) + xlogx(o12, r1 * c2 / n)
    + xlogx(o21, r2 * c1 / n) + xlogx(o22, r2 * c2 / n))
end

--- Pointwise mutual information (log2) of O11 against its expectation
--- F1 * F2 * SPAN / N (Church & Hanks). collocates passes F1 = the number of
--- tokens in the union of the windows and SPAN = 1 (Evert's surface
--- co-occurrence), so that MI stays within log2(N / F1).
function M.mi(o11, f1, f2, n, span)
  local e = f1 * f2 * (span or 1) / n
  if o11 <= 0 or e <= 0 then return nil end
  return log(o11 / e, 2)
end

------------------------------------------------------------------------------
-- Dates (published is ISO 8601: 2024-11-19T10:00:00+09:00)
------------------------------------------------------------------------------

--- Year, month, day of an ISO date or nil.
function M.ymd(iso)
  if type(iso) ~= "string" then return nil end
  local y, m, d = iso:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then return nil end
  return tonumber(y), tonumber(m), tonumber(d)
end

-- days since 1970-01-01 and back (H. Hinnant's algorithms, in gisa.rules.lib)
local days_from_civil = require("gisa.rules.lib").days_from_civil
local civil_from_days = require("gisa.rules.lib").civil_from_days
M.days = days_from_civil
M.civil = civil_from_days

--- The period key of an ISO date: "day" 2024-11-19, "week" 2024-W47 (ISO
--- week), "month" 2024-11, "year" 2024. Nil when there is no date.
---@param iso string?
---@param unit "day"|"week"|"month"|"year"
function M.period(iso, unit)
  local y, m, d = M.ymd(iso)
  if not y then return nil end
  if unit == "day" then return format("%04d-%02d-%02d", y, m, d)
  elseif unit == "month" then return format("%04d-%02d", y, m)
  elseif unit == "year" then return format("%04d", y)
  elseif unit == "week" then
    local z = days_from_civil(y, m, d)
    local wd = (z + 3) % 7 + 1                 -- 1 = Monday … 7 = Sunday
    local thursday = z - wd + 4                -- the ISO year is the Thursday's year
    local ty = civil_from_days(thursday)
    local week = (thursday - days_from_civil(ty, 1, 1)) // 7 + 1
    return format("%04d-W%02d", ty, week)
  end
  error("unknown period '" .. tostring(unit) .. "' (day, week, month, year)", 2)
end

--- Every period from FIRST to LAST inclusive (keys as M.period gives them),
--- so that a timeline shows the empty ones too.
function M.periods(first, last, unit)
  local out = {}
  if unit == "month" then
    local y, m = first:match("^(%d+)%-(%d+)")
    y, m = tonumber(y), tonumber(m)
    while true do
      local k = format("%04d-%02d", y, m)
      out[#out + 1] = k
      if k >= last then break end
      m = m + 1
      if m > 12 then m, y = 1, y + 1 end
    end
  elseif unit == "year" then
    for y = tonumber(first), tonumber(last) do out[#out + 1] = format("%04d", y) end
  elseif unit == "day" then
    local z0 = days_from_civil(M.ymd(first))
    local z1 = days_from_civil(M.ymd(last))
    for z = z0, z1 do out[#out + 1] = format("%04d-%02d-%02d", civil_from_days(z)) end
  elseif unit == "week" then
    local function monday(key)
      local y, w = key:match("^(%d+)%-W(%d+)")
      y, w = tonumber(y), tonumber(w)
      local jan4 = days_from_civil(y, 1, 4)
      return jan4 - ((jan4 + 3) % 7) + (w - 1) * 7
    end
    local z0, z1 = monday(first), monday(last)
    for z = z0, z1, 7 do out[#out + 1] = M.period(format("%04d-%02d-%02d", civil_from_days(z)), "week") end
  else
    error("unknown period '" .. tostring(unit) .. "' (day, week, month, year)", 2)
  end
  return out
end

------------------------------------------------------------------------------
-- Output
------------------------------------------------------------------------------

-- Columns are names ("word") or tables {key=, title=, align="left"|"right",
-- fmt="%.2f" (for floats), width=N}; a row is a table keyed by column key, or an array in
-- column order.
local valid = gisa.text.valid

local function norm_columns(columns)
  local out = {}
  for i, c in ipairs(columns) do
    if type(c) == "string" then c = { key = c } end
    out[i] = {
      key = c.key or c[1], title = c.title or c.key or c[1], align = c.align, fmt = c.fmt,
      width = c.width, index = i,
    }
  end
  return out
end

-- A cell's value; strings that are not UTF-8 (a CP949 file name) as
-- M.display shows them, so that widths, JSON and terminals get UTF-8.
local function cell(row, col)
  local v = row[col.key]
  if v == nil then v = row[col.index] end
  if type(v) == "string" then
    if not utf8.len(v) then v = M.display(v) end
  elseif type(v) == "table" then
    local copy
    for i, x in ipairs(v) do
      if type(x) == "string" and not utf8.len(x) then
        copy = copy or table.move(v, 1, #v, 1, {})
        copy[i] = M.display(x)
      end
    end
    v = copy or v
  end
  return v
end

local function show(v, col)
  if v == nil then return "" end
  if type(v) == "number" then
    if math.type(v) == "float" then
      if col.fmt then return format(col.fmt, v) end
      if v ~= v or v == math.huge or v == -math.huge then return tostring(v) end
      return format("%.3f", v)
    end
    return tostring(v)
  end
  if type(v) == "table" then return concat(v, ", ") end
  return tostring(v)
end

-- One row of a table: cells padded to the column widths W (numbers right
-- aligned unless the column says), two blanks between, no trailing blanks
-- (LAST, kept from row to row: each column's previous cell, padded);
-- not gsub(" +$"): it retries every run of blanks to its end, quadratic when a
-- 10,000-character word pads the other rows.
local function table_line(r, cols, w, numeric, last)
  local pad = gisa.text.pad
  local parts = {}
  for j, c in ipairs(cols) do
    local align = c.align or (numeric[j] and "right" or "left")
    if (j == #cols and align == "left") then parts[j] = r[j]
    elseif last and last[j] == r[j] then parts[j] = last[-j]
    else
      parts[j] = pad(r[j], w[j], align)
      if last then last[j], last[-j] = r[j], parts[j] end
    end
  end
  local s = concat(parts, "  ")
  local e = #s
  if byte(s, e) ~= 32 then return s end
  while e > 0 and byte(s, e) == 32 do e = e - 1 end
  return sub(s, 1, e)
end

-- s with its control characters replaced (gsub), looked for by plain finds
-- first: a class pattern costs a match at every byte of every cell.
local function blanked(s)
  if find(s, "\t", 1, true) or find(s, "\n", 1, true) or find(s, "\r", 1, true) then
    return (s:gsub("[\r\n\t]", " "))
  end
  return s
end

-- The widths a table starts from (its titles') and every column taken as
-- numeric until a cell says otherwise.
local function table_start(cols)
  local width = gisa.text.width
  local w, numeric = {}, {}
  for j, c in ipairs(cols) do w[j] = width(c.title); numeric[j] = true end
  return w, numeric
end

-- The cells of ROW as a table shows them (control characters blanked, cut to
-- a column's width), noting in NUMERIC the columns that hold anything else
-- than numbers and widening W to them. LAST ({}, kept from row to row) holds
-- each column's previous string and its cell: a string a column repeats (a
-- file, a kind, a line of dups) is shown once, not once a row.
local function table_cells(row, cols, w, numeric, last)
  local width, truncate = gisa.text.width, gisa.text.truncate
  local r = {}
  for j, c in ipairs(cols) do
    local raw = row[c.key]
    if raw == nil then raw = row[c.index] end
    local tv = type(raw)
    if tv == "string" and raw == last[j] then
      r[j] = last[-j]
    elseif tv == "number" then
      -- (digits and signs: nothing to blank, as wide as long)
      local str = show(raw, c)
      local sw = #str
      if c.width and sw > c.width then str = truncate(str, c.width); sw = width(str) end
      r[j] = str
      if sw > w[j] then w[j] = sw end
      last[j], last[-j] = raw, str
    else
      local v = cell(row, c)
      if v ~= nil and type(v) ~= "number" then numeric[j] = false end
      local str = blanked(show(v, c))
      local sw = width(str)
      if c.width and sw > c.width then str = truncate(str, c.width); sw = width(str) end
      r[j] = str
      if sw > w[j] then w[j] = sw end
      last[j], last[-j] = raw, str
    end
  end
  return r
end

-- The header (titles and rule) once the widths are known; a column with a
-- width of its own is that wide whatever its cells.
local function table_head(cols, w, numeric)
  local width = gisa.text.width
  for j, c in ipairs(cols) do if c.width then w[j] = math.max(c.width, width(c.title)) end end
  local titles, rule = {}, {}
  for j, c in ipairs(cols) do titles[j] = c.title; rule[j] = rep("─", w[j]) end
  return table_line(titles, cols, w, numeric), concat(rule, "  ")
end

local function table_text(rows, cols, opts)
  local w, numeric = table_start(cols)
  local cells = {}
  local last = {}
  for i, row in ipairs(rows) do cells[i] = table_cells(row, cols, w, numeric, last) end
  local title, rule = table_head(cols, w, numeric)
  local out = {}
  if opts.header ~= false then out[1], out[2] = title, rule end
  for _, r in ipairs(cells) do out[#out + 1] = table_line(r, cols, w, numeric) end
  return concat(out, "\n") .. (#out > 0 and "\n" or "")
end

-- (what %s matches: a field that starts or ends with one is quoted)
local space = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }

-- s quoted when it holds a quote, a comma or a line break, or starts or ends
-- with white space; plain finds and two bytes, not class patterns: those
-- cost a match at every byte of every cell.
local function csv_field(s)
  if find(s, '"', 1, true) or find(s, ",", 1, true) or find(s, "\r", 1, true) or find(s, "\n", 1, true)
    or space[byte(s, 1)] or space[byte(s, -1)] then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

local tsv_escapes = { ["\t"] = "\\t", ["\n"] = "\\n", ["\r"] = "\\r", ["\\"] = "\\\\" }

--- A float as the shortest decimal that reads back as the same number
--- (%.15g, %.16g or %.17g: full precision, no noise digits); nan and inf as
--- Lua writes them. Integers as they are.
---@param v number
---@return string
function M.number(v)
  if math.type(v) ~= "float" then return tostring(v) end
  if v ~= v or v == math.huge or v == -math.huge then return tostring(v) end
  for p = 15, 16 do
    local s = format("%." .. p .. "g", v)
    if tonumber(s) == v then return s end
  end
  return format("%.17g", v)
end

-- (and backslashes escaped, for TSV)
local function tsv_field(s)
  if find(s, "\t", 1, true) or find(s, "\n", 1, true) or find(s, "\r", 1, true) or find(s, "\\", 1, true) then
    return (s:gsub("[\t\n\r\\]", tsv_escapes))
  end
  return s
end

-- Each row's fields as show() and M.number give them, quoted or escaped for
-- SEP. A number needs neither (digits, sign, point, exponent, inf, nan); a
-- string a column repeats (a file, a title) is made once: LAST holds each
-- column's last string and LASTF its field.
local function delimited(rows, cols, sep, opts)
  local field = sep == "," and csv_field or tsv_field
  local number = M.number
  local out, parts, ncols = {}, {}, #cols
  if opts.header ~= false then
    for j, c in ipairs(cols) do parts[j] = field(c.title) end
    out[1] = concat(parts, sep, 1, ncols)
  end
  local last, lastf = {}, {}
  for _, row in ipairs(rows) do
    for j = 1, ncols do
      local c = cols[j]
      local v = row[c.key]
      if v == nil then v = row[c.index] end
      if v ~= nil and v == last[j] then
        parts[j] = lastf[j]
      else
        local tv = type(v)
        if tv == "number" then
          -- machines get full precision, not the table's rounding
          parts[j] = number(v)
        elseif tv == "string" then
          local f = field(valid(v) and v or M.display(v))
          parts[j], last[j], lastf[j] = f, v, f
        elseif v == nil then
          parts[j] = ""
        else
          parts[j] = field(show(cell(row, c), c))
        end
      end
    end
    out[#out + 1] = concat(parts, sep, 1, ncols)
  end
  local nl = sep == "," and "\r\n" or "\n"
  return concat(out, nl) .. (#out > 0 and nl or "")
end

-- JSON Lines and JSON. A row is given to gisa.json as it is, its columns'
-- keys as the order, when that writes what its copy (each column's cell, as
-- json_copy makes it) would: gisa.jsonw's as_is tells (in C: one call a row).
-- A copy of every row and a string of them all cost more than the writing.
local json_as_is = require("gisa.jsonw").as_is

local function json_copy(row, cols)
  local obj = {}
  for _, c in ipairs(cols) do
    local v = cell(row, c)
    if type(v) == "number" and (v ~= v or v == math.huge or v == -math.huge) then v = nil end
    obj[c.key] = v
  end
  return obj
end

-- Write rows one at a time to OUT as JSON Lines (LINES) or as a JSON array:
-- returns put(row), and done() to call after the last row.
local function json_writer(out, cols, lines)
  local write = require("gisa.output.json").write
  local keys, last, n = {}, {}, 0
  for j, c in ipairs(cols) do keys[j] = c.key end
  local function put(row)
    if not json_as_is(row, keys, last) then row = json_copy(row, cols) end
    n = n + 1
    if lines then write(out, row, keys, "\n")
    else write(out, row, keys, nil, n > 1 and ",\n " or "[") end
  end
  local function done()
    if not lines then out:write(n == 0 and "[]\n" or "]\n") end
  end
  return put, done
end

local function json_rows(rows, cols, lines)
  local encode = require("gisa.output.json").encode
  local keys, last = {}, {}
  for j, c in ipairs(cols) do keys[j] = c.key end
  local out = {}
  for i, row in ipairs(rows) do
    if not json_as_is(row, keys, last) then row = json_copy(row, cols) end
    out[i] = encode(row, keys)
  end
  if lines then return concat(out, "\n") .. (#out > 0 and "\n" or "") end
  return "[" .. concat(out, ",\n ") .. "]\n"
end

--- ROWS as text in FORMAT ("table", "tsv", "csv", "jsonl", "json").
---@param rows table[]
---@param columns (string|table)[]
---@param opts? {format?:string, header?:boolean}
---@return string
function M.render(rows, columns, opts)
  opts = opts or {}
  local cols = norm_columns(columns)
  local fmt = opts.format or "table"
  if fmt == "table" then return table_text(rows, cols, opts)
  elseif fmt == "tsv" then return delimited(rows, cols, "\t", opts)
  elseif fmt == "csv" then return delimited(rows, cols, ",", opts)
  elseif fmt == "jsonl" then return json_rows(rows, cols, true)
  elseif fmt == "json" then return json_rows(rows, cols, false)
  end
  error("unknown output format '" .. tostring(fmt) .. "'", 2)
end

local outputs = {}   -- -o FILE: opened once, so a script may call output() twice

--- The stream a script writes to: standard output, or -o FILE.
function M.stream(opts)
  local file = opts and opts.output
  if not file or file == "-" then return io.stdout end
  if not outputs[file] then
    local fh, err = io.open(file, "wb")
    if not fh then M.usage("cannot write " .. file .. ": " .. tostring(err)) end
    outputs[file] = fh
  end
  return outputs[file]
end

--- Write ROWS with COLUMNS in opts.format to standard output (or -o FILE).
--- `opts.title` is printed above a table (not in machine formats).
function M.output(rows, columns, opts)
  opts = opts or {}
  local out = M.stream(opts)
  local fmt = opts.format or "table"
  if fmt == "jsonl" or fmt == "json" then
    local put, done = json_writer(out, norm_columns(columns), fmt == "jsonl")
    for _, row in ipairs(rows) do put(row) end
    done()
  else
    if opts.title and fmt == "table" then out:write(opts.title, "\n") end
    out:write(M.render(rows, columns, opts))
  end
  out:flush()
end

------------------------------------------------------------------------------
-- Bounded memory: spills, and rows written as they are made
------------------------------------------------------------------------------

--- A spill: strings appended one at a time, kept in memory up to BUDGET bytes
--- (default: GISA_SPILL_KB KiB, else 1 MiB), past that in an unlinked temporary file (nothing is left
--- behind, even on Ctrl-C); `:each()` gives them back in order, as often as
--- needed. For the per-article data an analysis needs once the whole corpus is
--- known (keywords' counts: scores need every document frequency).
---@param budget? integer
function M.spill(budget)
  budget = budget or (tonumber(os.getenv("GISA_SPILL_KB") or "") or 1024) * 1024
  local sp = { list = {}, bytes = 0, n = 0 }
  local pack, unpack = string.pack, string.unpack
  function sp:add(str)
    local list = self.list
    list[#list + 1] = str
    self.bytes, self.n = self.bytes + #str, self.n + 1
    if self.bytes > budget then self:flush() end
  end
  function sp:flush()
    if #self.list == 0 then return end
    if not self.fh then
      self.fh = io.tmpfile()
      if not self.fh then budget = math.huge; return end   -- no temporary file: keep it in memory
    end
    local fh = self.fh
    fh:seek("end")
    -- each string after its length (string.pack's "<s4"), in one write
    local parts = {}
    for i, str in ipairs(self.list) do parts[2 * i - 1], parts[2 * i] = pack("<I4", #str), str end
    fh:write(concat(parts))
    self.filed, self.nfiled = (self.filed or 0) + self.bytes, (self.nfiled or 0) + #self.list
    self.list, self.bytes = {}, 0
  end
  -- Short strings (rows, keys) are cut from blocks of 64 KiB read at once,
  -- which spares two reads a string; long ones (a document) are read one at
  -- a time, which spares copying them through a block.
  function sp:each()
    local fh, list = self.fh, self.list
    local i, buf, at = 0, "", 1
    if fh then fh:seek("set") end
    if fh and self.filed >= 1024 * self.nfiled then
      return function()
        if fh then
          local len = fh:read(4)
          if len and #len == 4 then return fh:read((unpack("<I4", len))) end
          fh = nil
        end
        i = i + 1
        return list[i]
      end
    end
    return function()
      while fh do
        local n = #buf - at + 1
        local len = n >= 4 and unpack("<I4", buf, at)
        if len and n >= 4 + len then
          local str = sub(buf, at + 4, at + 3 + len)
          at = at + 4 + len
          return str
        end
        local more = fh:read(math.max(65536, (len or 0) + 4 - n))
        if not more then fh = nil
        else buf, at = sub(buf, at) .. more, 1 end
      end
      i = i + 1
      return list[i]
    end
  end
  function sp:close()
    if self.fh then self.fh:close(); self.fh = nil end
    self.list = {}
  end
  return sp
end

--- Write rows as M.output does, without holding them: PRODUCE(emit) calls
--- emit(row) for each row in order, and is called once. A table's cells
--- wait in a spill (M.spill) until the columns' widths are known. The
--- output is byte for byte what M.output gives for the same rows.
---@param produce fun(emit: fun(row: table))
---@param columns (string|table)[]
---@param opts? table
function M.output_stream(produce, columns, opts)
  opts = opts or {}
  local out = M.stream(opts)
  local fmt = opts.format or "table"
  local cols = norm_columns(columns)
  if fmt == "table" then
    if opts.title then out:write(opts.title, "\n") end
    local w, numeric = table_start(cols)
    -- each row's cells packed in one string (string.pack, "s4" a cell), kept
    -- until the widths are known, instead of making the rows twice
    local cells, ncols = M.spill(), #cols
    local rowfmt, tunpack, spack, sunpack = rep("s4", ncols), table.unpack, string.pack, string.unpack
    local last = {}
    produce(function(row) cells:add(spack(rowfmt, tunpack(table_cells(row, cols, w, numeric, last), 1, ncols))) end)
    local title, rule = table_head(cols, w, numeric)
    if opts.header ~= false then out:write(title, "\n", rule, "\n") end
    local padded = {}
    for line in cells:each() do
      out:write(table_line({ sunpack(rowfmt, line) }, cols, w, numeric, padded), "\n")
    end
    cells:close()
  elseif fmt == "jsonl" or fmt == "json" then
    local put, done = json_writer(out, cols, fmt == "jsonl")
    produce(put)
    done()
  else
    -- tsv, csv: rows in batches through M.render, the header once
    local batch, o = {}, { format = fmt, header = opts.header }
    local function put()
      out:write(M.render(batch, columns, o))
      batch, o.header = {}, false
    end
    produce(function(row)
      batch[#batch + 1] = row
      if #batch >= 1000 then put() end
    end)
    if #batch > 0 or o.header ~= false then put() end
  end
  out:flush()
end

--- The end of S that fits in COLS display columns (for left contexts).
function M.tail(s, cols)
  local width = gisa.text.width
  if width(s) <= cols then return s end
  -- look only at the last few bytes a line of COLS columns can need
  local from = #s - cols * 4
  if from > 1 then
    while from <= #s and (s:byte(from) & 0xC0) == 0x80 do from = from + 1 end
    s = s:sub(from)
  end
  local total = width(s)
  for pos, ch in gisa.text.chars(s) do
    if total <= cols then return s:sub(pos) end
    total = total - width(ch)
  end
  return ""
end

--- A horizontal bar of VALUE out of MAX in at most WIDTH columns, with eighth
--- blocks for the remainder (▏▎▍▌▋▊▉█).
function M.bar(value, max, width)
  if not max or max <= 0 or value <= 0 then return "" end
  local eighths = floor(value / max * width * 8 + 0.5)
  if eighths == 0 then eighths = 1 end
  local full, part = eighths // 8, eighths % 8
  local parts = { "▏", "▎", "▍", "▌", "▋", "▊", "▉" }
  return rep("█", full) .. (part > 0 and parts[part] or "")
end

--- The exit status a script returns: 1 when some input failed.
function M.exit_code() return status.exit_code() end

return M
