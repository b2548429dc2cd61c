# shipgate_settings: language level, sanitizers and static linking, linked by our own targets only.
add_library(shipgate_settings INTERFACE)
target_compile_features(shipgate_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_include_directories(shipgate_settings INTERFACE "${PROJECT_SOURCE_DIR}/gates")
# Where rule docs are read: findings link to rules/<id>.md at this version's tag.
set(SHIPGATE_DOCS_URL "https://github.com/shipgate/shipgate/blob/v${PROJECT_VERSION}" CACHE STRING
    "Base URL of the repository at this version (findings link to its rules/<id>.md)")
target_compile_definitions(shipgate_settings INTERFACE SHIPGATE_VERSION="${PROJECT_VERSION}"
                                                       SHIPGATE_DOCS_URL="${SHIPGATE_DOCS_URL}")

# Reproducible builds: no path of the checkout or the build tree in a binary, so the release
# workflow's rebuild of a tag gives the bytes DIGESTS committed, wherever it checks out.
target_compile_options(shipgate_settings INTERFACE "-ffile-prefix-map=${PROJECT_SOURCE_DIR}/="
                                                   "-ffile-prefix-map=${PROJECT_BINARY_DIR}/=")

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

# compile_commands.json for clang-tidy and editors.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# shipgate_static_gate(target): with SHIPGATE_STATIC, the executable links fully statically.
function(shipgate_static_gate target)
  if(SHIPGATE_STATIC)
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
