# shellcheck shell=bash
# tools/lib/deps.sh — third-party dependencies, one CMake prefix per flavor.
#
# Sourced by tools/zonebuf (bash, set -euo pipefail) with ZB_ROOT and ZB_BUILD
# set. Everything comes from Debian: binary packages via apt, and what we must
# compile ourselves (mimalloc everywhere; GoogleTest and Google Benchmark for
# WASM) from Debian source packages fetched through a private apt
# configuration, so the machine's apt setup is never edited and nothing
# third-party is vendored into the repo.
#
#   zb_deps_apt             install the Debian packages that are missing
#   zb_deps_sources         fetch + unpack the mimalloc/benchmark sources;
#                           exports ZB_MIMALLOC_SRC ZB_BENCHMARK_SRC ZB_GTEST_SRC
#   zb_deps_build FLAVOR [--no-bench]
#                           build $ZB_BUILD/deps/FLAVOR (stamped: 2nd call is
#                           instant); FLAVOR: native asan tsan wasm wasm-threads.
#                           --no-bench leaves Google Benchmark out of a WASM
#                           prefix (a build configured without benchmarks
#                           needs only mimalloc and GoogleTest); a later call
#                           without it adds benchmark to the same prefix.
#   zb_deps_all             all of the above, every flavor
#
# Logs: $ZB_BUILD/deps/logs/<step>.log (the tail is printed on failure).
#
# Consuming a prefix from CMake:
#   native, asan, tsan   (g++; the prefix holds mimalloc only)
#     -DCMAKE_PREFIX_PATH=$ZB_BUILD/deps/<flavor>
#     find_package(mimalloc CONFIG)  -> mimalloc-static, <mimalloc.h>   (prefix)
#     find_package(GTest CONFIG)     -> GTest::gtest GTest::gtest_main
#                                       GTest::gmock GTest::gmock_main  (libgtest-dev)
#     find_package(benchmark CONFIG) -> benchmark::benchmark
#                                       benchmark::benchmark_main       (libbenchmark-dev)
#     find_package(nlohmann_json)    -> nlohmann_json::nlohmann_json    (nlohmann-json3-dev)
#   wasm, wasm-threads   (emcmake; the prefix holds mimalloc, GTest, benchmark,
#                         same package and target names as above)
#     -DCMAKE_PREFIX_PATH=$ZB_BUILD/deps/<flavor>
#     -DCMAKE_FIND_ROOT_PATH=$ZB_BUILD/deps/<flavor>
#       Emscripten.cmake sets CMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY, which
#       re-roots every prefix under the Emscripten sysroot unless the prefix is
#       itself a find root: without this, find_package(mimalloc) fails.
#     compile with $ZB_WASM_FLAGS / $ZB_WASM_THREADS_FLAGS, NODE_PATH=/usr/share/nodejs,
#     and link (verified with gtest, benchmark and mimalloc under node 20):
#       wasm:         -fwasm-exceptions [-sALLOW_MEMORY_GROWTH]
#       wasm-threads: -pthread -fexceptions -sPTHREAD_POOL_SIZE=4
#                     -sENVIRONMENT=node,worker -sINITIAL_MEMORY=64MB
#                     [-sALLOW_MEMORY_GROWTH] -sEXIT_RUNTIME=1
#       (PTHREAD_POOL_SIZE must cover the threads alive at once: a thread
#        started beyond the pool cannot start while main blocks in join();
#        without EXIT_RUNTIME node keeps running after main returns.)
#     run with: node --no-experimental-fetch prog.js  (Node 20's fetch breaks
#     this Emscripten's loader)
#
# GoogleTest: the host flavors use the system libgtest-dev. Uninstrumented
# gtest is fine under ASan and TSan (it synchronises through pthread, which
# both intercept), so only the WASM flavors build /usr/src/googletest.

ZB_BUILD=${ZB_BUILD:-$ZB_ROOT/build}
ZB_DEPS_DIR=$ZB_BUILD/deps
ZB_DEPS_FLAVORS="native asan tsan wasm wasm-threads"

