---@meta gisa.zio
-- Annotations for the C module gisa.zio (src/zio.c), for the Lua language
-- server. Not loaded at run time. docs/zio.md has the details.

---@class gisa.zio
local zio = {}

---@alias gisa.zio.Kind "gzip"|"zstd"|"xz"|"bzip2"|"zip"|"tar"

---@class gisa.zio.Options
---@field limit? integer|false most bytes to decompress (default 8 GiB; 0 or false: no limit)

---@class gisa.zio.Stream
local Stream = {}

---The next bytes, at most n (default 65536; fewer only at the end); nil at the
---end; nil, message, offset (in the compressed file) on damage, after the bytes
---that came before it.
---@param n? integer
---@return string|nil bytes, string? message, integer? offset
function Stream:read(n) end

---"gzip", "zstd", "xz", "bzip2", or nil for a plain file or an archive entry.
---@return "gzip"|"zstd"|"xz"|"bzip2"|nil
function Stream:kind() end

---Close the file and free the decoder (also `__close` and `__gc`).
function Stream:close() end

---The kind of data from its first bytes (262 of them to see a tar archive).
---@param head string
---@return gisa.zio.Kind|nil
function zio.kind(head) end

---Open a file ("-": standard input) as a stream: gzip, zstd, xz and bzip2 data
---is decompressed (by its magic bytes), anything else passes through.
---@param path string
---@param opts? gisa.zio.Options
---@return gisa.zio.Stream|nil stream, string? message
function zio.open(path, opts) end

---The regular files of a zip or tar archive (compressed or not), for a generic
---for: name (UTF-8; CP949 names decoded), stream; or name, nil, message for a
---damaged or encrypted entry. Read each stream before the next step.
---nil, message when the file is not a zip or tar archive.
---@param path string
---@param opts? gisa.zio.Options
---@return (fun(): string?, gisa.zio.Stream?, string?)|nil iterator, string|nil message, nil, any closing
function zio.entries(path, opts) end

return zio
