# zonebuf_warnings: the warning set every zonebuf target compiles with.
add_library(zonebuf_warnings INTERFACE)
target_compile_options(zonebuf_warnings INTERFACE
  $<BUILD_INTERFACE:-Wall -Wextra -Wpedantic -Wshadow>
  $<$<AND:$<BOOL:${ZONEBUF_WERROR}>,$<BUILD_INTERFACE:1>>:-Werror>)
