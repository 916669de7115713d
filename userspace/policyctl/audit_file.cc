// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_file.cc - drained audit logs: JSON lines codec and the continuity /
// report check.
#include "audit_file.h"

#include <cstring>

#include "audit_log.h"

namespace policyctl {
namespace {

constexpr std::size_t kMaxProblems = 20;

std::uint64_t uint_field(const Json& j, const char* key, std::uint64_t max) {
  if (!j.contains(key) || !j[key].is_number_unsigned() || j[key].get<std::uint64_t>() > max) {
    throw JsonError(std::string("\"") + key + "\" must be an integer 0.." + std::to_string(max));
  }
  return j[key].get<std::uint64_t>();
}

void hash_field(const Json& j, const char* key, std::uint8_t out[32]) {
  if (!j.contains(key) || !j[key].is_string() ||
      !from_hex(j[key].get<std::string>(), out, 32)) {
    throw JsonError(std::string("\"") + key + "\" must be 64 hex digits");
  }
}

std::string idx(std::uint64_t i) { return std::to_string(i); }

class Checker {
 public:
  explicit Checker(AuditCheck* out) : out_(out) {}

  void anchor(const AuditLine& l) {
    const AuditAnchor& a = l.anchor;
    if (have_prev_) {
      // `policyctl audit` runs appended to one file: harmless if continuous.
      if (a.first_index == prev_index_ + 1 && std::memcmp(a.hash, prev_hash_, 32) == 0) return;
      if (a.first_index > prev_index_ + 1) {
        problem("line " + idx(l.line) + ": records " + idx(prev_index_ + 1) + ".." +
                idx(a.first_index - 1) +
                " are missing (they fell off the ring before they were drained)");
      } else {
        problem("line " + idx(l.line) + ": anchor for record " + idx(a.first_index) +
                " does not continue record " + idx(prev_index_));
      }
    }
    std::memcpy(prev_hash_, l.anchor.hash, 32);
    expect_ = l.anchor.first_index;
    anchored_ = true;
    have_prev_ = false;
  }

  void record(const AuditLine& l) {
    const tzu_audit_record& r = *l.record;
    ++out_->records;
    if (r.index == 0) {
      // A boot: a fresh chain from 32 zero bytes.
      std::memset(prev_hash_, 0, 32);
      start_chain(r);
    } else if (anchored_) {
      if (r.index != expect_) {
        problem("line " + idx(l.line) + ": record " + idx(r.index) + " after an anchor for " +
                idx(expect_));
      }
      start_chain(r);
    } else if (!have_prev_) {
      problem("line " + idx(l.line) + ": record " + idx(r.index) +
              " starts the log mid-chain without an anchor line");
      start_chain(r);
      std::memcpy(prev_hash_, r.hash, 32);  // continue checking from here
      finish(r);
      return;
    } else if (r.index != prev_index_ + 1) {
      problem("line " + idx(l.line) + ": record " + idx(r.index) + " follows record " +
              idx(prev_index_) + " (records missing or out of order)");
    }
    std::uint8_t want[32];
    ucon::AuditLog::chain_hash(prev_hash_, r, want);
    if (std::memcmp(want, r.hash, 32) != 0) {
      problem("line " + idx(l.line) + ": hash chain broken at record " + idx(r.index));
    }
    finish(r);
  }

  std::vector<tzu_audit_record>& chain() { return chain_; }

 private:
  void start_chain(const tzu_audit_record&) {
    ++out_->chains;
    chain_.clear();
    anchored_ = false;
  }
  void finish(const tzu_audit_record& r) {
    std::memcpy(prev_hash_, r.hash, 32);
    prev_index_ = r.index;
    have_prev_ = true;
    out_->last = r;
    chain_.push_back(r);
  }
  void problem(std::string p) {
    if (out_->problems.size() < kMaxProblems) out_->problems.push_back(std::move(p));
  }

