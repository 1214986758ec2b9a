#pragma once
// Keys and values of every past position, F16, one region per sequence slot
// so continuous batching can run independent conversations side by side.
#include <cstddef>
#include <cstdint>

#include "util/huge_buffer.h"

namespace cellar {

class KvCache {
 public:
  KvCache(int n_layer, int n_slots, int n_ctx, int n_embd_kv);

  // Row of `n_embd_kv` F16 values for (layer, slot, pos).
  uint16_t* k(int layer, int slot, int pos) { return k_base() + index(layer, slot, pos); }
  uint16_t* v(int layer, int slot, int pos) { return v_base() + index(layer, slot, pos); }
  const uint16_t* k(int layer, int slot, int pos) const { return k_base() + index(layer, slot, pos); }
  const uint16_t* v(int layer, int slot, int pos) const { return v_base() + index(layer, slot, pos); }

  int n_ctx() const { return n_ctx_; }
  int n_slots() const { return n_slots_; }
  uint64_t bytes() const { return k_.size() + v_.size(); }

 private:
  size_t index(int layer, int slot, int pos) const {
    return ((static_cast<size_t>(layer) * n_slots_ + slot) * n_ctx_ + pos) * n_embd_kv_;
  }
  int n_layer_, n_slots_, n_ctx_, n_embd_kv_;
  uint16_t* k_base() const { return reinterpret_cast<uint16_t*>(k_.data()); }
  uint16_t* v_base() const { return reinterpret_cast<uint16_t*>(v_.data()); }
  // Huge pages: a batched step reads every slot's keys and values of every layer.
  HugeBuffer k_;  // [n_layer][n_slots][n_ctx][n_embd_kv] F16, zero-filled
  HugeBuffer v_;  // [n_layer][n_slots][n_ctx][n_embd_kv] F16, zero-filled
};

}  // namespace cellar
