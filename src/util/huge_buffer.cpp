#include "util/huge_buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

namespace cellar {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

HugeBuffer::HugeBuffer(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  mapped_ = round_up(bytes, kHugePage);
  // Map one huge page more than needed and trim, so the start is 2 MiB aligned.
  const size_t span = mapped_ + kHugePage;
  void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<uintptr_t>(p);
  const uintptr_t start = round_up(base, kHugePage);
  if (start > base) munmap(p, start - base);
  const uintptr_t end = start + mapped_, span_end = base + span;
  if (span_end > end) munmap(reinterpret_cast<void*>(end), span_end - end);
  data_ = reinterpret_cast<uint8_t*>(start);
  madvise(data_, mapped_, MADV_HUGEPAGE);  // a hint: failure (THP compiled out) just means small pages
}

HugeBuffer::~HugeBuffer() {
  if (data_) munmap(data_, mapped_);
}

HugeBuffer::HugeBuffer(HugeBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)), mapped_(std::exchange(o.mapped_, 0)) {}

HugeBuffer& HugeBuffer::operator=(HugeBuffer&& o) noexcept {
  if (this != &o) {
    if (data_) munmap(data_, mapped_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
  }
  return *this;
}

bool HugeBuffer::lock(std::string* err) const {
  if (!data_ || mlock(data_, mapped_) == 0) return true;
  if (err) *err = std::strerror(errno);
  return false;
}

}  // namespace cellar
