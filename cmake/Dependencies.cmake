# System libraries from Debian's archive (scripts/install-deps installs them); no vendored copies.
set(_saved_suffixes ${CMAKE_FIND_LIBRARY_SUFFIXES})
if(SHIPGATE_STATIC)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
set(CMAKE_FIND_LIBRARY_SUFFIXES ${_saved_suffixes})
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
# builds; a static network gate needs the minimal static libcurl of PLATFORM-FACTS.md.
find_package(CURL REQUIRED)
add_library(shipgate_curl INTERFACE)
target_link_libraries(shipgate_curl INTERFACE CURL::libcurl)
