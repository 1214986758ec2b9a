#pragma once
// A large zero-filled anonymous allocation that asks the kernel for
// transparent huge pages (MADV_HUGEPAGE; Debian's default THP mode is
// "madvise", so without asking there are none). Streaming hundreds of MB of
// weights or KV cache per token through 4 KiB pages costs a TLB miss per page
// and stops the hardware prefetcher at every page boundary: measured +6 to
// +15% decode speed on a 0.64 GB model. Where THP is off this is plain mmap.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cellar {

class HugeBuffer {
 public:
  HugeBuffer() = default;
  explicit HugeBuffer(size_t bytes);  // throws std::bad_alloc
  ~HugeBuffer();
  HugeBuffer(HugeBuffer&& o) noexcept;
  HugeBuffer& operator=(HugeBuffer&& o) noexcept;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  // mlock()s the whole buffer; false with *err on failure.
  bool lock(std::string* err) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;     // bytes asked for
  size_t mapped_ = 0;   // bytes mapped at data_ (whole huge pages)
};

}  // namespace cellar
