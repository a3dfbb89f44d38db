# Installs headers, static libraries, zonebuf-config.cmake (exporting
# zonebuf::zonebuf) and zonebuf.pc. mimalloc is linked privately: its archive
# is installed under zonebuf's name and imported by the config file, so a
# consumer neither sees mimalloc's headers nor gets malloc replaced.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

foreach(layer allocators core pool stream)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(TARGETS zonebuf zonebuf_allocators zonebuf_core zonebuf_pool zonebuf_stream
        EXPORT zonebufTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES $<TARGET_FILE:mimalloc-static> DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RENAME ${CMAKE_STATIC_LIBRARY_PREFIX}zonebuf_mimalloc${CMAKE_STATIC_LIBRARY_SUFFIX})
install(EXPORT zonebufTargets NAMESPACE zonebuf:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/zonebuf)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/zonebuf-config.cmake.in
  ${PROJECT_BINARY_DIR}/zonebuf-config.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/zonebuf)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/zonebuf-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/zonebuf-config.cmake ${PROJECT_BINARY_DIR}/zonebuf-config-version.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/zonebuf)

configure_file(${PROJECT_SOURCE_DIR}/cmake/zonebuf.pc.in ${PROJECT_BINARY_DIR}/zonebuf.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/zonebuf.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