# Every object in a wasm link must agree on exception model, atomics and
# target features, so the CMake presets compile with exactly these.
# The threaded flavor uses Emscripten's JS-based exceptions: with this
# Emscripten (3.1.6), `-pthread -fwasm-exceptions` links but a thrown
# exception is never caught.
ZB_WASM_FLAGS="-O2 -fwasm-exceptions -mbulk-memory -msimd128"
ZB_WASM_THREADS_FLAGS="-O2 -pthread -fexceptions -mbulk-memory -msimd128"
export ZB_WASM_FLAGS ZB_WASM_THREADS_FLAGS

# Upstream versions the recipes below were checked against (the reasoning in
# _zb_deps_build_mimalloc reads mimalloc 2.0.9's source).
ZB_MIMALLOC_VERSION=2.0.9
ZB_BENCHMARK_VERSION=1.7.1
# Bump whenever a recipe changes, so stamped prefixes get rebuilt.
_ZB_DEPS_RECIPE=2

_ZB_DEPS_APT_PACKAGES="g++ cmake ninja-build pkg-config clang libclang-rt-14-dev
  libgtest-dev googletest libgmock-dev libbenchmark-dev nlohmann-json3-dev
  emscripten binaryen dpkg-dev xz-utils python3 python3-websockets"

_zb_deps_say() { printf '[deps] %s\n' "$*" >&2; }

# _zb_deps_step NAME MESSAGE CMD...: run CMD with all output in
# logs/NAME.log and show that log's tail if it fails. Steps run under `if`,
# where set -e is off, so multi-command steps are written as && chains.
_zb_deps_step() {
  local name=$1 msg=$2
  shift 2
  local log=$ZB_DEPS_DIR/logs/$name.log
  mkdir -p "$ZB_DEPS_DIR/logs"
  _zb_deps_say "$msg ..."
  if ! "$@" >"$log" 2>&1; then
    _zb_deps_say "FAILED: $msg; last lines of $log:"
    tail -n 40 "$log" >&2
    return 1
  fi
}

# _zb_deps_locked NAME CMD...: run CMD holding an exclusive lock, so that
# several tools/zonebuf runs in parallel neither build nor delete the same
# prefix at the same time.
_zb_deps_locked() {
  local name=$1 fd rc=0
  shift
  mkdir -p "$ZB_DEPS_DIR"
  exec {fd}>"$ZB_DEPS_DIR/.lock-$name"
  flock "$fd"
  "$@" || rc=$?
  exec {fd}>&-
  return "$rc"
}

# --- apt --------------------------------------------------------------------

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
  # Any node will do (this machine runs a newer one than Debian's), so only
  # install Debian's when there is none. (Installing the emscripten package
  # still pulls the nodejs package in as its dependency.)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  [ ${#missing[@]} -eq 0 ] && return 0
  # --no-install-recommends is fine for emscripten too: it Depends on all it
  # runs (clang-14, lld-14, llvm-14, binaryen, node-acorn, nodejs, python3);
  # its Recommends are libjs-d3 (emprofile's HTML) and python3-numpy (unused
  # by emcc).
  _zb_deps_step apt "installing ${missing[*]}" _zb_deps_apt_install "${missing[@]}"
}

# --- Debian source packages -------------------------------------------------

_zb_deps_apt_src() {
  local d=$ZB_DEPS_DIR/apt
  # Sandbox user: _apt cannot write into our private dirs, so do not switch.
  apt-get \
    -o "Dir::Etc::SourceList=$d/sources.list" \
    -o "Dir::Etc::SourceParts=/dev/null" \
    -o "Dir::State::Lists=$d/lists" \
    -o "Dir::Cache=$d/cache" \
    -o "APT::Sandbox::User=$(id -un)" \
    "$@"
}

