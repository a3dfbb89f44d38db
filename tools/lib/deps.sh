# shellcheck shell=bash
# tools/lib/deps.sh — third-party dependencies, per build flavor.
#
# Sourced by tools/zonebuf (bash, set -euo pipefail) with ZB_ROOT and ZB_BUILD
# set. Everything comes from Debian: binary packages via apt, and the two
# libraries we must compile ourselves (mimalloc, Google Benchmark for WASM)
# from Debian *source* packages fetched with a private apt configuration, so
# the machine's apt setup is never edited and nothing is vendored in the repo.
#
# Public functions:
#   zb_deps_apt             install missing Debian packages
#   zb_deps_sources         fetch + unpack the Debian source packages
#   zb_deps_build FLAVOR    build a CMake prefix at $ZB_BUILD/deps/FLAVOR
#   zb_deps_all             all of the above, for every flavor
#
# What each prefix holds, and what a consumer passes to CMake:
#
#   native, asan, tsan   (host g++; prefix holds mimalloc only)
#     -DCMAKE_PREFIX_PATH=$ZB_BUILD/deps/<flavor>
#     find_package(mimalloc CONFIG)   -> mimalloc-static        (prefix)
#     find_package(GTest CONFIG)      -> GTest::gtest, GTest::gtest_main,
#                                        GTest::gmock, GTest::gmock_main  (libgtest-dev)
#     find_package(benchmark CONFIG)  -> benchmark::benchmark,
#                                        benchmark::benchmark_main        (libbenchmark-dev)
#     find_package(nlohmann_json)     -> nlohmann_json::nlohmann_json     (nlohmann-json3-dev)
#   wasm, wasm-threads   (emcmake; prefix holds mimalloc, GTest, benchmark)
#     -DCMAKE_PREFIX_PATH=$ZB_BUILD/deps/<flavor>
#     -DCMAKE_FIND_ROOT_PATH=$ZB_BUILD/deps/<flavor>
#       (Emscripten.cmake sets CMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY, which
#        re-roots every prefix under the sysroot unless the prefix is itself a
#        find root), same package and target names as above.
#
# GoogleTest: native flavors use the system libgtest-dev (uninstrumented is
# fine under ASan/TSan: gtest synchronises through pthread, which both
# sanitizers intercept); only the WASM flavors build /usr/src/googletest, as
# there is no Debian WASM build of it.

ZB_BUILD=${ZB_BUILD:-$ZB_ROOT/build}
ZB_DEPS_DIR=$ZB_BUILD/deps
ZB_DEPS_FLAVORS="native asan tsan wasm wasm-threads"

# WASM compile flags; the CMake presets must use exactly these, because every
# object in a wasm link has to agree on exception model, atomics and features.
# The threaded flavor uses Emscripten's JS-based exceptions: with this
# Emscripten (3.1.6), `-pthread -fwasm-exceptions` links but a thrown exception
# is never caught.
ZB_WASM_FLAGS="-O2 -fwasm-exceptions -mbulk-memory -msimd128"
ZB_WASM_THREADS_FLAGS="-O2 -pthread -fexceptions -mbulk-memory -msimd128"
export ZB_WASM_FLAGS ZB_WASM_THREADS_FLAGS

# Upstream versions the recipes below were validated against.
ZB_MIMALLOC_VERSION=2.0.9
ZB_BENCHMARK_VERSION=1.7.1
# Bump when a recipe changes so existing prefixes are rebuilt.
_ZB_DEPS_RECIPE=1

_ZB_DEPS_APT_PACKAGES="g++ cmake ninja-build pkg-config clang libclang-rt-14-dev
  libgtest-dev googletest libgmock-dev libbenchmark-dev nlohmann-json3-dev
  emscripten binaryen dpkg-dev xz-utils python3"

_zb_deps_say() { printf '[deps] %s\n' "$*" >&2; }

