// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// tee_client.cc - /dev/tee0 transport (linux/tee.h ioctls) and ABI response
// checks for policyctl's guest commands.
#include "tee_client.h"

#include <fcntl.h>
#include <linux/tee.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "status.h"

namespace policyctl {
namespace {

constexpr std::uint32_t kTeecSuccess = 0;
constexpr std::uint8_t kUuid[TEE_IOCTL_UUID_LEN] = {TZU_TEE_UUID_BYTES};

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

// One TEE_IOC_SHM_ALLOC'd buffer, mapped into this process.
class Shm {
 public:
  Shm(int tee_fd, std::size_t size) {
    tee_ioctl_shm_alloc_data data;
    std::memset(&data, 0, sizeof(data));
    data.size = size ? size : 1;
    fd_ = ioctl(tee_fd, TEE_IOC_SHM_ALLOC, &data);
    if (fd_ < 0) throw TransportError(errno_text("TEE_IOC_SHM_ALLOC"));
    id_ = data.id;
    size_ = static_cast<std::size_t>(data.size);
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) {
      std::string err = errno_text("mmap of TEE shared memory");
      close(fd_);
      throw TransportError(err);
    }
    mem_ = static_cast<std::uint8_t*>(p);
  }
  ~Shm() {
    munmap(mem_, size_);
    close(fd_);
  }
  Shm(const Shm&) = delete;
  Shm& operator=(const Shm&) = delete;

  std::uint8_t* data() { return mem_; }
  std::int32_t id() const { return id_; }

 private:
  int fd_ = -1;
  std::int32_t id_ = 0;
  std::size_t size_ = 0;
  std::uint8_t* mem_ = nullptr;
};

class TeeTransport : public Transport {
 public:
  explicit TeeTransport(const std::string& device) : device_(device) {
    fd_ = open(device.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) throw TransportError(errno_text("cannot open " + device));
    try {
      check_version();
      open_session();
    } catch (...) {
      close(fd_);
      throw;
    }
  }

  ~TeeTransport() override {
    tee_ioctl_close_session_arg arg;
    arg.session = session_;
    ioctl(fd_, TEE_IOC_CLOSE_SESSION, &arg);  // best effort on exit
    close(fd_);
  }

  std::vector<std::uint8_t> invoke(std::uint32_t cmd, const void* req,
                                   std::size_t req_len,
                                   std::size_t rsp_cap) override {
    Shm in(fd_, req_len);
    Shm out(fd_, rsp_cap);
    std::memcpy(in.data(), req, req_len);
    std::memset(out.data(), 0, rsp_cap);

    constexpr std::size_t kParams = 2;
    alignas(8) std::uint8_t buf[sizeof(tee_ioctl_invoke_arg) +
                                kParams * sizeof(tee_ioctl_param)];
    std::memset(buf, 0, sizeof(buf));
    auto* arg = reinterpret_cast<tee_ioctl_invoke_arg*>(buf);
    auto* params = reinterpret_cast<tee_ioctl_param*>(buf + sizeof(*arg));
    arg->func = cmd;
    arg->session = session_;
    arg->num_params = kParams;
    // memref: a = offset in the shm, b = size, c = shm id
    params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
    params[0].b = req_len;
    params[0].c = static_cast<std::uint32_t>(in.id());
    params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
    params[1].b = rsp_cap;
    params[1].c = static_cast<std::uint32_t>(out.id());
    tee_ioctl_buf_data data;
    data.buf_ptr = reinterpret_cast<std::uintptr_t>(buf);
    data.buf_len = sizeof(buf);
    if (ioctl(fd_, TEE_IOC_INVOKE, &data) < 0) {
      throw TransportError(errno_text("TEE_IOC_INVOKE"));
    }
    if (arg->ret != kTeecSuccess) {
      throw TransportError("TEE_IOC_INVOKE: ret " + hex32(arg->ret) +
                           " origin " + std::to_string(arg->ret_origin));
    }
    // The driver reports the bytes written in the output memref's size.
    std::size_t got = static_cast<std::size_t>(params[1].b);
    if (got > rsp_cap) {
      throw TransportError("response of " + std::to_string(got) +
                           " bytes exceeds the " + std::to_string(rsp_cap) +
                           "-byte buffer");
    }
    return std::vector<std::uint8_t>(out.data(), out.data() + got);
  }

  std::uint32_t session() const override { return session_; }

  std::string describe() const override {
    return device_ + " (impl_id " + hex32(impl_id_) + ", session " +
           std::to_string(session_) + ")";
  }

