/*
 * proc.c: gisa.proc, worker processes for -j. proc.fork() makes a child that
 * shares a socket pair with its parent; each side holds a channel (userdata)
 * that sends and receives length-prefixed frames (4-byte little-endian length,
 * then the bytes: what gisa.wire encodes). proc.ready() waits on many
 * channels at once. The child is a copy of the parent's Lua state, so the
 * work it does is plain Lua; it ends with proc.exit(). No Lua state is shared
 * between threads, and nothing here is held in C globals.
 *
 * Text (a record's JSON line under gisa extract -j) does not go through the
 * socket: each channel has a ring of RING_SIZE bytes mapped shared before the
 * fork. The worker writes a text into it (channel:write, or gisa.jsonw
 * straight from its buffer through GisaText) and sends only its length
 * (channel:take); the parent, given that length in its turn (channel:text),
 * writes the bytes from the ring to its output (gisa.jsonw.put) and moves the
 * ring's tail on, which the worker reads to know what room it has. The parent
 * takes the texts of one worker in the order they were written (its records
 * are given on in input order, and one worker's are written in that order), so
 * a length is all it needs. A text that does not fit the room left is kept in
 * a heap buffer and crosses as a string, as before: the worker never waits.
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
/* The shared mapping: a page holding the mark (at 0) and the ring's tail (at
 * TAIL_AT, on a cache line of its own), then the ring. */
#define TAIL_AT 64
#define RING_AT 4096
#define RING_SIZE (2u << 20)
/* an overflow buffer larger than this is given back after its text is taken */
#define OVER_KEEP (1u << 20)
/* what one side may have sent that the other has not read yet: the messages
 * a worker sends (-e's fields every 16 inputs, an analysis' state every 64) while the
 * parent sleeps on the worker with the next input in order, so that it works
 * on instead of blocking in a write (the system's limit, net.core.wmem_max,
 * may cap it lower; at 16 inputs a message no gain was measured) */
#define SOCK_BUF (2 << 20)

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
  unsigned char *shared;  /* the shared mapping (mark, tail, ring); NULL once unmapped */
  unsigned char *ring;    /* RING_SIZE bytes of text */
  uint64_t *tail;         /* bytes of the ring the parent has written out */
  uint64_t pos;           /* worker: bytes put in the ring; parent: bytes taken from it */
  uint64_t start;         /* worker: where the text being made starts */
  char *over;             /* worker: the text being made, when it did not fit */
  size_t over_n, over_cap;
  int in_over;
  size_t cur;             /* parent: the length of the text given on now, at pos */
  int has_cur;
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

static void unmap(Channel *c);

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
  free(c->over);
  c->over = NULL;
  c->over_n = c->over_cap = 0;
  c->in_over = 0;
  /* the parent keeps the ring until the channel is collected: texts of a
   * worker that has ended may still wait for their turn (in a worker, a
   * sibling's channel is unmapped at once) */
  if (c->shared && getpid() != c->owner) unmap(c);
}

static void unmap(Channel *c)
{
  if (!c->shared) return;
  munmap(c->shared, RING_AT + RING_SIZE);
  c->shared = c->ring = NULL;
  c->mark = NULL;
  c->tail = NULL;
}

/* __gc and __close: a channel dropped by an error kills and reaps its child. */
static int channel_gc(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  channel_shut(c, 1);
  unmap(c);
  return 0;
}

