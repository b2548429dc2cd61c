# shipgate_add_gate(NAME SOURCES src... [NETWORK] [TEST_ONLY] [FIXTURES dir] [ACTION file] [DOC file])
#
# One call per gate, in its own folder's CMakeLists.txt: builds the gate's code as
# shipgate_NAME_lib, its tiny main.cpp as the executable shipgate-NAME (in bin/ of the build
# tree; fully static with SHIPGATE_STATIC), installs it to bin/, and records the gate for the
# tests: its fixtures (default fixtures/NAME), its composite action (default
# actions/NAME/action.yml) and the document that must carry its --help (default README.md).
# The gate's code provides `std::unique_ptr<shipgate::Gate> shipgate::NAME::make_gate()` in
# NAME/NAME.hpp. TEST_ONLY gates are built for the tests and never installed.
function(shipgate_add_gate name)
  cmake_parse_arguments(ARG "NETWORK;TEST_ONLY" "FIXTURES;ACTION;DOC" "SOURCES" ${ARGN})
  set(_lib shipgate_${name}_lib)
  add_library(${_lib} STATIC ${ARG_SOURCES})
  if(ARG_NETWORK)
    target_link_libraries(${_lib} PUBLIC shipgate_net)
  else()
    target_link_libraries(${_lib} PUBLIC shipgate_core)
  endif()
  target_link_libraries(${_lib} PRIVATE shipgate_warnings)

  set(_exe shipgate-${name})
  add_executable(${_exe} main.cpp)
  target_link_libraries(${_exe} PRIVATE ${_lib} shipgate_warnings)
  set_target_properties(${_exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/bin")
  shipgate_static_gate(${_exe})
  if(NOT ARG_TEST_ONLY)
    install(TARGETS ${_exe} RUNTIME DESTINATION bin)
    set_property(GLOBAL APPEND PROPERTY SHIPGATE_SHIPPED_GATES ${_exe})
  endif()

  if(NOT ARG_FIXTURES)
    set(ARG_FIXTURES "${PROJECT_SOURCE_DIR}/fixtures/${name}")
  endif()
  if(NOT ARG_ACTION)
    set(ARG_ACTION "${PROJECT_SOURCE_DIR}/actions/${name}/action.yml")
  endif()
  if(NOT ARG_DOC)
    set(ARG_DOC "${PROJECT_SOURCE_DIR}/README.md")
  endif()
  set_property(GLOBAL APPEND PROPERTY SHIPGATE_GATES ${name})
  set_property(GLOBAL PROPERTY SHIPGATE_GATE_${name}_FIXTURES "${ARG_FIXTURES}")
  set_property(GLOBAL PROPERTY SHIPGATE_GATE_${name}_ACTION "${ARG_ACTION}")
  set_property(GLOBAL PROPERTY SHIPGATE_GATE_${name}_DOC "${ARG_DOC}")
endfunction()
