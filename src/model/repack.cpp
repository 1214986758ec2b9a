#include "model/repack.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "kernels/kernels.h"

namespace cellar {
namespace {

struct PageRange {
  uintptr_t begin, end;
};

// The pages that [p, p + n) lies entirely over (inner) or touches (outer).
PageRange pages_of(const void* p, size_t n, bool inner) {
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto a = reinterpret_cast<uintptr_t>(p), b = a + n;
  if (inner) return {(a + page - 1) / page * page, b / page * page};
  return {a / page * page, (b + page - 1) / page * page};
}

// Drops the process's pages of [p, p + n) from a read-only file mapping: the
// data lives on in the repacked copy; a later read (the tied embedding's
// rows) faults the page back in from the page cache. Only whole pages: a
// neighbouring tensor may share the edge pages.
void release_pages(const void* p, size_t n) {
  const PageRange r = pages_of(p, n, true);
  if (r.end > r.begin) madvise(reinterpret_cast<void*>(r.begin), r.end - r.begin, MADV_DONTNEED);
}

}  // namespace

void RepackedStore::reserve(size_t bytes) {
  arenas_.emplace_back(bytes);
  used_ = 0;
}

uint8_t* RepackedStore::allocate(size_t bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64;
  if (arenas_.empty() || arenas_.back().size() - used_ < rounded) reserve(rounded);
  uint8_t* p = arenas_.back().data() + used_;
  used_ += rounded;
  bytes_ += rounded;
  return p;
}

bool RepackedStore::lock(std::string* err) const {
  for (const HugeBuffer& a : arenas_) {
    if (!a.lock(err)) return false;
  }
  return true;
}

bool lock_range(const void* p, size_t n, std::string* err) {
  const PageRange r = pages_of(p, n, false);
  if (mlock(reinterpret_cast<void*>(r.begin), r.end - r.begin) == 0) return true;
  if (err) *err = std::strerror(errno);
  return false;
}

int repack_weights(ModelWeights& w, RepackedStore& store, int n_threads,
                   std::vector<std::pair<const void*, size_t>>* released) {
  std::vector<TensorView*> todo;
  auto consider = [&](TensorView& t) {
    if (t && t.layout == kernels::Layout::kRows && kernels::interleavable(t.type, t.rows, t.cols) &&
        kernels::interleave_preferred(t.type)) {
      todo.push_back(&t);
    }
  };
  for (LayerWeights& l : w.layers) {
    for (TensorView* t : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w_gate, &l.w_up, &l.w_down}) consider(*t);
  }
  consider(w.output);
  std::vector<uint8_t*> dst(todo.size());  // allocated up front: the store is not thread-safe
  size_t total = 0;
  for (const TensorView* t : todo) total += (ggml_row_size(t->type, t->cols) * t->rows + 63) / 64 * 64;
  if (total > 0) store.reserve(total);
  for (size_t i = 0; i < todo.size(); ++i) {
    dst[i] = store.allocate(ggml_row_size(todo[i]->type, todo[i]->cols) * todo[i]->rows);
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < todo.size(); i = next++) {
      TensorView& t = *todo[i];
      kernels::interleave(t.type, t.data, dst[i], t.rows, t.cols);
      // The tied embedding table still reads single rows of the original.
      if (t.data != w.tok_embd.data) release_pages(t.data, ggml_row_size(t.type, t.cols) * t.rows);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < n_threads && static_cast<size_t>(i) < todo.size(); ++i) threads.emplace_back(worker);
  worker();
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < todo.size(); ++i) {
    if (released && todo[i]->data != w.tok_embd.data) {
      released->emplace_back(todo[i]->data, ggml_row_size(todo[i]->type, todo[i]->cols) * todo[i]->rows);
    }
    todo[i]->data = dst[i];
    todo[i]->layout = kernels::Layout::kX16;
  }
  return static_cast<int>(todo.size());
}

}  // namespace cellar
