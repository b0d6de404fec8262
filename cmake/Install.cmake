# `make install` / `make package`: install rules for the binaries, the consumer helper module,
# example configuration, contrib/ service files and man pages generated from --help, and CPack
# settings for a Debian package whose dependencies are computed from the runtime libraries the
# binaries link (dpkg-shlibdeps). Included once from the top-level CMakeLists.txt.
include(GNUInstallDirs)
# Installing and packaging take what `make build` made; they do not rebuild every target (the
# Makefile's install/package targets build first).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(pn_installed_programs pacifica-notifications pacifica-notifications-cmd
    start-pacifica-notifications-consumer)
set(pn_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/pacifica-notifications)

foreach(program ${pn_installed_programs})
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  endif()
endforeach()

# The consumer helper module (the runner also carries an embedded copy for consumer venvs).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/pacifica_notifications_consumer
  DESTINATION ${CMAKE_INSTALL_DATADIR}/pacifica-notifications/python COMPONENT runtime
  PATTERN __pycache__ EXCLUDE)

install(FILES ${PROJECT_SOURCE_DIR}/contrib/config.ini
              ${PROJECT_SOURCE_DIR}/contrib/nginx-pacifica-notifications.conf
              ${PROJECT_SOURCE_DIR}/contrib/pacifica-notifications.logrotate
  DESTINATION ${pn_doc_dir}/examples COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${pn_doc_dir} COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/docs/metrics.md ${PROJECT_SOURCE_DIR}/docs/consumer.md
  DESTINATION ${pn_doc_dir} COMPONENT runtime OPTIONAL)
# lib/systemd/system under the prefix: /usr/lib/systemd/system for the Debian package.
install(FILES ${PROJECT_SOURCE_DIR}/contrib/pacifica-notifications.service
  DESTINATION lib/systemd/system COMPONENT runtime)

# Man pages from each program's --help (help2man, installed by `make deps`).
find_program(PN_HELP2MAN help2man)
if(PN_HELP2MAN)
  set(pn_man_pages)
  set(pn_man_name_pacifica-notifications "the Pacifica Notifications server (REST API, delivery workers, dashboard, metrics)")
  set(pn_man_name_pacifica-notifications-cmd "administration of Pacifica Notifications (database, events, jsonpath)")
  set(pn_man_name_start-pacifica-notifications-consumer "run a Pacifica Notifications consumer from a consumer.zip")
  foreach(program ${pn_installed_programs})
    if(TARGET ${program})
      set(page ${CMAKE_BINARY_DIR}/man/${program}.1)
      add_custom_command(OUTPUT ${page}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${PN_HELP2MAN} --no-info --no-discard-stderr --version-string=${PN_VERSION}
                "--name=${pn_man_name_${program}}" --section=1 --output=${page} $<TARGET_FILE:${program}>
        DEPENDS ${program}
        COMMENT "Generating the man page of ${program}"
        VERBATIM)
      list(APPEND pn_man_pages ${page})
    endif()
  endforeach()
  add_custom_target(pn_man_pages ALL DEPENDS ${pn_man_pages})
  install(FILES ${pn_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
else()
  message(STATUS "help2man not found: man pages are not generated (`make deps` installs it)")
endif()

set(CPACK_PACKAGE_NAME pacifica-notifications)
set(CPACK_PACKAGE_VERSION ${PN_VERSION})
set(CPACK_PACKAGE_CONTACT "Pacifica Notifications maintainers <pacifica-notifications@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Pacifica Notifications: CloudEvents matched by jsonpath2 subscriptions, delivered to webhooks")
set(CPACK_PACKAGE_DESCRIPTION
  "A C++ reimplementation of Pacifica Notifications: the server (REST API, delivery workers, \
dashboard, metrics), the admin command and the consumer runner.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the linked runtime libraries
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-venv")  # the consumer runner's venvs
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)
