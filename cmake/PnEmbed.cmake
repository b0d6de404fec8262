# pn_embed_files(OUT <generated.cc> ROOT <dir> FILES a b ... HEADER x/y.h NS pn::x FUNC Name)
# Adds a build rule that regenerates OUT from the files whenever one of them changes.
function(pn_embed_files)
  cmake_parse_arguments(E "" "OUT;ROOT;HEADER;NS;FUNC" "FILES" ${ARGN})
  set(deps)
  foreach(f ${E_FILES})
    list(APPEND deps ${E_ROOT}/${f})
  endforeach()
  # '|' separates the names: a ';' list does not survive the custom command's quoting.
  string(REPLACE ";" "|" files_arg "${E_FILES}")
  add_custom_command(
    OUTPUT ${E_OUT}
    COMMAND ${CMAKE_COMMAND} -DROOT=${E_ROOT} "-DFILES=${files_arg}" -DOUT=${E_OUT}
            -DHEADER=${E_HEADER} -DNS=${E_NS} -DFUNC=${E_FUNC}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    COMMENT "Embedding ${E_FUNC}"
    VERBATIM)
endfunction()
