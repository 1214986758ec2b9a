#pragma once
// Keys and values of every past position, one region per sequence slot so
// continuous batching can run independent conversations side by side. F16 by
// default; Q8_0 (`--kv-type q8_0`) halves the memory, as llama.cpp's
// `--cache-type-k/v q8_0`, at a small cost in precision.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gguf/ggml_type.h"
#include "util/huge_buffer.h"

namespace cellar {

class KvCache {
 public:
  // Throws std::invalid_argument unless type is F16 or Q8_0 (whose rows must
  // hold whole 32-value blocks).
  KvCache(int n_layer, int n_slots, int n_ctx, int n_embd_kv, GgmlType type = GgmlType::F16);

  // The row of `n_embd_kv` values (encoded as type()) for (layer, slot, pos).
  uint8_t* k(int layer, int slot, int pos) { return k_.data() + offset(layer, slot, pos); }
  uint8_t* v(int layer, int slot, int pos) { return v_.data() + offset(layer, slot, pos); }
  const uint8_t* k(int layer, int slot, int pos) const { return k_.data() + offset(layer, slot, pos); }
  const uint8_t* v(int layer, int slot, int pos) const { return v_.data() + offset(layer, slot, pos); }

  GgmlType type() const { return type_; }
  size_t row_bytes() const { return row_bytes_; }
  int n_ctx() const { return n_ctx_; }
  int n_slots() const { return n_slots_; }
  uint64_t bytes() const { return k_.size() + v_.size(); }

  // "f16" or "q8_0" (any case) as a cache type, or nullopt: the spelling of
  // --kv-type and the server's `kv_type` setting.
  static std::optional<GgmlType> type_from_name(std::string_view name);

  // Bytes of K and V for one slot of n_ctx positions.
  static uint64_t bytes_per_sequence(int n_layer, int n_ctx, int n_embd_kv, GgmlType type);

 private:
  size_t offset(int layer, int slot, int pos) const {
    return ((static_cast<size_t>(layer) * n_slots_ + slot) * n_ctx_ + pos) * row_bytes_;
  }
  int n_slots_, n_ctx_;
  GgmlType type_;
  size_t row_bytes_;  // ggml_row_size(type_, n_embd_kv)
  // Huge pages: a batched step reads every slot's keys and values of every layer.
  HugeBuffer k_;  // [n_layer][n_slots][n_ctx][row_bytes], zero-filled
  HugeBuffer v_;  // [n_layer][n_slots][n_ctx][row_bytes], zero-filled
};

}  // namespace cellar