 private:
  void check_version() {
    tee_ioctl_version_data v;
    std::memset(&v, 0, sizeof(v));
    if (ioctl(fd_, TEE_IOC_VERSION, &v) < 0) {
      throw TransportError(errno_text("TEE_IOC_VERSION on " + device_));
    }
    impl_id_ = v.impl_id;
    if (v.impl_id != TZU_TEE_IMPL_ID) {
      throw TransportError(device_ + " is not the tzucon TEE (impl_id " +
                           hex32(v.impl_id) + ", expected " +
                           hex32(TZU_TEE_IMPL_ID) + ")");
    }
  }

  void open_session() {
    tee_ioctl_open_session_arg arg;
    std::memset(&arg, 0, sizeof(arg));
    std::memcpy(arg.uuid, kUuid, sizeof(kUuid));
    arg.clnt_login = TEE_IOCTL_LOGIN_PUBLIC;
    arg.num_params = 0;
    tee_ioctl_buf_data data;
    data.buf_ptr = reinterpret_cast<std::uintptr_t>(&arg);
    data.buf_len = sizeof(arg);
    if (ioctl(fd_, TEE_IOC_OPEN_SESSION, &data) < 0) {
      throw TransportError(errno_text("TEE_IOC_OPEN_SESSION"));
    }
    if (arg.ret != kTeecSuccess) {
      throw TransportError("TEE_IOC_OPEN_SESSION: ret " + hex32(arg.ret) +
                           " origin " + std::to_string(arg.ret_origin));
    }
    session_ = arg.session;
  }

  std::string device_;
  int fd_ = -1;
  std::uint32_t session_ = 0;
  std::uint32_t impl_id_ = 0;
};

}  // namespace

std::unique_ptr<Transport> open_tee(const std::string& device) {
  return std::make_unique<TeeTransport>(device);
}

std::size_t check_response(const std::vector<std::uint8_t>& rsp,
                           std::uint32_t cmd, std::size_t min_size) {
  if (rsp.size() < sizeof(tzu_hdr)) {
    throw TransportError("response of " + std::to_string(rsp.size()) +
                         " bytes is shorter than a message header");
  }
  tzu_hdr h;
  std::memcpy(&h, rsp.data(), sizeof(h));
  if (h.magic != TZU_MAGIC) {
    throw TransportError("response has bad magic " + hex32(h.magic));
  }
  if (h.version != TZU_ABI_VERSION) {
    throw TransportError("response has ABI version " + std::to_string(h.version) +
                         ", expected " + std::to_string(TZU_ABI_VERSION));
  }
  if (h.command != cmd) {
    throw TransportError("response is for command " + std::to_string(h.command) +
                         ", expected " + std::to_string(cmd));
  }
  if (h.size < sizeof(tzu_hdr) || h.size > rsp.size()) {
    throw TransportError("response hdr.size " + std::to_string(h.size) +
                         " does not fit the " + std::to_string(rsp.size()) +
                         " bytes received");
  }
  if (h.status != TZU_OK) {
    throw SecureError(h.status, "secure world: " + status_text(h.status) + " (" +
                                    status_symbol(h.status) + ")");
  }
  if (h.size < min_size) {
    throw TransportError("response of " + std::to_string(h.size) +
                         " bytes is shorter than the expected " +
                         std::to_string(min_size));
  }
  return h.size;
}

std::string status_text(std::uint32_t status) {
  if (status == TZU_E_NOT_SUPPORTED) return "not supported";
  return ucon::status_name(static_cast<ucon::Status>(status));
}

const char* status_symbol(std::uint32_t status) {
  switch (status) {
#define S(x) \
  case x: return #x
    S(TZU_OK); S(TZU_E_BAD_MAGIC); S(TZU_E_BAD_VERSION); S(TZU_E_BAD_SIZE);
    S(TZU_E_BAD_COMMAND); S(TZU_E_BAD_OFFSET); S(TZU_E_BAD_FIELD); S(TZU_E_AUTH);
    S(TZU_E_ROLLBACK); S(TZU_E_MALFORMED); S(TZU_E_NO_POLICY); S(TZU_E_LIMIT);
    S(TZU_E_NOT_FOUND); S(TZU_E_BAD_SESSION); S(TZU_E_BUSY); S(TZU_E_INTERNAL);
    S(TZU_E_AUTH_REQUIRED); S(TZU_E_REPLAY); S(TZU_E_WRONG_DEVICE);
    S(TZU_E_NOT_WRITABLE); S(TZU_E_STORAGE); S(TZU_E_NOT_SUPPORTED);
#undef S
    default: return "TZU_E_?";
  }
}

}  // namespace policyctl
