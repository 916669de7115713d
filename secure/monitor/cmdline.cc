// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmdline.cc - kernel-faithful tokeniser and the tz_hooks weakening rules.
#include "cmdline.h"

namespace monitor {
namespace {

constexpr size_t kNoPos = ~size_t{0};

struct Span {
  const char* p = nullptr;
  size_t n = 0;
};

struct Arg {
  Span token;  // as written, for the reason
  Span param;
  Span val;
  bool has_val = false;
};

// The kernel's isspace (lib/ctype.c): also VT, FF, CR and Latin-1 NBSP
// 0xA0 - a checker that split only on ' ' would miss "x=1\xA0lsm=...".
bool is_space(char c) {
  const auto u = static_cast<uint8_t>(c);
  return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xA0;
}

// End of the token starting at `start` (after an opening quote if
// `quoted`), and the first '=' past its first byte: next_arg() only takes
// an '=' at index > 0, and quotes toggle whether blanks split.
size_t scan_token(const char* s, size_t n, size_t start, bool quoted,
                  size_t* eq) {
  bool in_quote = quoted;
  *eq = kNoPos;
  size_t i = start;
  for (; i < n && s[i] != '\0'; ++i) {
    if (is_space(s[i]) && !in_quote) break;
    if (*eq == kNoPos && i > start && s[i] == '=') *eq = i;
    if (s[i] == '"') in_quote = !in_quote;
  }
  return i;
}

// One parameter as next_arg() splits it. The kernel cuts strings in place
// with NULs; `cut` models the one at the token's last byte, which it
// writes to drop a closing quote of a quoted value or a quoted token.
bool next_arg(const char* s, size_t n, size_t* pos, Arg* a) {
  size_t p = *pos;
  while (p < n && s[p] != '\0' && is_space(s[p])) ++p;
  if (p >= n || s[p] == '\0') return false;
  const size_t tok = p;
  const bool quoted = s[p] == '"';
  if (quoted) ++p;
  size_t eq;
  const size_t end = scan_token(s, n, p, quoted, &eq);
  size_t cut = kNoPos;
  size_t pe = eq == kNoPos ? end : eq, vb = end, ve = end;
  if (eq != kNoPos) {
    vb = eq + 1;
    if (vb < end && s[vb] == '"') {
      ++vb;
      if (s[end - 1] == '"') cut = end - 1;
    }
  }
  if (quoted && end > p && s[end - 1] == '"') cut = end - 1;
  if (cut != kNoPos && cut >= p && cut < pe) pe = cut;
  if (cut != kNoPos && cut >= vb && cut < ve) ve = cut;
  *a = Arg{{s + tok, end - tok}, {s + p, pe - p}, {s + vb, ve - vb},
           eq != kNoPos};
  *pos = end;
  return true;
}

// Parameter names compare with '-' == '_' (kernel/params.c parameq).
char name_char(char c) { return c == '-' ? '_' : c; }

// True if `name` starts with `prefix`; *rest is what follows.
bool name_prefix(Span name, const char* prefix, Span* rest) {
  size_t i = 0;
  for (; prefix[i] != '\0'; ++i)
    if (i >= name.n || name_char(name.p[i]) != prefix[i]) return false;
  *rest = Span{name.p + i, name.n - i};
  return true;
}

bool name_is(Span name, const char* want) {
  Span rest;
  return name_prefix(name, want, &rest) && rest.n == 0;
}

// Values compare exactly (lsm= entries are strcmp'd against LSM names).
bool value_is(Span v, const char* want) {
  size_t i = 0;
  for (; i < v.n; ++i)
    if (want[i] == '\0' || v.p[i] != want[i]) return false;
  return want[i] == '\0';
}

// Calls match(entry) for each comma-separated entry; true if any matched.
template <class Match>
bool any_entry(Span list, Match match) {
  size_t b = 0;
  for (size_t i = 0; i <= list.n; ++i) {
    if (i < list.n && list.p[i] != ',') continue;
    if (match(Span{list.p + b, i - b})) return true;
    b = i + 1;
  }
  return false;
}

bool is_tz_init(Span fn) {
  Span rest;
  return name_prefix(fn, "tzh_", &rest) || name_prefix(fn, "tzu_", &rest);
}

CmdlineWeakness tz_hooks_param(Span rest, const Arg& a) {
  if (!name_is(rest, "permissive")) return CmdlineWeakness::kUnknownTzHooksParam;
  // A bool parameter without a value is set (param_set_bool).
  if (a.has_val && (value_is(a.val, "0") || value_is(a.val, "n") ||
                    value_is(a.val, "N")))
    return CmdlineWeakness::kNone;
  return CmdlineWeakness::kPermissive;
}

CmdlineWeakness classify(const Arg& a) {
  Span rest;
  if (name_prefix(a.param, "tz_hooks.", &rest)) return tz_hooks_param(rest, a);
  if (!a.has_val) return CmdlineWeakness::kNone;
  if (name_is(a.param, "lsm") &&
      !any_entry(a.val, [](Span e) { return value_is(e, "tz_hooks"); }))
    return CmdlineWeakness::kLsmWithoutTzHooks;
  if (name_is(a.param, "security") && !value_is(a.val, "tz_hooks"))
    return CmdlineWeakness::kSecurityOther;
  if (name_is(a.param, "initcall_blacklist") && any_entry(a.val, is_tz_init))
    return CmdlineWeakness::kInitcallBlacklist;
  // IO_STRICT_DEVMEM keeps /dev/mem off the carve-out and the window (the
  // driver marks them busy); iomem=relaxed turns that off.
  if (name_is(a.param, "iomem") && value_is(a.val, "relaxed"))
    return CmdlineWeakness::kIomemRelaxed;
  // The kernel is built PROC_MEM_FORCE_PTRACE: a /proc/PID/mem write forces
  // past a mapping's protection only for the process's tracer, so code
  // cannot be written into read-only executable memory through
  // /proc/self/mem (no hook sees that write). "always" undoes it; a value
  // the kernel does not know is taken as weakening too (fail closed).
  if (name_is(a.param, "proc_mem.force_override") && !value_is(a.val, "ptrace") &&
      !value_is(a.val, "never"))
    return CmdlineWeakness::kProcMemForce;
  return CmdlineWeakness::kNone;
}

// The reason goes to the secure console: printable ASCII only.
void set_reason(Span token, char* out) {
  size_t i = 0;
  for (; i < token.n && i < kCmdlineReasonMax; ++i) {
    const auto u = static_cast<uint8_t>(token.p[i]);
    out[i] = (u >= 0x20 && u < 0x7F) ? static_cast<char>(u) : '?';
  }
  out[i] = '\0';
}

}  // namespace

CmdlineCheck check_cmdline(const char* s, size_t len) {
  CmdlineCheck r;
  if (!s) return r;
  const size_t n = len < kCmdlineMax - 1 ? len : kCmdlineMax - 1;
  size_t pos = 0;
  Arg a;
  while (next_arg(s, n, &pos, &a)) {
    if (!a.has_val && a.param.n == 2 && a.param.p[0] == '-' &&
        a.param.p[1] == '-')
      break;  // the rest is init's (parse_args stops at "--")
    const CmdlineWeakness w = classify(a);
    if (w == CmdlineWeakness::kNone) continue;
    r.weak = true;
    r.why = w;
    set_reason(a.token, r.reason);
    break;
  }
  return r;
}

}  // namespace monitor
