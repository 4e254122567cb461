# Helpers that keep every component's CMakeLists short and alike.

set(NUMALIGN_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(NUMALIGN_WERROR)
  list(APPEND NUMALIGN_WARNINGS -Werror)
endif()

# Sources below `dir`, skipping subdirectories that define targets of their own (they have a
# CMakeLists.txt), so a component can grow a separately built part without double compilation.
function(numalign_glob_sources out dir pattern)
  file(GLOB_RECURSE found CONFIGURE_DEPENDS "${dir}/${pattern}")
  file(GLOB_RECURSE nested LIST_DIRECTORIES false "${dir}/*/CMakeLists.txt")
  foreach(cml IN LISTS nested)
    get_filename_component(subdir "${cml}" DIRECTORY)
    list(FILTER found EXCLUDE REGEX "^${subdir}/")
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# numalign_library(<target> DIR <dir> [DEPS ...])
# A static library of every .cpp below DIR except tests (*_test.cpp), fuzz targets and mains
# (main.cpp). Headers are included as "<component>/<path>.h" from the repository root.
function(numalign_library target)
  cmake_parse_arguments(ARG "" "DIR" "DEPS" ${ARGN})
  numalign_glob_sources(sources "${ARG_DIR}" "*.cpp")
  list(FILTER sources EXCLUDE REGEX "(_test|_fuzz|/main)\\.cpp$")
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/generated")
  target_compile_options(${target} PRIVATE ${NUMALIGN_WARNINGS})
  target_compile_definitions(${target} PUBLIC NUMALIGN_SHARED_DIR="${NUMALIGN_SHARED_DIR}"
                                              NUMALIGN_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
endfunction()

# numalign_unit_tests(<target> DIR <dir> [DEPS ...])
# One test binary of every *_test.cpp below DIR (tests sit beside the concept they test); each
# TEST becomes its own ctest case so `ctest -j` runs them in parallel.
function(numalign_unit_tests target)
  cmake_parse_arguments(ARG "" "DIR;LABEL" "DEPS" ${ARGN})
  if(NOT NUMALIGN_BUILD_TESTS)
    return()
  endif()
  numalign_glob_sources(sources "${ARG_DIR}" "*_test.cpp")
  if(NOT sources)
    return()
  endif()
  add_executable(${target} ${sources})
  target_compile_options(${target} PRIVATE ${NUMALIGN_WARNINGS})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS ${ARG_LABEL} TIMEOUT 600)
endfunction()

# numalign_executable(<target> SOURCES ... [DEPS ...])
function(numalign_executable target)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_compile_options(${target} PRIVATE ${NUMALIGN_WARNINGS})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS})
  install(TARGETS ${target} RUNTIME DESTINATION bin)
endfunction()
