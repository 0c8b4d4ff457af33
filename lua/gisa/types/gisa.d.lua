---@meta gisa
-- Annotations for the Lua language server: the article record, the `gisa`
-- table every script sees, and the C modules gisa.enc, gisa.hangul, gisa.hash
-- and gisa.sys (gisa.text has its own file, text.d.lua). Never loaded at run
-- time. Point the language server at lua/ (workspace.library) to get completion.
-- Reference: docs/api.md, docs/record.md, docs/formats.md.

------------------------------------------------------------------------------
-- The article record (docs/record.md)
------------------------------------------------------------------------------

---@class gisa.Author
---@field name string
---@field role string? as printed: 기자, 특파원, 선임기자 …
---@field email string? only where the text ties the address to this name

---@class gisa.Block
---@field type "para"|"heading"|"question"|"answer"|"caption"|"note"|"quote"|string
---@field text string
---@field line integer the input line number
---@field qa integer? questions and answers: index into `qa`
---@field marker string? questions and answers: the marker they had (▷, Q., ㅡ …)
---@field credit string? captions: the credit

---@class gisa.QA
---@field q string? the question, marker removed
---@field a string? the answer; lines joined with "\n"

---@class gisa.Quote
---@field text string the quote without its marks
---@field speaker string? the person's full name (gisa.quotes), nil when no one is named
---@field line integer
---@field verb string? the reporting verb (말했다, 강조했다 …), nil when there is none

---@class gisa.Caption
---@field text string
---@field credit string? as a reader names it: (사진=구글) -> 구글

---@class gisa.Removed
---@field line integer
---@field text string as in the input
---@field reason string the id of the rule that dropped it

---@class gisa.Article
---@field file string the path as given ("-" for standard input)
---@field encoding string utf-8, cp949, utf-16le …
---@field site string? id of the site rules that matched
---@field publisher string? 한국경제, 파이낸셜뉴스 …
---@field title string? the headline
---@field subtitles string[]
---@field series string?
---@field section string?
---@field authors gisa.Author[]
---@field emails string[]
---@field published string? ISO 8601, e.g. 2023-03-14T16:00:00+09:00
---@field modified string?
---@field blocks gisa.Block[] the content in reading order
---@field body string[] the main text, one paragraph an item
---@field qa gisa.QA[]
---@field quotes gisa.Quote[]
---@field captions gisa.Caption[]
---@field copyright string?
---@field removed gisa.Removed[]
---@field record_no integer? the article's number in a file of many (a dump, --split)
---@field line integer? the line of that file where the article starts
---@field url string? the address a dump gives
---@field source_fields string[]? the fields a dump stated (they won over the rules), sorted

------------------------------------------------------------------------------
-- Formats and writers (docs/formats.md)
------------------------------------------------------------------------------

---@class gisa.Output
---@field write fun(self: gisa.Output, ...: string|number): any

