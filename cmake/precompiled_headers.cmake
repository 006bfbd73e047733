# Precompiled headers: the heavy headers most sources include (the standard library, nlohmann/json, Asio/Beast,
# Catch2) compiled once per kind of target and reused by every target of that kind (REUSE_FROM). A target's kind
# is known only once it is fully described (sim7600_uses_asio, sim7600_test), so sim7600_apply_pch() runs last.
option(SIM7600_PCH "Precompile the heavy common headers (first build about twice as fast)" ON)

set(sim7600_pch_core
  <utility> <algorithm> <array> <chrono> <cstdint> <filesystem> <functional> <map> <memory> <mutex> <optional>
  <set> <sstream> <string> <string_view> <unordered_map> <variant> <vector> <nlohmann/json.hpp>)
set(sim7600_pch_asio
  <boost/asio/io_context.hpp> <boost/asio/ip/tcp.hpp> <boost/asio/ip/udp.hpp> <boost/asio/steady_timer.hpp>
  <boost/asio/strand.hpp> <boost/asio/ssl.hpp> <boost/beast/core.hpp> <boost/beast/http.hpp>
  <boost/beast/ssl.hpp>)
set(sim7600_pch_test <catch2/catch.hpp>)

# Which shared header a target takes: core, asio, test or test_asio.
function(sim7600_pch_kind target out)
  get_target_property(asio ${target} SIM7600_ASIO)
  get_target_property(test ${target} SIM7600_TEST)
  set(kind core)
  if(test AND asio)
    set(kind test_asio)
  elseif(test)
    set(kind test)
  elseif(asio)
    set(kind asio)
  endif()
  set(${out} ${kind} PARENT_SCOPE)
endfunction()

function(sim7600_pch_target kind out)
  set(name sim7600_pch_${kind})
  if(NOT TARGET ${name})
    set(headers ${sim7600_pch_core})
    add_library(${name} STATIC ${PROJECT_SOURCE_DIR}/cmake/pch_anchor.cpp)
    # No links: every header here is in /usr/include, and a link would add definitions the users lack.
    sim7600_target_defaults(${name})
    if(kind MATCHES "asio")
      list(APPEND headers ${sim7600_pch_asio})
    endif()
    if(kind MATCHES "test")
      list(APPEND headers ${sim7600_pch_test})
      sim7600_test_optimization(${name})
    endif()
    target_precompile_headers(${name} PRIVATE ${headers})
  endif()
  set(${out} ${name} PARENT_SCOPE)
endfunction()

# Every C++ target that went through sim7600_target_defaults takes its kind's header.
# Test targets (and their header) are compiled at -O1 here, where every target's kind is known: a precompiled
# header must be used at the optimization level it was made with (g++ crashes otherwise).
function(sim7600_apply_pch)
  get_property(targets GLOBAL PROPERTY SIM7600_TARGETS)
  foreach(target IN LISTS targets)
    sim7600_pch_kind(${target} kind)
    if(kind MATCHES "test")
      sim7600_test_optimization(${target})
    endif()
    if(NOT SIM7600_PCH)
      continue()
    endif()
    sim7600_pch_target(${kind} pch)
    target_precompile_headers(${target} REUSE_FROM ${pch})
  endforeach()
endfunction()
