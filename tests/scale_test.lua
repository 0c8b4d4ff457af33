-- The recipes of docs/scale.md, run for real: GNU parallel over shares (locally
-- and through --sshlogin ':'), and a Slurm job array on a single-node cluster
-- started in a scratch directory. Each compares with one unsharded run.
local t = require "t"

local JOB = [[
gisa.run{ paths = arg,
  state = function() return { n = 0, paras = 0, sites = {} } end,
  each = function(a, s)
    s.n = s.n + 1
    s.paras = s.paras + #a.body
    local k = a.site or "-"
    s.sites[k] = (s.sites[k] or 0) + 1
  end,
  merge = function(x, y)
    x.n, x.paras = x.n + y.n, x.paras + y.paras
    for k, v in pairs(y.sites) do x.sites[k] = (x.sites[k] or 0) + v end
    return x
  end,
  finish = function(s, nr)
    local keys = {}
    for k in pairs(s.sites) do keys[#keys + 1] = k end
    table.sort(keys)
    print("articles", s.n, nr, "paragraphs", s.paras)
    for _, k in ipairs(keys) do print(k, s.sites[k]) end
  end }
]]

local function have(cmd) return t.sh("command -v " .. cmd).code == 0 end

local function abs(p)
  if p:sub(1, 1) == "/" then return p end
  return (os.getenv("PWD") or io.popen("pwd"):read("l")) .. "/" .. p
end

-- 300 generated articles in nested directories, and the job file.
local function setup()
  local d = t.tmpdir() .. "/scale"
  if t.sh("test -d " .. d).code ~= 0 then
    local r = t.gisa{ "bench/gen.lua", "300", d }
    assert(r.code == 0, r.err)
  end
  t.write(t.tmpdir() .. "/job.lua", JOB)
  return abs(d), abs(t.tmpdir() .. "/job.lua")
end

local function sorted_lines(s)
  local l = {}
  for x in s:gmatch("[^\n]+") do l[#l + 1] = x end
  table.sort(l)
  return table.concat(l, "\n")
end

t.test("GNU parallel: shares of extract concatenate to the whole; partial states merge", function()
  if not have("parallel") then t.skip("GNU parallel is not installed (tools/deps test installs it)") end
  local d, job = setup()
  local bin = t.shquote(abs(t.bin))
  local whole = t.gisa{ "extract", "-q", "-j", "1", d }
  t.eq(whole.code, 0)
  for _, login in ipairs{ "", "--sshlogin : " } do
    local r = t.sh("parallel " .. login .. "-j 2 " .. bin .. " extract -q -j 1 --shard {}/3 " .. t.shquote(d) .. " ::: 1 2 3")
    t.eq(r.code, 0, r.err)
    t.eq(sorted_lines(r.out), sorted_lines(whole.out), "the shares' records " .. login)
  end
  local one = t.gisa{ "-j", "1", job, d }
  local dir = t.tmpdir()
  local r = t.sh("cd " .. dir .. " && parallel -j 2 " .. bin .. " --partial -j 1 --shard {}/3 " .. t.shquote(job) ..
    " " .. t.shquote(d) .. " '>' {}.part ::: 1 2 3")
  t.eq(r.code, 0, r.err)
  local merged = t.sh("cd " .. dir .. " && " .. bin .. " --merge " .. t.shquote(job) .. " 1.part 2.part 3.part")
  t.eq(merged.code, 0, merged.err)
  t.eq(merged.out, one.out, "merged report")
  t.match(one.out, "^articles\t300\t300\t")
end)

-- A single-node Slurm cluster in `dir` (see ../shared/notes/slurm.md). Returns a
-- function that stops what was started.
local function start_slurm(dir)
  local pids = {}
  local function sh(cmd) return t.sh(cmd) end
  local conf = dir .. "/slurm.conf"
  local sock = dir .. "/m/munge.socket"
  os.execute("mkdir -p " .. dir .. "/m " .. dir .. "/spool " .. dir .. "/state && chmod 755 " .. dir .. " " .. dir .. "/m")
  os.execute("dd if=/dev/urandom of=" .. dir .. "/munge.key bs=1024 count=1 2>/dev/null && chmod 0400 " .. dir .. "/munge.key")
  local hw = sh("slurmd -C | head -1").out:gsub("NodeName=%S+", ""):gsub("\n", "")
  local cfg = table.concat({
    "ClusterName=gisatest", "SlurmctldHost=localhost", "AuthType=auth/munge",
    "AuthInfo=socket=" .. sock, "SlurmUser=root", "SlurmdUser=root",
    "StateSaveLocation=" .. dir .. "/state", "SlurmdSpoolDir=" .. dir .. "/spool",
    "SlurmctldPidFile=" .. dir .. "/slurmctld.pid", "SlurmdPidFile=" .. dir .. "/slurmd.pid",
    "SlurmctldLogFile=" .. dir .. "/slurmctld.log", "SlurmdLogFile=" .. dir .. "/slurmd.log",
    "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core", "MpiDefault=none", "ReturnToService=2", "MinJobAge=5",
    "SchedulerParameters=batch_sched_delay=0", "JobAcctGatherType=jobacct_gather/none",
    "NodeName=localhost NodeAddr=127.0.0.1 " .. hw .. " State=UNKNOWN",
    "PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP", "" }, "\n")
  t.write(conf, cfg)
  local function daemon(cmd, name)
    local r = sh("setsid " .. cmd .. " > " .. dir .. "/" .. name .. ".out 2>&1 & echo $!")
    pids[#pids + 1] = r.out:match("%d+")
  end
  daemon("munged -F --key-file=" .. dir .. "/munge.key --socket=" .. sock .. " --pid-file=" .. dir ..
    "/munged.pid --seed-file=" .. dir .. "/munge.seed --log-file=" .. dir .. "/munged.log", "munged")
  local env = "env SLURM_CONF=" .. conf .. " "
  for _ = 1, 50 do if sh("test -S " .. sock).code == 0 then break end; os.execute("sleep 0.1") end
  daemon(env .. "slurmctld -D -i", "slurmctld")
  daemon(env .. "slurmd -D -N localhost", "slurmd")
  local up = false
  for _ = 1, 100 do
    if sh(env .. "sinfo -h -o %t").out:find("idle") then up = true; break end
    os.execute("sleep 0.2")
  end
  local function stop()
    sh(env .. "scancel --user=root 2>/dev/null")
    for i = #pids, 1, -1 do
      if pids[i] then os.execute("kill " .. pids[i] .. " 2>/dev/null") end
      os.execute("sleep 0.3")
    end
    for i = #pids, 1, -1 do
      if pids[i] then os.execute("kill -9 " .. pids[i] .. " 2>/dev/null") end
    end
  end
  if not up then
    local log = t.read(dir .. "/slurmctld.log") or ""
    stop()
    error("the test cluster did not come up:\n" .. log:sub(-2000))
  end
  return env, stop
end

t.test("Slurm job array: shares as array tasks, merged like one run", function()
  if not (have("sbatch") and have("slurmctld") and have("slurmd") and have("munged")) then
    t.skip("Slurm is not installed (tools/deps test installs slurmctld slurmd slurm-client munge)")
  end
  if t.sh("(ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -qE ':(6817|6818) '").code == 0 then
    t.skip("ports 6817/6818 are in use (another Slurm is running)")
  end
  local d, job = setup()
  -- munged wants every directory above its socket open to all (mktemp -d is 0700)
  local dir = t.sh("mktemp -d /tmp/gisa-slurm.XXXXXX").out:gsub("%s+$", "")
  local env, stop = start_slurm(dir)
  local ok, err = pcall(function()
    local bin = abs(t.bin)
    t.write(dir .. "/array.sh", table.concat({
      "#!/bin/sh",
      "cd " .. t.shquote(dir),
      t.shquote(bin) .. " --partial -j 1 --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" " ..
        t.shquote(job) .. " " .. t.shquote(d) .. " > part-$SLURM_ARRAY_TASK_ID",
      t.shquote(bin) .. " extract -q -j 1 --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" " ..
        t.shquote(d) .. " > ext-$SLURM_ARRAY_TASK_ID", "" }, "\n"))
    local r = t.sh(env .. "sbatch --wait --array=1-3 --output=" .. dir .. "/task-%a.log " .. dir .. "/array.sh")
    t.eq(r.code, 0, r.out .. r.err)
    local merged = t.sh("cd " .. dir .. " && " .. t.shquote(bin) .. " --merge " .. t.shquote(job) .. " part-1 part-2 part-3")
    t.eq(merged.code, 0, merged.err)
    t.eq(merged.out, t.gisa{ "-j", "1", job, d }.out, "merged report")
    local cat = t.sh("cat " .. dir .. "/ext-1 " .. dir .. "/ext-2 " .. dir .. "/ext-3")
    t.eq(sorted_lines(cat.out), sorted_lines(t.gisa{ "extract", "-q", "-j", "1", d }.out), "extract shares")
  end)
  stop()
  os.execute("rm -rf " .. t.shquote(dir))
  if not ok then error(err, 0) end
end)