  AuditCheck* out_;
  std::uint8_t prev_hash_[32] = {};
  std::uint64_t prev_index_ = 0;
  std::uint64_t expect_ = 0;
  bool have_prev_ = false;
  bool anchored_ = false;
  std::vector<tzu_audit_record> chain_;  // the current (last) chain
};

void check_report(const std::vector<tzu_audit_record>& chain, const tzu_report& rep,
                  AuditCheck* out) {
  if (rep.audit_next_index == 0) {
    if (!chain.empty()) out->problems.push_back("the report was signed before any record");
    return;
  }
  const std::uint64_t head = rep.audit_next_index - 1;
  if (!chain.empty() && chain.front().index == 0 && chain.front().hook == TZU_AUDIT_BOOT &&
      chain.front().event_seq != rep.boot_counter) {
    out->problems.push_back("the log's last boot is boot " + idx(chain.front().event_seq) +
                            ", the report is from boot " + idx(rep.boot_counter));
    return;
  }
  for (const tzu_audit_record& r : chain) {
    if (r.index != head) continue;
    if (std::memcmp(r.hash, rep.audit_head, 32) != 0) {
      out->problems.push_back("record " + idx(head) +
                              " does not have the audit head the report signed (" +
                              to_hex(rep.audit_head, 32) + ")");
      return;
    }
    for (const tzu_audit_record& c : chain) out->covered += c.index <= head ? 1 : 0;
    return;
  }
  out->problems.push_back(
      "the log does not reach record " + idx(head) + ", the report's audit head" +
      (chain.empty() ? std::string() : " (last record " + idx(chain.back().index) + ")"));
}

}  // namespace

tzu_audit_record audit_record_from_json(const Json& j) {
  if (!j.is_object()) throw JsonError("expected a JSON object");
  tzu_audit_record r;
  std::memset(&r, 0, sizeof(r));
  r.index = uint_field(j, "index", UINT64_MAX);
  r.event_seq = uint_field(j, "event_seq", UINT64_MAX);
  hash_field(j, "event_digest", r.event_digest);
  r.rule_id = static_cast<std::uint32_t>(uint_field(j, "rule_id", UINT32_MAX));
  r.verdict = static_cast<std::uint32_t>(uint_field(j, "verdict", UINT32_MAX));
  r.flags = static_cast<std::uint32_t>(uint_field(j, "flags", UINT32_MAX));
  r.epoch = static_cast<std::uint32_t>(uint_field(j, "epoch", UINT32_MAX));
  r.hook = static_cast<std::uint32_t>(uint_field(j, "hook", UINT32_MAX));
  r.tgid = static_cast<std::uint32_t>(uint_field(j, "tgid", UINT32_MAX));
  r.obligations = static_cast<std::uint32_t>(uint_field(j, "obligations", UINT32_MAX));
  r.session_id = static_cast<std::uint32_t>(uint_field(j, "session_id", UINT32_MAX));
  hash_field(j, "hash", r.hash);
  return r;
}

Json audit_anchor_to_json(const AuditAnchor& a) {
  return Json{{"anchor", to_hex(a.hash, sizeof(a.hash))},
              {"first_index", a.first_index},
              {"next_index", a.next_index},
              {"dropped", a.dropped}};
}

std::vector<AuditLine> read_audit_log(std::istream& in) {
  std::vector<AuditLine> out;
  std::string text;
  std::size_t n = 0;
  while (std::getline(in, text)) {
    ++n;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    AuditLine l;
    l.line = n;
    try {
      Json j = Json::parse(text);
      if (j.is_object() && j.contains("anchor")) {
        hash_field(j, "anchor", l.anchor.hash);
        l.anchor.first_index = uint_field(j, "first_index", UINT64_MAX);
        l.anchor.next_index = uint_field(j, "next_index", UINT64_MAX);
        l.anchor.dropped = uint_field(j, "dropped", UINT64_MAX);
      } else {
        l.record = audit_record_from_json(j);
      }
    } catch (const Json::exception& e) {
      throw JsonError(std::to_string(n) + ": invalid JSON: " + e.what());
    } catch (const JsonError& e) {
      throw JsonError(std::to_string(n) + ": " + e.what());
    }
    out.push_back(std::move(l));
  }
  return out;
}

AuditCheck verify_audit_log(const std::vector<AuditLine>& log, const tzu_report* report) {
  AuditCheck out;
  Checker c(&out);
  for (const AuditLine& l : log) {
    if (l.record) {
      c.record(l);
    } else {
      c.anchor(l);
    }
  }
  if (report) check_report(c.chain(), *report, &out);
  return out;
}

}  // namespace policyctl