_zb_deps_fetch_sources() {
  local d=$ZB_DEPS_DIR/apt
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$ZB_DEPS_DIR/src" &&
    echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' \
      >"$d/sources.list" &&
    _zb_deps_apt_src update &&
    (cd "$ZB_DEPS_DIR/src" && _zb_deps_apt_src source mimalloc benchmark)
}

# Sets ZB_MIMALLOC_SRC / ZB_BENCHMARK_SRC to the unpacked trees. Matches the
# upstream version only: a Debian revision bump does not change the recipes.
_zb_deps_find_sources() {
  local m b
  m=$(compgen -G "$ZB_DEPS_DIR/src/mimalloc-$ZB_MIMALLOC_VERSION*/" | head -n 1) || true
  b=$(compgen -G "$ZB_DEPS_DIR/src/benchmark-$ZB_BENCHMARK_VERSION*/" | head -n 1) || true
  [ -n "$m" ] && [ -f "$m/CMakeLists.txt" ] && [ -n "$b" ] && [ -f "$b/CMakeLists.txt" ] || return 1
  ZB_MIMALLOC_SRC=${m%/}
  ZB_BENCHMARK_SRC=${b%/}
  export ZB_MIMALLOC_SRC ZB_BENCHMARK_SRC
}

_zb_deps_sources_locked() {
  _zb_deps_find_sources && return 0
  rm -rf "$ZB_DEPS_DIR/src"
  _zb_deps_step sources "fetching Debian sources of mimalloc and benchmark" \
    _zb_deps_fetch_sources || return 1
  _zb_deps_find_sources && return 0
  _zb_deps_say "expected mimalloc $ZB_MIMALLOC_VERSION and benchmark $ZB_BENCHMARK_VERSION" \
    "in $ZB_DEPS_DIR/src, found:" "$ZB_DEPS_DIR"/src/*
  return 1
}

zb_deps_sources() {
  # Debian's googletest package ships its sources, ready to build.
  ZB_GTEST_SRC=/usr/src/googletest
  export ZB_GTEST_SRC
  _zb_deps_find_sources || _zb_deps_locked sources _zb_deps_sources_locked
}

# --- builds -----------------------------------------------------------------

# Sets the array _zb_flags (declared local by the caller) to FLAVOR's
# compiler arguments for CMake, with EXTRA appended to its C/C++ flags.
_zb_deps_compiler_args() {
  local flavor=$1 extra=${2:-} cflags
  case $flavor in
    native) cflags= ;;
    asan) cflags="-g -fno-omit-frame-pointer" ;;
    tsan) cflags="-g -fno-omit-frame-pointer -fsanitize=thread" ;;
    wasm) cflags=$ZB_WASM_FLAGS ;;
    wasm-threads) cflags=$ZB_WASM_THREADS_FLAGS ;;
    *)
      _zb_deps_say "unknown flavor '$flavor' (expected one of: $ZB_DEPS_FLAVORS)"
      return 1
      ;;
  esac
  cflags="$cflags${extra:+ $extra}"
  _zb_flags=("-DCMAKE_C_FLAGS=$cflags" "-DCMAKE_CXX_FLAGS=$cflags")
  case $flavor in
    # The flavor flags carry the optimisation level: keep Release from
    # appending -O3 so the libraries are compiled exactly like their users.
    wasm*) _zb_flags+=(-DCMAKE_C_FLAGS_RELEASE=-DNDEBUG -DCMAKE_CXX_FLAGS_RELEASE=-DNDEBUG) ;;
    # g++ is the native compiler of every host flavor, whatever CC/CXX say.
    *) _zb_flags+=(-DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++) ;;
  esac
}

# _zb_deps_cmake FLAVOR NAME SRC [cmake args...]: configure, build, install
# into the flavor's prefix, from a fresh build tree.
_zb_deps_cmake() {
  local flavor=$1 name=$2 src=$3
  shift 3
  local bdir=$ZB_DEPS_DIR/build/$flavor/$name cmake=(cmake)
  case $flavor in
    # Debian's emcc needs its JS modules (acorn, ...) from /usr/share/nodejs.
    wasm*)
      cmake=(emcmake cmake)
      local -x NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
      ;;
  esac
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

_zb_deps_build_mimalloc() {
  local flavor=$1 _zb_flags extra_cflags='' extra=()
  case $flavor in
    # MI_ASAN: mimalloc poisons free and unused memory, so ASan also reports
    # use-after-free and overflows inside Heap-zone (mimalloc) buffers.
    # Works with gcc (it only needs <sanitizer/asan_interface.h>); the
    # library is then named libmimalloc-asan.a, the target is unchanged.
    asan) extra=(-DMI_ASAN=ON) ;;
    # Instrumented so TSan sees mimalloc's atomics (uninstrumented, it would
    # miss the synchronisation of cross-thread frees). MI_DEBUG_TSAN only
    # accepts clang, so pass its define ourselves: without MI_TSAN, TSan
    # reports a race on the page flag bitfield (mimalloc issue #130).
    tsan) extra_cflags=-DMI_TSAN=1 ;;
    # Emscripten: mimalloc 2.0.9 treats it as WASI (mimalloc-internal.h
    # defines __wasi__ when __EMSCRIPTEN__ is set), so os.c defines
    # MI_USE_SBRK and takes OS memory from Emscripten's sbrk(). That is the
    # right source as is: sbrk is atomic, grows linear memory through
    # emscripten_resize_heap (which refreshes the JS heap views), and is
    # shared safely with Emscripten's own malloc, which never trims
    # (MORECORE_CANNOT_TRIM) so mimalloc's "fresh sbrk memory is zero" holds.
    # Single-threaded wasm thus needs no extra define.
    # The __wasi__ mapping also turns MI_USE_PTHREADS off, which drops the
    # pthread-key destructor telling mimalloc that a thread ended: heaps of
    # finished threads are never abandoned nor reclaimed, and each finished
    # std::thread leaked ~8 MiB of linear memory here. Defining it again
    # (with pthread.h, which the header includes only under that condition)
    # brings thread churn down to zero growth.
    wasm-threads) extra_cflags="-DMI_USE_PTHREADS -include pthread.h" ;;
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
# libs come from the rules, not a patch, so static is the default here.
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

# Whatever should trigger a rebuild of FLAVOR when it changes.
_zb_deps_fingerprint() {
  local flavor=$1 _zb_flags
  _zb_deps_compiler_args "$flavor"
  printf 'recipe=%s flavor=%s\n' "$_ZB_DEPS_RECIPE" "$flavor"
  printf 'sources=%s %s\n' "${ZB_MIMALLOC_SRC##*/}" "${ZB_BENCHMARK_SRC##*/}"
  printf 'flags=%s\n' "${_zb_flags[*]}"
  case $flavor in
    wasm*) dpkg-query -W -f='${Package}=${Version}\n' emscripten googletest 2>/dev/null ;;
    *) dpkg-query -W -f='${Package}=${Version}\n' gcc 2>/dev/null ;;
  esac
  return 0
}

