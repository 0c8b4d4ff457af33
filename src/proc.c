/*
 * proc.c: gisa.proc, worker processes for -j. proc.fork() makes a child that
 * shares a socket pair with its parent; each side holds a channel (userdata)
 * that sends and receives length-prefixed frames (4-byte little-endian length,
 * then the bytes: what gisa.wire encodes). proc.ready() waits on many
 * channels at once. The child is a copy of the parent's Lua state, so the
 * work it does is plain Lua; it ends with proc.exit(). No Lua state is shared
 * between threads, and nothing here is held in C globals.
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gisa.h"

#define CHANNEL "gisa.proc.channel"
#define MAX_FRAME (1u << 30)      /* one record or state larger than 1 GiB is refused */

typedef struct {
  int fd;                 /* our end of the socket pair; -1 once closed */
  pid_t pid;              /* the child (in the parent), 0 in the child */
  pid_t owner;            /* the process that forked it: only it waits for or kills the child */
  int status;             /* the child's wait status, once reaped */
  int reaped;
  unsigned char *buf;     /* bytes received: buf[off..len) not yet returned */
  size_t off, len, cap;
  int eof;
  volatile int64_t *mark; /* a word shared by parent and child (what the child is on) */
} Channel;

static Channel *check_channel(lua_State *L, int i)
{
  return (Channel *)luaL_checkudata(L, i, CHANNEL);
}

static int push_errno(lua_State *L, const char *what)
{
  luaL_pushfail(L);
  lua_pushfstring(L, "%s: %s", what, strerror(errno));
  return 2;
}

/* Reap the child if it has ended (or wait for it when `block`). */
static void reap(Channel *c, int block)
{
  if (c->pid <= 0 || c->reaped) return;
  int st;
  pid_t r;
  do r = waitpid(c->pid, &st, block ? 0 : WNOHANG); while (r < 0 && errno == EINTR);
  if (r == c->pid) {
    c->status = st;
    c->reaped = 1;
  }
}

static void channel_shut(Channel *c, int kill_child)
{
  if (c->fd >= 0) {
    close(c->fd);
    c->fd = -1;
  }
  if (c->pid > 0 && !c->reaped && getpid() == c->owner) {
    reap(c, 0);
    if (!c->reaped && kill_child) kill(c->pid, SIGTERM);
    reap(c, 1);
  }
  free(c->buf);
  c->buf = NULL;
  c->off = c->len = c->cap = 0;
  if (c->mark) {
    munmap((void *)c->mark, sizeof *c->mark);
    c->mark = NULL;
  }
}

/* __gc and __close: a channel dropped by an error kills and reaps its child. */
static int channel_gc(lua_State *L)
{
  channel_shut(check_channel(L, 1), 1);
  return 0;
}

/* proc.fork() -> channel, false (in the parent) | channel, true (in the child) | nil, message */
static int proc_fork(lua_State *L)
{
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return push_errno(L, "socketpair");
  Channel *c = (Channel *)lua_newuserdatauv(L, sizeof(Channel), 0);
  memset(c, 0, sizeof *c);
  c->fd = -1;
  luaL_setmetatable(L, CHANNEL);
  void *m = mmap(NULL, sizeof(int64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) {
    close(sv[0]);
    close(sv[1]);
    return push_errno(L, "mmap");
  }
  c->mark = (volatile int64_t *)m;
  *c->mark = 0;
  fflush(NULL);                       /* nothing buffered is written twice */
  /* Parent and workers pass frames of tens of kilobytes, one after another:
   * without this, glibc gives the top of the heap back after each and takes
   * it again for the next, a page fault per 4 KB every time (measured: a
   * third of a worker's extra cost over one process). Set once per process. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return push_errno(L, "fork");
  }
  if (pid == 0) {
    /* Ctrl-C ends a worker at once; the parent reports and cleans up */
    signal(SIGINT, SIG_DFL);
    close(sv[0]);
    c->fd = sv[1];
    lua_pushboolean(L, 1);
    return 2;
  }
  close(sv[1]);
  c->fd = sv[0];
  c->pid = pid;
  c->owner = getpid();
  lua_pushboolean(L, 0);
  return 2;
}

