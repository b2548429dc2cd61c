# shipgate_settings: language level, sanitizers and static linking, linked by our own targets only.
add_library(shipgate_settings INTERFACE)
target_compile_features(shipgate_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_include_directories(shipgate_settings INTERFACE "${PROJECT_SOURCE_DIR}/gates")
target_compile_definitions(shipgate_settings INTERFACE SHIPGATE_VERSION="${PROJECT_VERSION}")

if(SHIPGATE_SANITIZERS)
  string(REPLACE ";" "," _sanitizers "${SHIPGATE_SANITIZERS}")
  target_compile_options(shipgate_settings INTERFACE -fsanitize=${_sanitizers} -fno-omit-frame-pointer
                                                     -fno-sanitize-recover=all)
  target_link_options(shipgate_settings INTERFACE -fsanitize=${_sanitizers})
endif()

if(SHIPGATE_CLANG_TIDY)
  find_program(CLANG_TIDY_EXE NAMES clang-tidy REQUIRED)
  set(CMAKE_CXX_CLANG_TIDY "${CLANG_TIDY_EXE}")
endif()

# shipgate_static_gate(target [NETWORK]): a gate without network code links fully statically; a
# network gate links everything statically but glibc and the system libcurl.
function(shipgate_static_gate target)
  cmake_parse_arguments(ARG "NETWORK" "" "" ${ARGN})
  if(NOT SHIPGATE_STATIC)
    return()
  endif()
  if(ARG_NETWORK)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  else()
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
