#include "model/kv_cache.h"

namespace cellar {

KvCache::KvCache(int n_layer, int n_slots, int n_ctx, int n_embd_kv)
    : n_layer_(n_layer), n_slots_(n_slots), n_ctx_(n_ctx), n_embd_kv_(n_embd_kv) {
  const size_t n = static_cast<size_t>(n_layer) * n_slots * n_ctx * n_embd_kv;
  k_ = HugeBuffer(n * sizeof(uint16_t));
  v_ = HugeBuffer(n * sizeof(uint16_t));
}

}  // namespace cellar