/* channel:send(s) -> true | nil, message   (the other side has gone) */
static int channel_send(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  luaL_argcheck(L, c->fd >= 0, 1, "channel is closed");
  luaL_argcheck(L, n < MAX_FRAME, 2, "frame too large");
  unsigned char head[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 24) };
  struct iovec iov[2] = { { head, 4 }, { (void *)s, n } };
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  for (;;) {
    ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return push_errno(L, "send");
    }
    /* advance past what was sent */
    size_t left = (size_t)w;
    while (msg.msg_iovlen > 0 && left >= msg.msg_iov[0].iov_len) {
      left -= msg.msg_iov[0].iov_len;
      msg.msg_iov++;
      msg.msg_iovlen--;
    }
    if (msg.msg_iovlen == 0) break;
    msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + left;
    msg.msg_iov[0].iov_len -= left;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* Read what is there (once; blocking only when `block`) into the buffer. */
static int fill(Channel *c, int block)
{
  if (c->eof || c->fd < 0) return 0;
  if (c->off > 0) {                   /* move the unread bytes to the front */
    memmove(c->buf, c->buf + c->off, c->len - c->off);
    c->len -= c->off;
    c->off = 0;
  }
  if (c->cap - c->len < 65536) {
    size_t cap = c->cap ? c->cap * 2 : 131072;
    while (cap - c->len < 65536) cap *= 2;
    unsigned char *p = realloc(c->buf, cap);
    if (!p) {
      errno = ENOMEM;
      return -1;
    }
    c->buf = p;
    c->cap = cap;
  }
  ssize_t r;
  do r = recv(c->fd, c->buf + c->len, c->cap - c->len, block ? 0 : MSG_DONTWAIT);
  while (r < 0 && errno == EINTR);
  if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
  if (r == 0) c->eof = 1;
  c->len += (size_t)r;
  return (int)(r > 0);
}

/* The length of the complete frame at the start of the buffer, or -1. */
static long long frame_len(const Channel *c)
{
  if (c->len - c->off < 4) return -1;
  const unsigned char *b = c->buf + c->off;
  size_t n = (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
  return c->len - c->off - 4 >= n ? (long long)n : -1;
}

/* channel:recv([block]) -> frame | false (none complete yet) | nil, "closed" | nil, message */
static int channel_recv(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  int block = lua_toboolean(L, 2);
  for (;;) {
    long long n = frame_len(c);
    if (n >= 0) {
      lua_pushlstring(L, (const char *)c->buf + c->off + 4, (size_t)n);
      c->off += 4 + (size_t)n;
      if (c->off == c->len) c->off = c->len = 0;
      return 1;
    }
    if (c->eof || c->fd < 0) {
      luaL_pushfail(L);
      lua_pushstring(L, c->len > c->off ? "closed in the middle of a frame" : "closed");
      return 2;
    }
    int r = fill(c, block);
    if (r < 0) return push_errno(L, "recv");
    if (r == 0 && !block && !c->eof) {
      lua_pushboolean(L, 0);
      return 1;
    }
  }
}

/* proc.ready(channels [, timeout_ms]) -> array of the channels with a frame or an end to read */
static int proc_ready(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  int timeout = (int)luaL_optinteger(L, 2, -1);
  int n = (int)luaL_len(L, 1);
  luaL_argcheck(L, n >= 0 && n <= 4096, 1, "too many channels");
  struct pollfd fds[4096];
  Channel *chs[4096];
  int waiting = 0, have = 0;
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, 1, i + 1);
    chs[i] = check_channel(L, -1);
    lua_pop(L, 1);
    fds[i].fd = chs[i]->fd;
    fds[i].events = POLLIN;
    fds[i].revents = 0;
    if (frame_len(chs[i]) >= 0 || chs[i]->eof || chs[i]->fd < 0) {
      have = 1;
      fds[i].fd = -1;
    } else waiting = 1;
  }
  if (waiting) {
    int r;
    r = poll(fds, (nfds_t)n, have ? 0 : timeout);
    /* a signal: no channel is ready; back in Lua, the signal's hook runs
     * (Ctrl-C, SIGTERM stop the run) or the caller asks again */
    if (r < 0 && errno == EINTR) {
      lua_newtable(L);
      return 1;
    }
    if (r < 0) return push_errno(L, "poll");
    for (int i = 0; i < n; i++)
      if (fds[i].fd >= 0 && fds[i].revents) {
        /* read everything that is there now, so the next frames are ready too */
        int f;
        do f = fill(chs[i], 0); while (f > 0 && frame_len(chs[i]) < 0);
        if (f < 0) chs[i]->eof = 1;
      }
  }
  lua_newtable(L);
  int k = 0;
  for (int i = 0; i < n; i++)
    if (frame_len(chs[i]) >= 0 || chs[i]->eof || chs[i]->fd < 0) {
      lua_rawgeti(L, 1, i + 1);
      lua_rawseti(L, -2, ++k);
    }
  return 1;
}