# Run "$@" with all output in $ZB_DEPS_DIR/logs/NAME.log; on failure show the
# tail of that log. Callers run it under `if`/`||`, where set -e is off, so
# multi-command steps are written as && chains.
_zb_deps_step() {
  local name=$1 msg=$2
  shift 2
  local log=$ZB_DEPS_DIR/logs/$name.log
  mkdir -p "$ZB_DEPS_DIR/logs"
  _zb_deps_say "$msg ..."
  if ! "$@" >"$log" 2>&1; then
    _zb_deps_say "FAILED: $msg — last lines of $log:"
    tail -n 40 "$log" >&2
    return 1
  fi
}

_zb_deps_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_zb_deps_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

_zb_deps_apt_install() {
  _zb_deps_as_root apt-get update -q &&
    _zb_deps_as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "$@"
}

zb_deps_apt() {
  local pkg missing=()
  for pkg in $_ZB_DEPS_APT_PACKAGES; do
    _zb_deps_installed "$pkg" || missing+=("$pkg")
  done
  # Any working node will do (this project runs on a newer one than Debian's);
  # only install Debian's when there is none. Note that installing
  # `emscripten` itself still depends on the nodejs package.
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  [ ${#missing[@]} -eq 0 ] && return 0
  # --no-install-recommends is fine for emscripten: its Recommends are only
  # libjs-d3 (emprofile's HTML) and python3-numpy (maintainer scripts).
  _zb_deps_step apt "installing ${missing[*]}" _zb_deps_apt_install "${missing[@]}"
}

# --- Debian source packages -------------------------------------------------

_zb_deps_apt_opts() {
  local d=$ZB_DEPS_DIR/apt
  printf '%s\n' \
    -o "Dir::Etc::SourceList=$d/sources.list" \
    -o "Dir::Etc::SourceParts=/dev/null" \
    -o "Dir::State::Lists=$d/lists" \
    -o "Dir::Cache=$d/cache" \
    -o "APT::Sandbox::User=$(id -un)"
  # APT::Sandbox::User: the private dirs are not readable by _apt.
}

_zb_deps_fetch_sources() {
  local d=$ZB_DEPS_DIR/apt opts
  mapfile -t opts < <(_zb_deps_apt_opts)
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$ZB_DEPS_DIR/src" &&
    echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' \
      >"$d/sources.list" &&
    apt-get "${opts[@]}" update &&
    (cd "$ZB_DEPS_DIR/src" && apt-get "${opts[@]}" source mimalloc benchmark)
}

# Sets ZB_MIMALLOC_SRC / ZB_BENCHMARK_SRC from what is unpacked (a Debian
# revision bump keeps the upstream version, so match on that only).
_zb_deps_find_sources() {
  local m b
  m=$(compgen -G "$ZB_DEPS_DIR/src/mimalloc-$ZB_MIMALLOC_VERSION*/" | head -n 1) || true
  b=$(compgen -G "$ZB_DEPS_DIR/src/benchmark-$ZB_BENCHMARK_VERSION*/" | head -n 1) || true
  [ -n "$m" ] && [ -f "$m/CMakeLists.txt" ] && [ -n "$b" ] && [ -f "$b/CMakeLists.txt" ] || return 1
  ZB_MIMALLOC_SRC=${m%/}
  ZB_BENCHMARK_SRC=${b%/}
  export ZB_MIMALLOC_SRC ZB_BENCHMARK_SRC
}

zb_deps_sources() {
  ZB_GTEST_SRC=/usr/src/googletest
  export ZB_GTEST_SRC
  _zb_deps_find_sources && return 0
  _zb_deps_step sources "fetching Debian sources of mimalloc and benchmark" \
    _zb_deps_fetch_sources || return 1
  if ! _zb_deps_find_sources; then
    _zb_deps_say "expected mimalloc $ZB_MIMALLOC_VERSION and benchmark $ZB_BENCHMARK_VERSION in $ZB_DEPS_DIR/src; found:"
    ls "$ZB_DEPS_DIR/src" >&2
    return 1
  fi
}

# --- builds -----------------------------------------------------------------

# _zb_deps_cmake FLAVOR NAME SRC [cmake args...]: configure, build, install.
_zb_deps_cmake() {
  local flavor=$1 name=$2 src=$3
  shift 3
  local bdir=$ZB_DEPS_DIR/build/$flavor/$name cmake=(cmake)
  case $flavor in wasm*) cmake=(emcmake cmake) ;; esac
  rm -rf "$bdir" &&
    "${cmake[@]}" -S "$src" -B "$bdir" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$ZB_DEPS_DIR/$flavor" \
      -DCMAKE_INSTALL_LIBDIR=lib \
      -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
      "$@" &&
    cmake --build "$bdir" -j 2 &&
    cmake --install "$bdir"
}

# Per-flavor compiler arguments for _zb_deps_cmake, into the array _zb_flags;
# EXTRA is appended to the flavor's C/C++ flags.
_zb_deps_compiler_args() {
  local flavor=$1 extra=${2:-} cflags
  case $flavor in
    native) cflags= ;;
    # gcc's sanitizers: g++ is the native compiler of every host flavor.
    asan) cflags="-g -fno-omit-frame-pointer" ;;
    tsan) cflags="-g -fno-omit-frame-pointer -fsanitize=thread" ;;
    wasm) cflags=$ZB_WASM_FLAGS ;;
    wasm-threads) cflags=$ZB_WASM_THREADS_FLAGS ;;
    *)
      _zb_deps_say "unknown flavor '$flavor' (expected: $ZB_DEPS_FLAVORS)"
      return 1
      ;;
  esac
  cflags="$cflags${extra:+ $extra}"
  _zb_flags=("-DCMAKE_C_FLAGS=$cflags" "-DCMAKE_CXX_FLAGS=$cflags")
  case $flavor in
    # The flavor flags carry the optimisation level; keep Release from
    # appending its own -O3 so libraries match the consumer exactly.
    wasm*) _zb_flags+=(-DCMAKE_C_FLAGS_RELEASE=-DNDEBUG -DCMAKE_CXX_FLAGS_RELEASE=-DNDEBUG) ;;
    *) _zb_flags+=(-DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++) ;;
  esac
}

