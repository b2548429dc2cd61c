# System libraries from Debian's archive (scripts/install-deps installs them); no vendored copies.
set(_saved_suffixes ${CMAKE_FIND_LIBRARY_SUFFIXES})
if(SHIPGATE_STATIC)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
set(CMAKE_FIND_LIBRARY_SUFFIXES ${_saved_suffixes})

# toml++ (header-only): slug's readers of pyproject.toml, Pipfile and uv.lock.
find_path(SHIPGATE_TOMLPP_INCLUDE toml++/toml.h REQUIRED)
add_library(shipgate_toml INTERFACE)
target_include_directories(shipgate_toml SYSTEM INTERFACE "${SHIPGATE_TOMLPP_INCLUDE}")
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# RE2 through pkg-config: newer RE2 releases depend on abseil, which only its .pc file names.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
add_library(shipgate_re2 INTERFACE)
if(SHIPGATE_STATIC)
  target_link_libraries(shipgate_re2 INTERFACE ${RE2_STATIC_LDFLAGS})
  target_include_directories(shipgate_re2 SYSTEM INTERFACE ${RE2_STATIC_INCLUDE_DIRS})
else()
  target_link_libraries(shipgate_re2 INTERFACE PkgConfig::RE2)
endif()

# yaml-cpp's exported target names differ between versions; give our code one name.
add_library(shipgate_yaml INTERFACE)
if(SHIPGATE_STATIC)
  find_library(YAML_CPP_STATIC NAMES libyaml-cpp.a REQUIRED)
  target_link_libraries(shipgate_yaml INTERFACE ${YAML_CPP_STATIC})
elseif(TARGET yaml-cpp::yaml-cpp)
  target_link_libraries(shipgate_yaml INTERFACE yaml-cpp::yaml-cpp)
else()
  target_link_libraries(shipgate_yaml INTERFACE yaml-cpp)
endif()

# libcurl, for network code only (shipgate_net). Debian's shared libcurl serves debug and test
# builds; a static build links the minimal static libcurl that scripts/build-static-curl makes
# from Debian's curl source package (PLATFORM-FACTS.md). It is built when a target that needs it
# is built (once per build tree), so a static build of shipgate-lint alone never waits for it.
add_library(shipgate_curl INTERFACE)
if(SHIPGATE_STATIC)
  set(SHIPGATE_CURL_PREFIX "${PROJECT_BINARY_DIR}/_deps/curl-static" CACHE PATH "Static libcurl install prefix")
  # Cross builds build curl for the target: its GNU triplet (the toolchain's library architecture,
  # e.g. aarch64-linux-gnu) as configure's --host, and that triplet's C compiler.
  set(_curl_env "")
  if(CMAKE_CROSSCOMPILING)
    set(_curl_host "${CMAKE_LIBRARY_ARCHITECTURE}")
    if(NOT _curl_host AND CMAKE_CXX_COMPILER_TARGET)
      set(_curl_host "${CMAKE_CXX_COMPILER_TARGET}")
    endif()
    if(NOT _curl_host)
      message(FATAL_ERROR "Cross build without CMAKE_LIBRARY_ARCHITECTURE: cannot tell the static libcurl's host")
    endif()
    set(_curl_cc "${CMAKE_C_COMPILER}")
    if(NOT _curl_cc)
      set(_curl_cc "${_curl_host}-gcc")
    endif()
    set(_curl_env "${CMAKE_COMMAND}" -E env "SHIPGATE_CURL_HOST=${_curl_host}" "SHIPGATE_CURL_CC=${_curl_cc}")
  endif()
  add_custom_command(
    OUTPUT "${SHIPGATE_CURL_PREFIX}/lib/libcurl.a"
    COMMAND ${_curl_env} "${PROJECT_SOURCE_DIR}/scripts/build-static-curl" "${SHIPGATE_CURL_PREFIX}"
    COMMENT "Building the static libcurl (scripts/build-static-curl)"
    VERBATIM)
  add_custom_target(shipgate_static_curl DEPENDS "${SHIPGATE_CURL_PREFIX}/lib/libcurl.a")
  target_include_directories(shipgate_curl INTERFACE "${SHIPGATE_CURL_PREFIX}/include")
  # What `pkg-config --static --libs libcurl` lists for that build.
  target_link_libraries(shipgate_curl INTERFACE "${SHIPGATE_CURL_PREFIX}/lib/libcurl.a" cares ssl crypto z
                                                Threads::Threads)
else()
  find_package(CURL REQUIRED)
  target_link_libraries(shipgate_curl INTERFACE CURL::libcurl)
endif()
