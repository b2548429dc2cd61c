# shipgate_warnings: the warning set for our own code; never linked by third-party code.
add_library(shipgate_warnings INTERFACE)
target_compile_options(shipgate_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
if(SHIPGATE_WERROR)
  target_compile_options(shipgate_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wrestrict inside libstdc++'s std::string operator+ at -O2 (GCC bug 105329), a
# false positive on correct code; keep it visible on other compilers.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(shipgate_warnings INTERFACE -Wno-restrict)
endif()
# GCC documents that -fsanitize=address makes -Wmaybe-uninitialized report false positives (inside
# libstdc++ too); sanitizer builds check the same code at run time instead.
if(SHIPGATE_SANITIZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(shipgate_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
