# System libraries from Debian's archive (scripts/install-deps installs them); no vendored copies.
set(_saved_suffixes ${CMAKE_FIND_LIBRARY_SUFFIXES})
if(SHIPGATE_STATIC)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
find_library(RE2_LIBRARY NAMES re2 REQUIRED)
find_path(RE2_INCLUDE_DIR re2/re2.h REQUIRED)
set(CMAKE_FIND_LIBRARY_SUFFIXES ${_saved_suffixes})

add_library(shipgate_re2 INTERFACE)
target_link_libraries(shipgate_re2 INTERFACE ${RE2_LIBRARY})
target_include_directories(shipgate_re2 SYSTEM INTERFACE ${RE2_INCLUDE_DIR})

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

find_package(Threads REQUIRED)
