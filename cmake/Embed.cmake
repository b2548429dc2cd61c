# shipgate_embed(out_cpp symbol file...): compile data files into the binary as string constants,
# so rule data ships inside the gate and needs no install path at run time.
function(shipgate_embed out_cpp symbol)
  set(_files ${ARGN})
  add_custom_command(
    OUTPUT "${out_cpp}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DSYMBOL=${symbol} "-DFILES=${_files}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    DEPENDS ${_files} "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    COMMENT "Embedding ${symbol}"
    VERBATIM)
endfunction()