/* channel:close([kill]) -> "exit", code | "signal", signo | nil (in the child)
 * Closes our end; in the parent waits for the child (killing it first when asked). */
static int channel_close(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  int kill_child = lua_toboolean(L, 2);
  pid_t pid = c->pid;
  channel_shut(c, kill_child);
  if (pid <= 0 || !c->reaped) return 0;
  if (WIFSIGNALED(c->status)) {
    lua_pushliteral(L, "signal");
    lua_pushinteger(L, WTERMSIG(c->status));
  } else {
    lua_pushliteral(L, "exit");
    lua_pushinteger(L, WEXITSTATUS(c->status));
  }
  return 2;
}

/* channel:mark([n]) -> integer   (sets, then gives, the word shared with the
 * other side: a worker marks the task it is on, so the parent knows it after a crash) */
static int channel_mark(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  luaL_argcheck(L, c->mark != NULL, 1, "channel is closed");
  if (!lua_isnoneornil(L, 2)) *c->mark = (int64_t)luaL_checkinteger(L, 2);
  lua_pushinteger(L, (lua_Integer)*c->mark);
  return 1;
}

/* channel:pid() -> integer (0 in the child) */
static int channel_pid(lua_State *L)
{
  lua_pushinteger(L, check_channel(L, 1)->pid);
  return 1;
}

static int channel_tostring(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  if (c->fd < 0) lua_pushliteral(L, "gisa.proc channel (closed)");
  else if (c->pid > 0) lua_pushfstring(L, "gisa.proc channel (worker %d)", (int)c->pid);
  else lua_pushliteral(L, "gisa.proc channel (to the parent)");
  return 1;
}

/* proc.exit(code)   (ends a worker at once: no atexit handlers, no stdio flush) */
static int proc_exit(lua_State *L)
{
  _exit((int)luaL_checkinteger(L, 1));
  return 0;
}

/* proc.ncpu() -> integer   (the processors this process may run on) */
static int proc_ncpu(lua_State *L)
{
  long n = 0;
#ifdef CPU_COUNT
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
#endif
  if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? n : 1);
  return 1;
}

static const luaL_Reg channel_methods[] = {
  { "send", channel_send },
  { "recv", channel_recv },
  { "close", channel_close },
  { "pid", channel_pid },
  { "mark", channel_mark },
  { NULL, NULL }
};

static const luaL_Reg proc_funcs[] = {
  { "fork", proc_fork },
  { "ready", proc_ready },
  { "exit", proc_exit },
  { "ncpu", proc_ncpu },
  { NULL, NULL }
};

int luaopen_gisa_proc(lua_State *L)
{
  if (luaL_newmetatable(L, CHANNEL)) {
    luaL_newlib(L, channel_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, channel_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, channel_gc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, channel_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_newlib(L, proc_funcs);
  return 1;
}