_zb_deps_build_mimalloc() {
  local flavor=$1 _zb_flags extra_cflags= extra=()
  case $flavor in
    # MI_ASAN makes mimalloc poison freed/unused blocks, so ASan reports
    # use-after-free and overflows on Heap-zone buffers too (works with gcc).
    asan) extra=(-DMI_ASAN=ON) ;;
    # MI_DEBUG_TSAN only accepts clang, so set its define ourselves: MI_TSAN
    # splits the page flag bitfield into bytes (a known TSan report otherwise).
    tsan) extra_cflags=-DMI_TSAN=1 ;;
  esac
  _zb_deps_compiler_args "$flavor" "$extra_cflags" &&
    _zb_deps_cmake "$flavor" mimalloc "$ZB_MIMALLOC_SRC" "${_zb_flags[@]}" \
      -DMI_OVERRIDE=OFF -DMI_BUILD_SHARED=OFF -DMI_BUILD_OBJECT=OFF \
      -DMI_BUILD_TESTS=OFF -DMI_BUILD_STATIC=ON -DMI_INSTALL_TOPLEVEL=ON \
      "${extra[@]}"
}

_zb_deps_build_gtest() {
  local _zb_flags
  _zb_deps_compiler_args "$1" &&
    _zb_deps_cmake "$1" googletest "$ZB_GTEST_SRC" "${_zb_flags[@]}" \
    -DBUILD_GMOCK=ON -DINSTALL_GTEST=ON -DBUILD_SHARED_LIBS=OFF
}

