// `llama`: Llama 2, Llama 3/3.1/3.2, Mistral, TinyLlama. Adjacent-pair RoPE,
// no biases; Llama 3.1 adds per-dimension RoPE divisors (rope_freqs.weight).
#include "model/arch/arch.h"

namespace cellar {

const ArchSpec kLlamaArch{
    "llama",
    [](const GgufFile& f, HParams& hp) {
      hp.rope_style = RopeStyle::kNormal;
      hp.has_qkv_bias = false;
      load_llama_family_hparams(f, hp);
    },
    bind_llama_family_weights,
};

}  // namespace cellar
