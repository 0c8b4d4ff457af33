/*
 * unit.h: a tiny C test harness. TEST(name) { … } defines a test that registers
 * itself; CHECK(cond) and CHECK_STR(a, b) record failures. Each test gets a
 * fresh Lua state with the gisa modules preloaded (`L`).
 */
#ifndef GISA_UNIT_H
#define GISA_UNIT_H

#include <stdio.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

typedef void (*unit_fn)(lua_State *L, int *fails);
void unit_register(const char *name, unit_fn fn);

#define TEST(name) \
  static void test_##name(lua_State *L, int *fails_); \
  __attribute__((constructor)) static void reg_##name(void) { unit_register(#name, test_##name); } \
  static void test_##name(lua_State *L, int *fails_)

#define CHECK(cond) do { if (!(cond)) { (*fails_)++; \
  fprintf(stdout, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
  if (!a_ || !b_ || strcmp(a_, b_) != 0) { (*fails_)++; \
  fprintf(stdout, "  %s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, \
          b_ ? b_ : "(null)", a_ ? a_ : "(null)"); } } while (0)

/* Run Lua code in L; returns the number of results, or -1 (and counts a failure). */
int unit_lua(lua_State *L, int *fails, const char *code);
#define LUA(code) unit_lua(L, fails_, code)

#endif
