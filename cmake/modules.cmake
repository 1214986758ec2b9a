# cellar_module(NAME DEPS ...): a static library from src/NAME/**/*.cpp.
# Kernel ISA folders (src/kernels/avx2, src/kernels/avx512) get their own
# compile flags so only those files may use the wider instructions; dispatch
# picks an ISA once at start-up, so the binary still runs on any x86-64.
set(CELLAR_ALL_MODULES "")
# GCC 12's own avx512fintrin.h trips -Wmaybe-uninitialized on its `__Y`
# undefined-vector idiom (GCC bug 105593); not our code, not actionable.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  set(CELLAR_AVX512_WARNING_FLAGS "-Wno-maybe-uninitialized;-Wno-uninitialized")
endif()
function(cellar_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cpp)
  set(lib cellar_${name})
  if(srcs)
    add_library(${lib} STATIC ${srcs})
    target_include_directories(${lib} PUBLIC ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${lib} PUBLIC ${M_DEPS})
    foreach(src IN LISTS srcs)
      if(src MATCHES "/avx512/.*bf16_avx512\\.cpp$")
        # AVX-512 BF16 is not on every AVX-512 VNNI CPU: only this file may use it.
        set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
          "-mavx512f;-mavx512bw;-mavx512vl;-mavx512dq;-mavx512vnni;-mavx512bf16;-mavx2;-mfma;-mf16c;${CELLAR_AVX512_WARNING_FLAGS}")
      elseif(src MATCHES "/avx512/")
        set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS
          "-mavx512f;-mavx512bw;-mavx512vl;-mavx512dq;-mavx512vnni;-mavx2;-mfma;-mf16c;${CELLAR_AVX512_WARNING_FLAGS}")
      elseif(src MATCHES "/avx2/")
        set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;-mf16c")
      endif()
    endforeach()
  else()
    add_library(${lib} INTERFACE)
    target_include_directories(${lib} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${lib} INTERFACE ${M_DEPS})
  endif()
  set(CELLAR_ALL_MODULES ${CELLAR_ALL_MODULES} ${lib} PARENT_SCOPE)
endfunction()