---@class gisa.FormatOptions
---@field fields string[]? the --fields names, in order (nil: the format's default)
---@field bom boolean? a UTF-8 byte order mark was written first
---@field sep string? csv/tsv: separator of list items in a cell ("; ")
---@field title string? html: the page title
---@field [string] any the format may keep its state here

---@class gisa.Format
---@field open? fun(out: gisa.Output, opts: gisa.FormatOptions) before the first record
---@field write fun(out: gisa.Output, rec: table, n: integer, opts: gisa.FormatOptions) one record
---@field close? fun(out: gisa.Output, n: integer, opts: gisa.FormatOptions) after the last

---@class gisa.WriteOptions: gisa.FormatOptions
---@field out gisa.Output|file*? where to write (io.stdout)
---@field fields (string|string[])? "title,authors.name" or a list

---@class gisa.Writer
---@field n integer records written so far
local Writer = {}
---@param rec gisa.Article|table
function Writer:write(rec) end
---@return integer n records written
function Writer:close() end

---@class gisa.TableOptions
---@field header (string[]|boolean)? column titles (true: the `columns` names)
---@field columns string[]? for rows that are keyed tables: the fields to show ("authors.name" works)
---@field align ("left"|"right"|"center")[]? per column; numbers are right-aligned by default
---@field max integer? widest cell, in display columns (longer cells end in …)
---@field sep string? between columns ("  ")
---@field out (gisa.Output|file*|false)? io.stdout; false only returns the text

---@class gisa.Job
---@field paths (string|string[])? files, directories, "-"
---@field state (table|fun(): any)? a fresh partial result (a function when merging)
---@field each fun(a: gisa.Article, state: any, nr: integer)? one article
---@field merge fun(s1: any, s2: any, k: integer?): any? combine two partial results (k: the --merge file s2 came from)
---@field pieces (fun(state: any): fun(): any)? parts of a state that merge back into it (--partial writes them one by one)
---@field finish fun(state: any, nr: integer): ...? the final report
---@field begin fun(state: any)? before the first article
---@field shards integer? deal articles to N states, then merge (checks `merge`)
---@field opts table? reading options (encoding, repair, quiet)
---@field name string? what a --partial state is checked against (default: the script's name)
---@field out (file*|fun(): file*)? where --partial writes the state (io.stdout)
---@field fields string[]? the record keys `each` reads: only these cross under -j (no merge), and post passes that fill none of them (the quote finder) are skipped

------------------------------------------------------------------------------
-- The gisa table
------------------------------------------------------------------------------

---@class gisa
---@field version string
---@field options {encoding: string, repair: boolean, quiet: boolean}
---@field text gisa.text
---@field enc gisa.enc
---@field hangul gisa.hangul
---@field hash gisa.hash
---@field wire gisa.wire
---@field proc gisa.proc
---@field sys gisa.sys
---@field json gisa.json
---@field fields gisa.fields
---@field html gisa.html
---@field script {path: string, name: string}? the running script
gisa = {}

--- Iterate over the articles of any mix of files, directories and "-".
---@param paths string|string[]
---@param opts? {encoding?: string, repair?: boolean, quiet?: boolean, ext?: string, split?: string, map?: string}
---@return fun(): gisa.Article?
function gisa.articles(paths, opts) end

--- Call fn(article) for each article.
---@param paths string|string[]
---@param fn fun(a: gisa.Article)
---@param opts? table
function gisa.each(paths, fn, opts) end

--- Per-article callback, mergeable partial results, final report.
---@param job gisa.Job
---@return any ...
function gisa.run(job) end

--- Read one file as UTF-8 text.
---@param path string
---@param opts? table
---@return string|nil text
---@return table|string info {encoding=, warnings=} or the message
function gisa.read(path, opts) end

--- Turn UTF-8 text into an article record.
---@param text string
---@param file? string
---@param encoding? string
---@return gisa.Article
function gisa.extract(text, file, encoding) end

--- Write records in a format: one record, a list, or an iterator.
---@param records gisa.Article|gisa.Article[]|fun(): gisa.Article?
---@param format? string|gisa.Format "jsonl" (default), "csv", a path to a .lua file …
---@param out? gisa.Output|file*|gisa.WriteOptions
---@return integer n records written
function gisa.write(records, format, out) end

--- Like gisa.write, but return the text.
---@param records gisa.Article|gisa.Article[]|fun(): gisa.Article?
---@param format? string|gisa.Format
---@param opts? gisa.WriteOptions
---@return string
function gisa.render(records, format, opts) end

--- A writer to feed one record at a time.
---@param format string|gisa.Format
---@param out? gisa.Output|file*|gisa.WriteOptions
---@return gisa.Writer
function gisa.writer(format, out) end

--- Print an aligned table (display-width aware) and return its text.
---@param rows table list of lists, list of keyed tables (with opts.columns), or a map {key = value}
---@param opts? gisa.TableOptions
---@return string
function gisa.table(rows, opts) end

------------------------------------------------------------------------------
-- gisa.fields and gisa.json
------------------------------------------------------------------------------

---@class gisa.Field
---@field name string
---@field path (string|integer)[]

---@class gisa.fields
---@field sub table<string, string[]> the keys of each list-of-objects field
---@field sep string "; "
local fields = {}
---@return string[] every name --fields accepts
function fields.names() end
---@param spec string|string[]
---@return gisa.Field[]|nil
---@return string? message naming the valid fields
function fields.parse(spec) end
---@param rec table
---@param field string|gisa.Field "authors.name", "body.1" …
---@return any
function fields.get(rec, field) end
---@param rec table
---@param list gisa.Field[]
---@return table rec, string[] order
function fields.select(rec, list) end
---@param v any
---@param sep? string
---@return string
function fields.cell(v, sep) end
---@param x any
---@return string
function fields.item_text(x) end
---@param iso string?
---@return string?
function fields.date(iso) end
---@param authors gisa.Author[]
---@return string
function fields.byline(authors) end
---@param rec table
---@param order? string[]
---@return {kind: string, text: string, label?: string, more?: boolean}[]
function fields.document(rec, order) end

---@class gisa.json
local json = {}
--- Compact JSON, UTF-8 as is; `order` lists the keys of the top-level object.
---@param v any
---@param order? string[]
---@return string
function json.encode(v, order) end
---@param v any
---@param order? string[]
---@param indent? string
---@param step? string
---@return string
function json.pretty(v, order, indent, step) end
---@param s string
---@return any|nil
---@return string? message
function json.decode(s) end
--- out:write(json.encode(v, order), tail) in one call; an open io file gets the text directly.
---@param out file*|{write: function}
---@param v any
---@param order? string[]
---@param tail? string
function json.write(out, v, order, tail) end
--- out:write(head, json.pretty(v, order, indent, step)) as json.write does it.
---@param out file*|{write: function}
---@param v any
---@param order? string[]
---@param indent? string
---@param step? string
---@param head? string
function json.write_pretty(out, v, order, indent, step, head) end

------------------------------------------------------------------------------
-- C modules
------------------------------------------------------------------------------

-- gisa.enc: see enc.d.lua; gisa.text: see text.d.lua.

---@class gisa.hangul
local hangul = {}
---@param s string
---@return string|nil
---@return string? message
---@return integer? pos
function hangul.decompose(s) end
---@param s string
---@return string|nil
---@return string? message
---@return integer? pos
function hangul.compose(s) end
---@param s string
---@return string|nil
---@return string? message
---@return integer? pos
function hangul.choseong(s) end
---@param s string
---@param kind? string
---@return boolean|nil
function hangul.has_batchim(s, kind) end
---@param word string
---@param pair string "은/는", "이/가", "을/를", "와/과", "(으)로" …
---@return string particle
function hangul.josa_pick(word, pair) end
---@param word string
---@param pair string
---@return string word_with_particle
function hangul.josa(word, pair) end
---@param word string
---@return string stem
---@return string? particle
function hangul.strip_josa(word) end
---@param s string
---@return string|nil
---@return string? message
---@return integer? pos
function hangul.romanize(s) end
--- Byte ranges where a choseong (or mixed) query matches: search(t, "ㅎㄱ").
---@param text string
---@param query string
---@return {[1]: integer, [2]: integer}[]|nil
---@return string? message
---@return integer? pos
function hangul.search(text, query) end

---@class gisa.wire
local wire = {}
--- A compact binary encoding of v (nil, booleans, numbers, strings, tables
--- without cycles); raises naming the key of a function, userdata or cycle.
---@param v any
---@return string
function wire.encode(v) end
--- The value at `pos` (1) and the position after it; for damaged data nil,
--- message, position (a string second result tells the two apart).
---@param s string
---@param pos? integer
---@return any value, integer|string nextpos_or_message, integer? position
function wire.decode(s, pos) end

---@class gisa.proc.Channel
local Channel = {}
---@param s string one frame
---@return true|nil ok, string? message
function Channel:send(s) end
--- A frame; false when none is complete yet (block = false); nil, "closed" at the end.
---@param block? boolean
---@return string|false|nil frame, string? message
function Channel:recv(block) end
--- In the parent: close, wait for the worker (kill it first when asked).
---@param kill? boolean
---@return "exit"|"signal"|nil how, integer? code
function Channel:close(kill) end
---@return integer
function Channel:pid() end
--- The word shared by parent and worker (the task the worker is on).
---@param n? integer
---@return integer
function Channel:mark(n) end

--- Worker processes for -j (used by gisa.parallel).
---@class gisa.proc
local proc = {}
--- Fork a worker: channel, false in the parent; channel, true in the worker.
---@return gisa.proc.Channel|nil channel, boolean|string is_child_or_message
function proc.fork() end
--- The channels that have a frame or an end to read (waits up to timeout_ms; -1 for ever;
--- a signal ends the wait early with no channel, so that its Lua hook can run).
---@param channels gisa.proc.Channel[]
---@param timeout_ms? integer
---@return gisa.proc.Channel[]
function proc.ready(channels, timeout_ms) end
--- End a worker at once.
---@param code integer
function proc.exit(code) end
--- Map every page of the heap now, in one call, after making it `grow` bytes
--- larger: after a fork, instead of a copy-on-write fault per page first
--- written and a fault per page the heap grows by. false where unsupported.
---@param grow? integer
---@return boolean
function proc.prefault(grow) end
--- The processors this process may run on.
---@return integer
function proc.ncpu() end

---@class gisa.hash
local hash = {}
---@param s string
---@param seed? integer
---@return integer
function hash.hash64(s, seed) end
---@param s string
---@param shingle? integer 3
---@return integer
function hash.simhash(s, shingle) end
---@param a integer
---@param b integer
---@return integer bits that differ (0-64)
function hash.hamming(a, b) end
---@param s string
---@param k integer
---@param shingle? integer 3
---@return integer[]
function hash.minhash(s, k, shingle) end
---@param sig1 integer[]
---@param sig2 integer[]
---@return number estimate in [0, 1]
function hash.jaccard(sig1, sig2) end

---@class gisa.sys
local sys = {}
---@param path string "-" reads standard input
---@return string|nil
---@return string? message
function sys.readfile(path) end
---@param path string
---@param kinds? boolean also return what each entry is, as the listing tells it
---@return string[]|nil names sorted bytewise
---@return (("file"|"dir"|"other"|false)[])|string|nil kinds_or_message false: a link or unknown type (stat it)
function sys.listdir(path, kinds) end
---@param path string
---@return "file"|"dir"|"other"|nil kind
---@return integer|string size_or_message
---@return integer? mtime
function sys.stat(path) end
---@param fd integer
---@return boolean
function sys.isatty(fd) end
---@return number seconds (monotonic)
function sys.clock() end
---@return number seconds of CPU used
function sys.cputime() end
---@return integer
function sys.getpid() end
---@return integer KiB peak resident set size
function sys.maxrss() end

------------------------------------------------------------------------------
-- What a script and `-e` code see
------------------------------------------------------------------------------

---@type string[] the script's arguments (arg[0] is the script)
arg = {}
lpeg = require "lpeg"
re = require "re"

--- In -e code: the article (also `article`); its fields are in scope by name.
---@type gisa.Article
a = nil
---@type gisa.Article
article = nil
---@type integer the article's number in -e code
NR = 0
