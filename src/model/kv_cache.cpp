#include "model/kv_cache.h"

#include <stdexcept>
#include <string>

namespace cellar {

namespace {

size_t checked_row_bytes(int n_embd_kv, GgmlType type) {
  if (type != GgmlType::F16 && type != GgmlType::Q8_0) {
    throw std::invalid_argument("KV cache type must be F16 or Q8_0, got " + std::string(ggml_type_info(type).name));
  }
  if (type == GgmlType::Q8_0 && n_embd_kv % 32 != 0) {
    throw std::invalid_argument("a Q8_0 KV cache needs rows of whole 32-value blocks; this model's K/V rows have " +
                                std::to_string(n_embd_kv) + " values (use the F16 cache)");
  }
  return ggml_row_size(type, n_embd_kv);
}

}  // namespace

KvCache::KvCache(int n_layer, int n_slots, int n_ctx, int n_embd_kv, GgmlType type)
    : n_slots_(n_slots), n_ctx_(n_ctx), type_(type), row_bytes_(checked_row_bytes(n_embd_kv, type)) {
  const size_t n = static_cast<size_t>(n_layer) * n_slots * n_ctx * row_bytes_;
  k_ = HugeBuffer(n);
  v_ = HugeBuffer(n);
}

std::optional<GgmlType> KvCache::type_from_name(std::string_view name) {
  const auto t = ggml_type_from_name(name);
  if (t == GgmlType::F16 || t == GgmlType::Q8_0) return t;
  return std::nullopt;
}

uint64_t KvCache::bytes_per_sequence(int n_layer, int n_ctx, int n_embd_kv, GgmlType type) {
  return 2ull * static_cast<uint64_t>(n_layer) * static_cast<uint64_t>(n_ctx) * ggml_row_size(type, n_embd_kv);
}

}  // namespace cellar
