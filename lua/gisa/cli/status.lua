-- gisa.status: counts what went wrong in a run and reports it on stderr.
-- Exit status 1 when any input failed; warnings do not change it.

local M = { failed = 0, warnings = 0, quiet = false }

--- Report one failed input (message names the file) and count it. An
--- interrupt (Ctrl-C, SIGTERM, SIGHUP: "interrupted by SIGxxx", raised by the
--- host) caught by a per-article pcall is not a failed input: it goes on up.
function M.fail(msg)
  if type(msg) == "string" and msg:find("interrupted by SIG%u+") then error(msg, 0) end
  M.failed = M.failed + 1
  io.stderr:write("gisa: ", tostring(msg), "\n")
end

--- Report a warning (message names the file); --quiet hides warnings.
function M.warn(msg)
  M.warnings = M.warnings + 1
  if not M.quiet then io.stderr:write("gisa: warning: ", tostring(msg), "\n") end
end

function M.exit_code()
  return M.failed > 0 and 1 or 0
end

return M
