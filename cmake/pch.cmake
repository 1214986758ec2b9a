# Precompiled headers. nlohmann/json, cpp-httplib, GoogleTest and CLI11 are parsed in
# most translation units and cost 5-20 s of compiler time each on the 2-core
# CI machine; compiling them once per target keeps `make test` (release,
# sanitizer and fuzz trees) inside its time budget. Only targets that use the
# libraries get them, and never the kernel ISA folders (own -m flags). The
# tokenizer module stays without: GCC 12 loses the system-header status of
# <string> through a PCH there and reports libstdc++'s own -Warray-bounds.
option(CELLAR_PCH "Precompile the heavy third-party headers" ON)

set(CELLAR_PCH_STD <string> <vector> <map> <memory> <functional> <optional> <chrono> <mutex>)

# cellar_pch(TARGET [JSON] [HTTP] [GTEST] [CLI])
function(cellar_pch target)
  if(NOT CELLAR_PCH)
    return()
  endif()
  cmake_parse_arguments(P "JSON;HTTP;GTEST;CLI" "" "" ${ARGN})
  set(headers ${CELLAR_PCH_STD})
  if(P_JSON)
    list(APPEND headers <nlohmann/json.hpp>)
  endif()
  if(P_HTTP)
    list(APPEND headers <httplib.h>)
  endif()
  if(P_GTEST)
    list(APPEND headers <gtest/gtest.h>)
  endif()
  if(P_CLI)
    list(APPEND headers <CLI/CLI.hpp>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
  # Through a PCH, GCC 12 also reports libstdc++'s inlined std::string copies
  # under -Warray-bounds (GCC bug 105762); the same code is clean without it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-array-bounds)
  endif()
endfunction()
