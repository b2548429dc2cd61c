# Cross-compiles for arm64 (aarch64) Linux on a Debian amd64 host with Debian's cross compiler
# (g++-aarch64-linux-gnu) and the arm64 -dev packages of the multiarch dirs
# (SHIPGATE_CROSS=1 scripts/install-deps; scripts/release uses it):
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DSHIPGATE_STATIC=ON
# Libraries are looked for in /usr/lib/aarch64-linux-gnu, never in the amd64 multiarch dir. A
# package kept elsewhere (scripts/release unpacks libyaml-cpp-dev:arm64 into the build tree) is
# named with -DCMAKE_PREFIX_PATH=DIR/usr.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# The arm64 multiarch dir comes first when linking, so libc.a is libc6-dev:arm64's: the same glibc
# release, with the same Debian updates, as the amd64 build links. The cross toolchain's own copy
# (libc6-dev-arm64-cross) is an older revision of that release, with the same start files.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L/usr/lib/aarch64-linux-gnu")

# Programs (tools) come from the host; everything else is searched as usual, and the library
# architecture above keeps the searches in the arm64 dirs.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# Runs arm64 programs (try_run, tests) through qemu-user when it is there.
find_program(SHIPGATE_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(SHIPGATE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SHIPGATE_QEMU_AARCH64}")
endif()

# pkg-config reads the arm64 .pc files only, and treats the arm64 dirs as its default ones.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSTEM_LIBRARY_PATH} "/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu")
set(ENV{PKG_CONFIG_SYSTEM_INCLUDE_PATH} "/usr/include")
unset(ENV{PKG_CONFIG_PATH})
