// examples/ws_echo over loopback, as its users see it (rows in
// tools/bench-report, "Stream" block):
//   ws_echo/zonebuf/{1KiB,64KiB}: the zonebuf_ws_echo binary in its own
//     process; this client sends masked binary frames and reads the echoes,
//     keeping a window of messages in flight (a real client pipelines; one
//     message per round trip would measure the loopback's latency, not the
//     server).
//   ws_echo/tcp_echo/{1KiB,64KiB}: the baseline, the same client pattern
//     against a forked plain TCP echo (read, write back: no framing, no
//     masking, no pool).
// items_per_second is messages/s, bytes_per_second the payload bytes echoed.
// Wall time (UseRealTime): the work happens in the server's process.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "support/registry.hpp"

extern char** environ;

namespace {

constexpr int kWindow = 8;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "ws_echo_bench: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

void sendAll(int fd, const std::byte* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) die("send");
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

void recvAll(int fd, std::byte* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::recv(fd, p, n, 0);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) die("recv");
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

int connectTo(unsigned port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// A peer process serving one connection; the destructor stops and reaps it.
struct Peer {
  pid_t pid = -1;
  unsigned port = 0;
  Peer() = default;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  ~Peer() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
};

// zonebuf_ws_echo --port 0: reads "listening on 127.0.0.1:PORT" from its stdout.
void startWsEcho(Peer& peer, std::size_t maxMessage) {
  int out[2];
  if (::pipe(out) != 0) die("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  // The server prints its pool statistics on stderr when stopped: not ours to show.
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string limit = std::to_string(maxMessage);
  std::string binary = ZONEBUF_WS_ECHO_BINARY;
  char port0[] = "0";
  char portFlag[] = "--port";
  char maxFlag[] = "--max-message";
  char* argv[] = {binary.data(), portFlag, port0, maxFlag, limit.data(), nullptr};
  if (posix_spawn(&peer.pid, binary.c_str(), &actions, nullptr, argv, environ) != 0) die("posix_spawn");
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(out[0]);
  const std::string_view prefix = "listening on 127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    std::fprintf(stderr, "ws_echo_bench: unexpected first line from %s: '%s'\n", ZONEBUF_WS_ECHO_BINARY, line.c_str());
    std::exit(1);
  }
  peer.port = static_cast<unsigned>(std::stoul(line.substr(prefix.size())));
}

// A forked plain echo: accept one connection, write back whatever arrives.
void startTcpEcho(Peer& peer) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) die("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    die("listen");
  peer.port = ntohs(addr.sin_port);
  peer.pid = ::fork();
  if (peer.pid < 0) die("fork");
  if (peer.pid == 0) {
    const int fd = ::accept(listener, nullptr, nullptr);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::vector<char> buf(256 * 1024);
    for (;;) {
      const ssize_t k = ::recv(fd, buf.data(), buf.size(), 0);
      if (k <= 0) ::_exit(0);
      for (ssize_t done = 0; done < k;) {
        const ssize_t w = ::send(fd, buf.data() + done, static_cast<std::size_t>(k - done), MSG_NOSIGNAL);
        if (w <= 0) ::_exit(0);
        done += w;
      }
    }
  }
  ::close(listener);
}

void handshake(int fd) {
  const std::string request =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  sendAll(fd, reinterpret_cast<const std::byte*>(request.data()), request.size());
  std::string reply;
  char c;
  while (reply.size() < 4 || reply.compare(reply.size() - 4, 4, "\r\n\r\n") != 0) {
    if (::recv(fd, &c, 1, 0) != 1) die("handshake");
    reply += c;
  }
  if (reply.rfind("HTTP/1.1 101", 0) != 0) {
    std::fprintf(stderr, "ws_echo_bench: handshake refused: %s\n", reply.c_str());
    std::exit(1);
  }
}

std::size_t headerSize(std::size_t payload) { return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10; }

// One client frame: FIN + binary, masked (RFC 6455 5.3) with the all-zero key,
// so the payload bytes travel as they are and the client spends nothing on
// masking; the server still unmasks every byte.
std::vector<std::byte> clientFrame(std::size_t payload) {
  std::vector<std::byte> f;
  f.push_back(std::byte{0x82});
  if (payload < 126) {
    f.push_back(std::byte(0x80 | payload));
  } else if (payload <= 0xFFFF) {
    f.push_back(std::byte{0x80 | 126});
    f.push_back(std::byte(payload >> 8));
    f.push_back(std::byte(payload & 0xFF));
  } else {
    f.push_back(std::byte{0x80 | 127});
    for (int shift = 56; shift >= 0; shift -= 8) f.push_back(std::byte((payload >> shift) & 0xFF));
  }
  f.insert(f.end(), 4, std::byte{0});
  for (std::size_t i = 0; i < payload; ++i) f.push_back(std::byte(i * 131 % 251));
  return f;
}

// Sends `message` and reads `reply` bytes back per iteration, kWindow in flight.
void pipelined(benchmark::State& state, int fd, const std::vector<std::byte>& message, std::size_t reply,
               std::size_t payload) {
  std::vector<std::byte> in(reply);
  for (int i = 0; i < kWindow; ++i) sendAll(fd, message.data(), message.size());
  // The first echo is checked byte for byte: a broken server must not look fast.
  recvAll(fd, in.data(), reply);
  if (std::memcmp(in.data() + (reply - payload), message.data() + (message.size() - payload), payload) != 0) {
    state.SkipWithError("echo differs from the message");
    return;
  }
  sendAll(fd, message.data(), message.size());
  for (auto _ : state) {
    recvAll(fd, in.data(), reply);
    benchmark::DoNotOptimize(in.data());
    sendAll(fd, message.data(), message.size());
  }
  for (int i = 0; i < kWindow; ++i) recvAll(fd, in.data(), reply);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload));
}

void wsEcho(benchmark::State& state, std::size_t payload) {
  Peer server;
  startWsEcho(server, std::size_t{1} << 20);
  const int fd = connectTo(server.port);
  handshake(fd);
  pipelined(state, fd, clientFrame(payload), headerSize(payload) + payload, payload);
  ::close(fd);
}

void tcpEcho(benchmark::State& state, std::size_t payload) {
  Peer server;
  startTcpEcho(server);
  const int fd = connectTo(server.port);
  std::vector<std::byte> message(payload);
  for (std::size_t i = 0; i < payload; ++i) message[i] = std::byte(i * 131 % 251);
  pipelined(state, fd, message, payload, payload);
  ::close(fd);
}

}  // namespace

ZB_BENCH_REGISTRATION {
  using zonebuf::bench::add;
  using zonebuf::bench::sizeLabel;
  for (const std::size_t payload : {std::size_t{1024}, std::size_t{64} * 1024}) {
    add("ws_echo/zonebuf/" + sizeLabel(payload), wsEcho, payload)->UseRealTime();
    add("ws_echo/tcp_echo/" + sizeLabel(payload), tcpEcho, payload)->UseRealTime();
  }
}
