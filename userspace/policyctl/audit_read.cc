// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_read.cc - READ_AUDIT batches, draining to a log file, verifying one.
#include "audit_read.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "audit_file.h"
#include "audit_log.h"
#include "compiler.h"
#include "event_json.h"
#include "report_view.h"

namespace policyctl {
namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// SIGINT/SIGTERM end the loop at the next batch; restored on scope exit.
class StopSignals {
 public:
  StopSignals() {
    g_stop = 0;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;  // no SA_RESTART: a sleep ends early
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_, old_term_;
};

// Appends whole lines and syncs them, so a drained record is on disk before
// the next READ_AUDIT acknowledges more.
class LogAppender {
 public:
  explicit LogAppender(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw CliError(kExitError, "cannot open '" + path + "': " + std::strerror(errno));
    }
  }
  ~LogAppender() { ::close(fd_); }
  void add(const Json& j) { buf_ += dump(j) + "\n"; }
  void flush() {
    std::size_t done = 0;
    while (done < buf_.size()) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw CliError(kExitError, "cannot write '" + path_ + "': " + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
    buf_.clear();
    if (::fsync(fd_) != 0) throw CliError(kExitError, "cannot sync '" + path_ + "'");
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::string buf_;
};

struct Resume {
  bool have = false;
  std::uint64_t next = 0;
  std::uint8_t hash[32] = {};  // of the file's last record
};

// Where a previous run stopped: after the file's last record.
Resume resume_point(const std::string& path) {
  Resume r;
  std::ifstream in(path);
  if (!in) return r;
  std::vector<AuditLine> log;
  try {
    log = read_audit_log(in);
  } catch (const JsonError& e) {
    throw CliError(kExitError, "'" + path + "':" + e.what() + " (not appending to it)");
  }
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    if (it->record) {
      r.have = true;
      r.next = it->record->index + 1;
      std::memcpy(r.hash, it->record->hash, sizeof(r.hash));
      break;
    }
  }
  return r;
}

std::uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

}  // namespace

AuditBatch read_audit_batch(Transport& t, std::uint64_t from, std::uint32_t flags,
                            std::uint32_t max) {
  if (max == 0 || max > kAuditBatch) max = kAuditBatch;
  auto req = make_request<tzu_read_audit_req>(TZU_CMD_READ_AUDIT);
  req.session = kRequestSession;
  req.max_records = max;
  req.from_index = from;
  req.flags = flags;
  auto bytes = call(t, req, sizeof(tzu_read_audit_rsp) + kAuditBatch * sizeof(tzu_audit_record));
  AuditBatch b;
  b.rsp = parse_response<tzu_read_audit_rsp>(bytes, TZU_CMD_READ_AUDIT);
  const std::size_t need =
      sizeof(tzu_read_audit_rsp) + std::size_t{b.rsp.n_records} * sizeof(tzu_audit_record);
  if (b.rsp.n_records > max || b.rsp.hdr.size < need) {
    throw TransportError("READ_AUDIT response claims " + std::to_string(b.rsp.n_records) +
                         " records in " + std::to_string(b.rsp.hdr.size) + " bytes");
  }
  b.recs.resize(b.rsp.n_records);
  if (!b.recs.empty()) {
    std::memcpy(b.recs.data(), bytes.data() + sizeof(tzu_read_audit_rsp),
                b.recs.size() * sizeof(tzu_audit_record));
  }
  return b;
}

std::uint64_t follow_to_file(Transport& t, const std::string& path, const FollowLimits& lim,
                             Context& ctx) {
  Resume res = resume_point(path);
  LogAppender log(path);
  StopSignals signals;
  const std::uint64_t start = now_ms();
  std::uint64_t from = res.next, written = 0;
  bool continuing = res.have;  // the next record must chain from the file's last
  std::uint8_t prev[32];
  std::memcpy(prev, res.hash, sizeof(prev));
  while (!g_stop) {
    std::uint32_t want = kAuditBatch;
    if (lim.count && lim.count - written < want) want = static_cast<std::uint32_t>(lim.count - written);
    AuditBatch b = read_audit_batch(t, from, TZU_AUDIT_READ_ACK, want);
    const tzu_read_audit_rsp& r = b.rsp;
    bool restarted = r.next_index < from;
    if (!restarted && continuing && !b.recs.empty() && b.recs[0].index == from) {
      std::uint8_t h[32];
      ucon::AuditLog::chain_hash(prev, b.recs[0], h);
      restarted = std::memcmp(h, b.recs[0].hash, sizeof(h)) != 0;
    }
    if (restarted && from != 0) {
      // The board rebooted: its chain starts again at index 0.
      ctx.err << "policyctl audit: the secure world's log restarted (reboot); "
                 "following the new chain\n";
      from = 0;
      continuing = false;
      continue;
    }
    if (!b.recs.empty() && (!continuing || b.recs[0].index != from) && b.recs[0].index != 0) {
      if (continuing) {
        ctx.err << "policyctl audit: records " << from << ".." << b.recs[0].index - 1
                << " fell off the ring before they were drained\n";
      }
      AuditAnchor a;
      std::memcpy(a.hash, r.anchor, sizeof(a.hash));
      a.first_index = r.first_index;
      a.next_index = r.next_index;
      a.dropped = r.dropped;
      log.add(audit_anchor_to_json(a));
    }
    std::size_t n = b.recs.size();
    for (std::size_t i = 0; i < n; ++i) log.add(audit_record_to_json(b.recs[i]));
    log.flush();
    written += n;
    if (n > 0) {
      from = b.recs[n - 1].index + 1;
      std::memcpy(prev, b.recs[n - 1].hash, sizeof(prev));
      continuing = true;
    }
    if (lim.count && written >= lim.count) break;
    if (lim.duration_ms && now_ms() - start >= lim.duration_ms) break;
    if (from < r.next_index && n > 0) continue;  // more to read now
    usleep(static_cast<useconds_t>(lim.poll_ms * 1000));
  }
  return written;
}

int verify_file(const std::string& path, const std::string* report_path,
                const std::string* device_pub_path, Context& ctx) {
  std::ifstream in(path);
  if (!in) throw CliError(kExitError, "cannot open '" + path + "'");
  std::vector<AuditLine> log;
  try {
    log = read_audit_log(in);
  } catch (const JsonError& e) {
    throw CliError(kExitError, path + ":" + e.what());
  }
  tzu_report rep;
  if (report_path) {
    if (!device_pub_path) throw UsageError("--report needs --device-pub");
    policyc::PublicKey pub;
    std::string err;
    if (!policyc::read_public_key(*device_pub_path, &pub, &err)) throw CliError(kExitError, err);
    const std::string text = read_file(*report_path);
    auto r = report_from_bytes(std::vector<std::uint8_t>(text.begin(), text.end()), &err);
    if (!r) throw CliError(kExitMismatch, "'" + *report_path + "' is not a report: " + err);
    std::string problem = report_problem(*r, pub.data(), nullptr);
    if (!problem.empty()) {
      throw CliError(kExitMismatch, "'" + *report_path + "' does not verify: " + problem);
    }
    rep = *r;
  }
  AuditCheck c = verify_audit_log(log, report_path ? &rep : nullptr);
  for (const std::string& p : c.problems) ctx.err << path << ": " << p << "\n";
  if (!c.problems.empty()) {
    ctx.err << "policyctl audit: " << path << ": audit log does not verify\n";
    return kExitMismatch;
  }
  ctx.out << path << ": " << c.records << " records in " << c.chains
          << (c.chains == 1 ? " chain" : " chains") << ", continuous";
  if (report_path) {
    ctx.out << "; " << c.covered << " records up to index " << rep.audit_next_index - 1
            << " match the report's signed audit head";
  }
  ctx.out << "\n";
  return kExitOk;
}

}  // namespace policyctl