# Debian's benchmark patches: LTO only behind BENCHMARK_ENABLE_LTO (its rules
# turn it on, we keep it off), benchmark_main always static, and the version
# no longer read from git, so GIT_VERSION must be given as debian/rules does
# (without it the library VERSION is empty and configuring fails). Shared
# libs come from the rules, not a patch, so a static build is the default.
_zb_deps_build_benchmark() {
  local _zb_flags
  _zb_deps_compiler_args "$1" &&
    _zb_deps_cmake "$1" benchmark "$ZB_BENCHMARK_SRC" "${_zb_flags[@]}" \
      -DGIT_VERSION="$ZB_BENCHMARK_VERSION" \
    -DBUILD_SHARED_LIBS=OFF \
    -DBENCHMARK_ENABLE_TESTING=OFF -DBENCHMARK_ENABLE_GTEST_TESTS=OFF \
    -DBENCHMARK_ENABLE_WERROR=OFF -DBENCHMARK_ENABLE_LTO=OFF \
    -DBENCHMARK_ENABLE_INSTALL=ON -DBENCHMARK_INSTALL_DOCS=OFF
}

# Everything that should force a rebuild when it changes.
_zb_deps_fingerprint() {
  local flavor=$1
  printf 'recipe=%s flavor=%s\n' "$_ZB_DEPS_RECIPE" "$flavor"
  printf 'mimalloc=%s benchmark=%s\n' "${ZB_MIMALLOC_SRC##*/}" "${ZB_BENCHMARK_SRC##*/}"
  case $flavor in
    wasm) printf 'flags=%s\n' "$ZB_WASM_FLAGS" ;;
    wasm-threads) printf 'flags=%s\n' "$ZB_WASM_THREADS_FLAGS" ;;
  esac
  case $flavor in
    wasm*) dpkg-query -W -f='${Package}=${Version}\n' emscripten googletest ;;
    *) dpkg-query -W -f='${Package}=${Version}\n' gcc ;;
  esac
}

zb_deps_build() {
  local flavor=${1:?usage: zb_deps_build FLAVOR}
  local prefix=$ZB_DEPS_DIR/$flavor fp start=$SECONDS _zb_flags
  _zb_deps_compiler_args "$flavor" || return 1
  [ -n "${ZB_MIMALLOC_SRC:-}" ] || zb_deps_sources || return 1
  fp=$(_zb_deps_fingerprint "$flavor")
  [ -f "$prefix/.zb-deps-stamp" ] && [ "$(cat "$prefix/.zb-deps-stamp")" = "$fp" ] && return 0

  rm -rf "$prefix" "$ZB_DEPS_DIR/build/$flavor"
  case $flavor in
    wasm*)
      # Debian's emscripten needs its JS modules (acorn, ...) on NODE_PATH.
      export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
      ;;
  esac
  _zb_deps_step "$flavor-mimalloc" "building mimalloc for $flavor" \
    _zb_deps_build_mimalloc "$flavor" || return 1
  case $flavor in
    wasm*)
      _zb_deps_step "$flavor-googletest" "building googletest for $flavor" \
        _zb_deps_build_gtest "$flavor" || return 1
      _zb_deps_step "$flavor-benchmark" "building benchmark for $flavor" \
        _zb_deps_build_benchmark "$flavor" || return 1
      ;;
  esac
  printf '%s\n' "$fp" >"$prefix/.zb-deps-stamp"
  _zb_deps_say "$flavor ready in $((SECONDS - start))s ($prefix)"
}

zb_deps_all() {
  local flavor start=$SECONDS
  zb_deps_apt || return 1
  zb_deps_sources || return 1
  for flavor in $ZB_DEPS_FLAVORS; do
    zb_deps_build "$flavor" || return 1
  done
  [ $((SECONDS - start)) -lt 2 ] || _zb_deps_say "all dependencies ready in $((SECONDS - start))s"
}