_zb_deps_stamp_ok() {
  [ -f "$ZB_DEPS_DIR/$1/.zb-deps-stamp" ] &&
    [ "$(cat "$ZB_DEPS_DIR/$1/.zb-deps-stamp")" = "$(_zb_deps_fingerprint "$1")" ]
}

_zb_deps_build_locked() {
  local flavor=$1 prefix=$ZB_DEPS_DIR/$1 start=$SECONDS
  _zb_deps_stamp_ok "$flavor" && return 0  # built by a parallel run meanwhile
  rm -rf "$prefix" "$ZB_DEPS_DIR/build/$flavor"
  _zb_deps_step "$flavor-mimalloc" "building mimalloc for $flavor" \
    _zb_deps_build_mimalloc "$flavor" || return 1
  case $flavor in
    wasm*)
      _zb_deps_step "$flavor-googletest" "building googletest for $flavor" \
        _zb_deps_build_gtest "$flavor" || return 1
      ;;
  esac
  _zb_deps_fingerprint "$flavor" >"$prefix/.zb-deps-stamp"
  _zb_deps_say "$flavor ready in $((SECONDS - start))s: $prefix"
}

# Google Benchmark on top of a built WASM prefix, stamped on its own: the
# test command's WASM builds compile no benchmark, so it never pays for this
# (~1.5 min per flavor on two cores); a rebuilt prefix loses the stamp with it.
_zb_deps_bench_stamp_ok() {
  [ -f "$ZB_DEPS_DIR/$1/.zb-deps-bench-stamp" ] &&
    [ "$(cat "$ZB_DEPS_DIR/$1/.zb-deps-bench-stamp")" = "$(_zb_deps_fingerprint "$1")" ]
}

