// `qwen2`: Qwen2 / Qwen2.5. Q, K and V projections carry biases, and RoPE
// rotates the two halves of each head (GPT-NeoX style) rather than adjacent pairs.
#include "model/arch/arch.h"

namespace cellar {

const ArchSpec kQwen2Arch{
    "qwen2",
    [](const GgufFile& f, HParams& hp) {
      hp.rope_style = RopeStyle::kNeox;
      hp.has_qkv_bias = true;
      hp.rope_freq_base = 1000000.f;  // Qwen2's default when the file omits it
      load_llama_family_hparams(f, hp);
    },
    bind_llama_family_weights,
};

}  // namespace cellar
