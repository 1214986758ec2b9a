#include "model/quantize.h"

#include <cstring>
#include <memory>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "kernels/kernels.h"
#include "model/model.h"
#include "util/thread_pool.h"

namespace cellar {

QuantizeStats quantize_model(const std::string& in, const std::string& out, const FileType& ft, int n_threads) {
  // Loading as a Model validates architecture and shapes before any work.
  auto model = Model::load(in);
  const GgufFile& f = model->file();
  const HParams& hp = model->hparams();
  const RecipeModel rm{hp.n_layer, hp.n_gqa(), hp.tied_embeddings};
  GgufWriter w;
  for (const auto& [key, value] : f.metadata()) {
    if (key == "general.file_type" || key == "general.alignment") continue;
    w.copy_value(key, value);
  }
  w.set_u32("general.file_type", ft.llama_ftype);
  auto pool = std::make_shared<ThreadPool>(n_threads);
  QuantizeStats st;
  for (const auto& t : f.tensors()) {
    st.bytes_in += t.n_bytes;
    const uint8_t* src = f.tensor_data(t);
    const bool matrix = t.dims.size() >= 2 && t.rows() > 1;
    const GgmlType target = matrix ? tensor_type_for(ft, t.name, rm, t.ne(0)) : t.type;
    st.bytes_out += ggml_row_size(target, t.ne(0)) * static_cast<uint64_t>(t.rows());
    if (target == t.type) {
      st.tensors_copied++;
      w.add_tensor(t.name, t.type, t.dims, [src](uint8_t* dst, size_t n) { std::memcpy(dst, src, n); });
      continue;
    }
    st.tensors_requantized++;
    const int64_t cols = t.ne(0), rows = t.rows();
    const GgmlType from = t.type;
    w.add_tensor(t.name, target, t.dims, [=](uint8_t* dst, size_t) {
      const size_t in_row = ggml_row_size(from, cols), out_row = ggml_row_size(target, cols);
      pool->run([&](int ith, int nth) {
        std::vector<float> row(static_cast<size_t>(cols));  // [cols]
        for (int64_t r = ith; r < rows; r += nth) {
          kernels::dequantize_row(from, src + r * in_row, row.data(), cols);
          kernels::quantize_row(target, row.data(), dst + r * out_row, cols);
        }
      });
    });
  }
  w.write(out);
  return st;
}

}  // namespace cellar
