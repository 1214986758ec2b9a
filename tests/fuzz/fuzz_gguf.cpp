// Arbitrary bytes as a GGUF image: parsing either succeeds or throws
// GgufError; every accessor on a parsed file stays inside the buffer.
#include <cstddef>
#include <cstdint>

#include "gguf/gguf_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<cellar::GgufFile> f;
  try {
    f = cellar::GgufFile::from_bytes(data, size);
  } catch (const cellar::GgufError&) {
    return 0;
  }
  volatile size_t sink = 0;
  for (const auto& [key, value] : f->metadata()) {
    sink = sink + key.size() + value.to_string(4).size();
    try {
      f->get_string(key);
      f->get_int(key);
      f->get_float(key);
      f->get_string_array(key);
      f->get_int_array(key);
      f->get_float_array(key);
    } catch (const cellar::GgufError&) {
      // wrong type for that getter: the documented outcome
    }
  }
  for (const auto& t : f->tensors()) {
    const uint8_t* p = f->tensor_data(t);
    if (t.n_bytes > 0) sink = sink + p[0] + p[t.n_bytes - 1];
  }
  return 0;
}
