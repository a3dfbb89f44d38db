// zonebuf_ws_echo [--port N] [--max-message BYTES]
//
// A single-threaded epoll WebSocket echo server on 127.0.0.1 whose buffers
// all come from one zonebuf BufferPool. Prints "listening on 127.0.0.1:PORT"
// when ready; SIGTERM/SIGINT stop it and print the pool's stats().toJson() on
// stderr (SIGUSR1 prints them without stopping, for warm-up baselines).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "connection.hpp"

using namespace zonebuf;

namespace {

struct Options {
  unsigned port = 0;
  std::size_t maxMessage = std::size_t{16} << 20;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "zonebuf_ws_echo: %s\nusage: zonebuf_ws_echo [--port N] [--max-message BYTES]\n", why);
  std::exit(2);
}

unsigned long long number(const char* flag, const char* text, unsigned long long max) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v > max || text[0] == '-')
    usage((std::string(flag) + " needs a number in 0.." + std::to_string(max)).c_str());
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + std::string(a)).c_str());
    if (a == "--port") o.port = static_cast<unsigned>(number("--port", argv[++i], 65535));
    else if (a == "--max-message") o.maxMessage = number("--max-message", argv[++i], std::size_t{1} << 30);
    else usage(("unknown option " + std::string(a)).c_str());
  }
  return o;
}

// Heap classes up to twice the largest message (growth doubles), so every
// buffer a message needs is pooled.
PoolConfig poolConfig(std::size_t maxMessage) {
  PoolConfig c;
  const std::size_t top = std::min<std::size_t>(SizeClasses::kMaxClassSize,
                                                std::bit_ceil(std::max<std::size_t>(maxMessage, 64 * 1024)) * 2);
  c.zone(AllocationZone::Heap).classes = SizeClassSpec::generated(64, top, 4);
  c.maxRetainedBytes = std::size_t{256} << 20;
  c.idleTrimOperations = 0;
  return c;
}

int listenOn(unsigned port, unsigned& bound) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 128) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  bound = ntohs(addr.sin_port);
  return fd;
}

void watch(int ep, int fd, std::uint32_t events, int op) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  ::epoll_ctl(ep, op, fd, &ev);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  const int sfd = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);

  unsigned port = 0;
  const int lfd = listenOn(options.port, port);
  if (lfd < 0) {
    std::fprintf(stderr, "zonebuf_ws_echo: cannot listen on 127.0.0.1:%u: %s\n", options.port, std::strerror(errno));
    return 1;
  }
  BufferPool pool(poolConfig(options.maxMessage));
  ws::ServerCounters counters;
  // Declared after the pool: connections (and their leases) end first.
  std::unordered_map<int, std::unique_ptr<ws::Connection>> connections;

  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  watch(ep, lfd, EPOLLIN, EPOLL_CTL_ADD);
  watch(ep, sfd, EPOLLIN, EPOLL_CTL_ADD);
  std::printf("listening on 127.0.0.1:%u\n", port);
  std::fflush(stdout);

  bool running = true;
  epoll_event events[64];
  while (running) {
    const int n = ::epoll_wait(ep, events, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == sfd) {
        signalfd_siginfo info;
        while (::read(sfd, &info, sizeof info) == sizeof info) {
          if (info.ssi_signo == SIGUSR1) {
            std::fprintf(stderr, "%s\n", pool.stats().toJson().c_str());
            std::fflush(stderr);
          } else {
            running = false;
          }
        }
        continue;
      }
      if (fd == lfd) {
        for (;;) {
          const int c = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break;
          const int one = 1;
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          connections.emplace(c, std::make_unique<ws::Connection>(c, pool, options.maxMessage, counters));
          watch(ep, c, EPOLLIN, EPOLL_CTL_ADD);
        }
        continue;
      }
      auto it = connections.find(fd);
      if (it == connections.end()) continue;
      ws::Connection& conn = *it->second;
      bool alive = true;
      try {
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) alive = conn.onReadable();
        if (alive && (events[i].events & EPOLLOUT)) alive = conn.onWritable();
      } catch (const std::exception& e) {
        // The pool ran out (OutOfMemoryError) or a bug: this connection
        // goes, the server stays.
        std::fprintf(stderr, "zonebuf_ws_echo: dropping a connection: %s\n", e.what());
        alive = false;
      }
      if (!alive || conn.finished()) {
        ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        connections.erase(it);
        continue;
      }
      watch(ep, fd, (conn.wantsRead() ? EPOLLIN : 0u) | (conn.wantsWrite() ? EPOLLOUT : 0u), EPOLL_CTL_MOD);
    }
  }
  connections.clear();
  ::close(ep);
  ::close(lfd);
  ::close(sfd);
  std::fprintf(stderr, "%s\n", pool.stats().toJson().c_str());
  std::fflush(stderr);
  return 0;
}