_zb_deps_build_bench_locked() {
  local flavor=$1 start=$SECONDS
  _zb_deps_bench_stamp_ok "$flavor" && return 0
  _zb_deps_step "$flavor-benchmark" "building benchmark for $flavor" \
    _zb_deps_build_benchmark "$flavor" || return 1
  _zb_deps_fingerprint "$flavor" >"$ZB_DEPS_DIR/$flavor/.zb-deps-bench-stamp"
  _zb_deps_say "benchmark for $flavor ready in $((SECONDS - start))s"
}

zb_deps_build() {
  local flavor=${1:?usage: zb_deps_build FLAVOR [--no-bench]} bench=1
  case ${2:-} in
    '') ;;
    --no-bench) bench=0 ;;
    *) _zb_deps_say "zb_deps_build: unknown option '$2'"; return 1 ;;
  esac
  local _zb_flags
  _zb_deps_compiler_args "$flavor" || return 1
  zb_deps_sources || return 1
  _zb_deps_stamp_ok "$flavor" || _zb_deps_locked "$flavor" _zb_deps_build_locked "$flavor" || return 1
  case $flavor in
    wasm*)
      [ "$bench" -eq 1 ] || return 0
      _zb_deps_bench_stamp_ok "$flavor" && return 0
      _zb_deps_locked "$flavor" _zb_deps_build_bench_locked "$flavor"
      ;;
  esac
}

zb_deps_all() {
  local flavor start=$SECONDS built=
  zb_deps_apt || return 1
  zb_deps_sources || return 1
  for flavor in $ZB_DEPS_FLAVORS; do
    if _zb_deps_stamp_ok "$flavor"; then
      case $flavor in wasm*) _zb_deps_bench_stamp_ok "$flavor" && continue ;; *) continue ;; esac
    fi
    zb_deps_build "$flavor" || return 1
    built=1
  done
  [ -z "$built" ] || _zb_deps_say "all flavors ready in $((SECONDS - start))s"
}

# --- npm (JS tooling only) ----------------------------------------------------
# TypeScript for the JS suite's type check and its `using` test: `using` needs
# TypeScript >= 5.2 and Debian ships 4.8, so a pinned release from the npm
# registry, installed under $ZB_BUILD/js-tools (not a dependency prefix:
# nothing is built against it). Prints the path of tsc; fails without npm or
# the registry.
ZB_TYPESCRIPT_VERSION=5.9.3
zb_deps_typescript() {
  local dir=$ZB_BUILD/js-tools
  local tsc=$dir/node_modules/.bin/tsc
  if ! { [ -x "$tsc" ] && [ "$("$tsc" --version 2>/dev/null)" = "Version $ZB_TYPESCRIPT_VERSION" ]; }; then
    command -v npm >/dev/null 2>&1 || return 1
    mkdir -p "$dir" "$ZB_BUILD/logs"
    _zb_deps_say "installing typescript@$ZB_TYPESCRIPT_VERSION from the npm registry into $dir ..."
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock \
      "typescript@$ZB_TYPESCRIPT_VERSION" >"$ZB_BUILD/logs/js-typescript.log" 2>&1 || return 1
  fi
  printf '%s\n' "$tsc"
}