/* proc.fork() -> channel, false (in the parent) | channel, true (in the child) | nil, message */
static int proc_fork(lua_State *L)
{
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return push_errno(L, "socketpair");
  int buf = SOCK_BUF;
  for (int i = 0; i < 2; i++) setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  Channel *c = (Channel *)lua_newuserdatauv(L, sizeof(Channel), 0);
  memset(c, 0, sizeof *c);
  c->fd = -1;
  luaL_setmetatable(L, CHANNEL);
  /* the pages are only backed once written: a ring costs what it holds */
  void *m = mmap(NULL, RING_AT + RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) {
    close(sv[0]);
    close(sv[1]);
    return push_errno(L, "mmap");
  }
  c->shared = (unsigned char *)m;
  c->mark = (volatile int64_t *)m;
  *c->mark = 0;
  c->tail = (uint64_t *)(c->shared + TAIL_AT);
  *c->tail = 0;
  c->ring = c->shared + RING_AT;
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
    /* Ctrl-C, SIGTERM and SIGHUP end a worker at once; the parent reports
     * and cleans up. (Raised as a Lua error, as in the parent, the signal
     * could be caught by a pcall in the code the worker runs, which would
     * then go on running it: a worker has nothing of its own to clean up.) */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    close(sv[0]);
    c->fd = sv[1];
#ifdef MADV_POPULATE_WRITE
    /* the ring's pages mapped in one call, not a fault each as it first goes
     * round (a fault costs much under some hypervisors); an older kernel
     * refuses the advice and faults them as before */
    madvise(c->shared, RING_AT + RING_SIZE, MADV_POPULATE_WRITE);
#endif
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

/* ------------------------------------------------------------ prefault */

/* proc.prefault([grow]) -> boolean   (maps every page of the heap at once,
 * after making it `grow` bytes larger; false where the system can not)
 *
 * After a fork, the first write to each page of the heap both processes hold
 * is a copy-on-write fault, and each page the heap grows by is a fault of its
 * own: under a hypervisor that keeps shadow page tables (this project's test
 * host), 50 to 80 us and 30 us each, some thousands a process. Asked for in
 * one call (MADV_POPULATE_WRITE) the same pages cost 13 and 2 us. The heap is
 * glibc's brk heap ([heap] in /proc/self/maps); a block larger than all its
 * free space, taken and given back at once, makes it `grow` bytes larger at
 * the top, where they stay (M_TRIM_THRESHOLD, set by proc.fork). */
static int proc_prefault(lua_State *L)
{
  lua_Integer grow = luaL_optinteger(L, 1, 0);
  luaL_argcheck(L, grow >= 0 && grow <= ((lua_Integer)1 << 30), 1, "size out of range");
  int ok = 0;
#if defined(MADV_POPULATE_WRITE) && !defined(__SANITIZE_ADDRESS__)
  if (grow > 0) {
    /* more than all the free space inside the heap: only its top can give it */
    struct mallinfo2 mi = mallinfo2();
    void *volatile p = malloc(mi.fordblks + (size_t)grow);
    free(p);
  }
  FILE *f = fopen("/proc/self/maps", "r");
  if (f) {
    char line[512];
    unsigned long lo, hi;
    /* (a heap grown after a fork is a second [heap] line: its new pages
     * have no history shared with the parent) */
    while (fgets(line, sizeof line, f))
      if (strstr(line, "[heap]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
        ok = madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0;
    fclose(f);
  }
#endif
  lua_pushboolean(L, ok);
  return 1;
}

/* ------------------------------------------------------------ text ring */

/* Copy n bytes to the ring at offset `at` (any count: it wraps), or from it. */
static void ring_put(Channel *c, uint64_t at, const char *s, size_t n)
{
  size_t o = (size_t)(at % RING_SIZE), k = RING_SIZE - o < n ? RING_SIZE - o : n;
  memcpy(c->ring + o, s, k);
  memcpy(c->ring, s + k, n - k);
}

static void ring_get(const Channel *c, uint64_t at, char *d, size_t n)
{
  size_t o = (size_t)(at % RING_SIZE), k = RING_SIZE - o < n ? RING_SIZE - o : n;
  memcpy(d, c->ring + o, k);
  memcpy(d + k, c->ring, n - k);
}

/* Make room for `more` bytes past over_n in the overflow buffer; 0 when out of memory. */
static int over_room(Channel *c, size_t more)
{
  if (c->over_cap - c->over_n >= more) return 1;
  size_t cap = c->over_cap ? c->over_cap : 65536;
  while (cap - c->over_n < more) {
    if (cap > ((size_t)-1) / 2) return 0;
    cap *= 2;
  }
  char *p = realloc(c->over, cap);
  if (!p) return 0;
  c->over = p;
  c->over_cap = cap;
  return 1;
}

/* GisaText.append: add s[0..n) to the text being made, in the ring while it
 * fits in the room the parent has left, else (the whole text) in the heap. */
static int text_append(void *ud, const char *s, size_t n)
{
  Channel *c = (Channel *)ud;
  if (!c->ring) return 0;
  if (!c->in_over) {
    uint64_t tail = __atomic_load_n(c->tail, __ATOMIC_ACQUIRE);
    if (c->pos - tail + n <= RING_SIZE) {
      ring_put(c, c->pos, s, n);
      c->pos += n;
      return 1;
    }
    /* no room: what there is of this text moves to the heap, and the rest follows */
    size_t have = (size_t)(c->pos - c->start);
    c->over_n = 0;
    if (!over_room(c, have + n)) return 0;
    ring_get(c, c->start, c->over, have);
    c->over_n = have;
    c->pos = c->start;
    c->in_over = 1;
  }
  if (!over_room(c, n)) return 0;
  memcpy(c->over + c->over_n, s, n);
  c->over_n += n;
  return 1;
}

/* GisaText.text: the text given on now (channel:text), in one or two parts. */
static void text_parts(void *ud, const char **p1, size_t *n1, const char **p2, size_t *n2)
{
  Channel *c = (Channel *)ud;
  *p1 = *p2 = "";
  *n1 = *n2 = 0;
  if (!c->has_cur || !c->ring) return;
  size_t o = (size_t)(c->pos % RING_SIZE);
  *p1 = (const char *)c->ring + o;
  *n1 = RING_SIZE - o < c->cur ? RING_SIZE - o : c->cur;
  *p2 = (const char *)c->ring;
  *n2 = c->cur - *n1;
}

/* GisaText.done: that text is written: the worker may use its room again. */
static void text_done(void *ud)
{
  Channel *c = (Channel *)ud;
  if (!c->has_cur) return;
  c->pos += c->cur;
  c->cur = 0;
  c->has_cur = 0;
  if (c->tail) __atomic_store_n(c->tail, c->pos, __ATOMIC_RELEASE);
}

static const GisaText text_ops = { text_append, text_parts, text_done };

/* channel:write(s, …) -> channel   (in a worker: add to the text being made; as file:write) */
static int channel_write(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  int n = lua_gettop(L);
  luaL_argcheck(L, c->ring != NULL, 1, "channel is closed");
  for (int i = 2; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    if (!text_append(c, s, len)) return luaL_error(L, "channel:write: out of memory");
  }
  lua_settop(L, 1);
  return 1;
}

/* channel:take() -> length (the text is in the ring) | string (it did not fit)
 * (in a worker: ends the text being made; what crosses to the parent for it) */
static int channel_take(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  if (c->in_over) {
    lua_pushlstring(L, c->over, c->over_n);
    c->over_n = 0;
    c->in_over = 0;
    if (c->over_cap > OVER_KEEP) {
      free(c->over);
      c->over = NULL;
      c->over_cap = 0;
    }
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)(c->pos - c->start));
  c->start = c->pos;
  return 1;
}

/* channel:discard()   (in a worker: forget the text being made, after an error) */
static int channel_discard(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  c->pos = c->start;
  c->over_n = 0;
  c->in_over = 0;
  return 0;
}

/* channel:text(n) -> channel   (in the parent: the next n bytes of the worker's
 * ring are the text given on now, for gisa.jsonw.put or channel:string; a text
 * given on before and not written is passed over) */
static int channel_text(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, c->ring != NULL, 1, "channel is unmapped");
  text_done(c);
  luaL_argcheck(L, n >= 0 && n <= (lua_Integer)RING_SIZE, 2, "text length out of range");
  c->cur = (size_t)n;
  c->has_cur = 1;
  lua_settop(L, 1);
  return 1;
}

/* channel:string() -> string   (in the parent: the text given on now, written
 * out: for an output that is not a file) */
static int channel_string(lua_State *L)
{
  Channel *c = check_channel(L, 1);
  const char *p1, *p2;
  size_t n1, n2;
  text_parts(c, &p1, &n1, &p2, &n2);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, p1, n1);
  luaL_addlstring(&b, p2, n2);
  luaL_pushresult(&b);
  text_done(c);
  return 1;
}

static const luaL_Reg channel_methods[] = {
  { "send", channel_send },
  { "recv", channel_recv },
  { "close", channel_close },
  { "pid", channel_pid },
  { "mark", channel_mark },
  { "write", channel_write },
  { "take", channel_take },
  { "discard", channel_discard },
  { "text", channel_text },
  { "string", channel_string },
  { NULL, NULL }
};

static const luaL_Reg proc_funcs[] = {
  { "fork", proc_fork },
  { "ready", proc_ready },
  { "exit", proc_exit },
  { "ncpu", proc_ncpu },
  { "prefault", proc_prefault },
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
    lua_pushlightuserdata(L, (void *)&text_ops);
    lua_setfield(L, -2, GISA_TEXT);
  }
  lua_pop(L, 1);
  luaL_newlib(L, proc_funcs);
  lua_pushinteger(L, RING_SIZE);
  lua_setfield(L, -2, "ring_size");   /* a text longer than this always crosses as a string */
  return 1;
}
