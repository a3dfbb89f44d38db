#!/usr/bin/python3
"""Drives zonebuf_ws_echo with a client zonebuf did not write (Debian's
python3-websockets): thousands of text and binary messages of random sizes
up to 1 MiB, client-side fragmentation (including UTF-8 sequences split
across fragments), pings, an invalid UTF-8 text message (expects close
1007) and an oversize one (expects close 1009). Every echo must be
byte-exact; after warm-up the pool's hit rate must be >= 99% and nothing
may be served outside the pool (oversize), per the statistics the server
prints on SIGUSR1 and at SIGTERM.

usage: ws_echo_client_test.py PATH/TO/zonebuf_ws_echo
"""
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import websockets
from websockets.exceptions import ConnectionClosed

MAX_MESSAGE = 1 << 20
MESSAGES = int(os.environ.get("ZB_WS_MESSAGES", "3000"))
BYTE_BUDGET = int(os.environ.get("ZB_WS_BYTES", str(160 << 20)))  # payload bytes sent, all phases
WINDOW = 8  # messages in flight on the main connection
SEED = int(os.environ.get("ZB_WS_SEED", "1"))

OP_CONT, OP_TEXT = 0x0, 0x1
TEXT_ALPHABET = "abcxyz 0123456789\u00e9\u00df\u20ac\u4e2d\U0001F600\U0001F680"


def fail(msg):
    print(f"ws_echo_client_test: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


class Server:
    def __init__(self, binary):
        self.err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([binary, "--port", "0", "--max-message", str(MAX_MESSAGE)],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline().strip()
        prefix = "listening on 127.0.0.1:"
        if not line.startswith(prefix):
            fail(f"unexpected first line {line!r}")
        self.port = int(line[len(prefix):])
        self.docs_seen = 0

    def stats_documents(self):
        self.err.seek(0)
        text = self.err.read()
        decoder, docs, at = json.JSONDecoder(), [], 0
        while True:
            at = text.find("{", at)
            if at < 0:
                return docs
            try:
                doc, end = decoder.raw_decode(text, at)
            except json.JSONDecodeError:
                return docs
            docs.append(doc)
            at = end

    def snapshot(self):
        """SIGUSR1: the server prints its pool stats without stopping."""
        want = len(self.stats_documents()) + 1
        self.proc.send_signal(signal.SIGUSR1)
        deadline = time.time() + 10
        while time.time() < deadline:
            docs = self.stats_documents()
            if len(docs) >= want:
                return docs[-1]
            time.sleep(0.02)
        fail("no statistics after SIGUSR1")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("server did not stop on SIGTERM")
        if code != 0:
            fail(f"server exited with {code}")
        docs = self.stats_documents()
        if not docs:
            fail("no statistics on stderr at SIGTERM")
        return docs[-1]


def random_size(rng):
    r = rng.random()
    if r < 0.02:
        return rng.choice([0, 1, 125, 126, 127, 65535, 65536, MAX_MESSAGE])
    if r < 0.94:
        return int(2 ** rng.uniform(0, 14))  # up to 16 KiB: most messages
    return int(2 ** rng.uniform(14, 20))  # up to 1 MiB


def make_text(rng, size, block):
    start = rng.randrange(0, len(block) - 1)
    chars = (size + 1) // 2  # the alphabet averages about 2 bytes a character
    s = (block * (chars // len(block) + 2))[start:start + chars]
    while len(s.encode()) > MAX_MESSAGE:
        s = s[: len(s) * 3 // 4]
    return s


def fragments_of(rng, data):
    """Splits data in 1..5 pieces at random points (empty pieces allowed)."""
    cuts = sorted(rng.randrange(0, len(data) + 1) for _ in range(rng.randrange(0, 5)))
    pieces, last = [], 0
    for c in cuts + [len(data)]:
        pieces.append(data[last:c])
        last = c
    return pieces


async def send_fragmented_text_bytes(ws, encoded, rng):
    """Text frames split at byte level: UTF-8 sequences cross fragments."""
    pieces = fragments_of(rng, encoded)
    for i, piece in enumerate(pieces):
        await ws.write_frame(i == len(pieces) - 1, OP_TEXT if i == 0 else OP_CONT, piece)


async def echo_phase(port, rng, count, budget, block):
    """Sends `count` messages with WINDOW in flight and checks every echo."""
    stats = {"messages": 0, "bytes": 0, "fragmented": 0, "pings": 0, "text": 0}
    async with websockets.connect(f"ws://127.0.0.1:{port}/", max_size=None, compression=None,
                                  ping_interval=None, max_queue=None) as ws:
        expected = asyncio.Queue()

        async def receiver():
            for _ in range(count):
                want = await expected.get()
                got = await asyncio.wait_for(ws.recv(), timeout=30)
                if type(got) is not type(want) or got != want:
                    fail(f"echo mismatch: sent {type(want).__name__} of {len(want)}, "
                         f"got {type(got).__name__} of {len(got)}")
                expected.task_done()

        task = asyncio.ensure_future(receiver())
        sent_bytes = 0
        for i in range(count):
            size = random_size(rng)
            if sent_bytes + size > budget:
                size = rng.randrange(0, 1024)
            sent_bytes += size
            text = rng.random() < 0.4
            msg = make_text(rng, size, block) if text else rng.randbytes(size)
            while expected.qsize() >= WINDOW:
                await asyncio.sleep(0)
                if task.done():
                    task.result()
            await expected.put(msg)
            mode = rng.random()
            if mode < 0.15 and text:
                await send_fragmented_text_bytes(ws, msg.encode(), rng)
                stats["fragmented"] += 1
            elif mode < 0.3:
                pieces = fragments_of(rng, msg)
                await ws.send(pieces if pieces else [msg])
                stats["fragmented"] += 1
            else:
                await ws.send(msg)
            if rng.random() < 0.05:
                payload = rng.randbytes(rng.randrange(0, 126))
                waiter = await ws.ping(payload)
                stats["pings"] += 1
                if rng.random() < 0.2:
                    await asyncio.wait_for(waiter, timeout=30)
            stats["messages"] += 1
            stats["bytes"] += len(msg.encode()) if text else len(msg)
            stats["text"] += text
        await asyncio.wait_for(task, timeout=120)
        waiter = await ws.ping(b"last")
        await asyncio.wait_for(waiter, timeout=30)
    return stats


async def expect_close(port, send, code, what):
    async with websockets.connect(f"ws://127.0.0.1:{port}/", max_size=None, compression=None,
                                  ping_interval=None) as ws:
        try:
            await send(ws)
            await asyncio.wait_for(ws.recv(), timeout=30)
        except ConnectionClosed as e:
            got = e.rcvd.code if e.rcvd is not None else None
            if got != code:
                fail(f"{what}: expected close {code}, got {got}")
            return
        fail(f"{what}: the server echoed instead of closing with {code}")


def delta(after, before, key):
    return after[key] - before[key]


async def main(binary):
    rng = random.Random(SEED)
    block = "".join(rng.choice(TEXT_ALPHABET) for _ in range(70000))
    server = Server(binary)
    started = time.time()
    try:
        warm = await echo_phase(server.port, rng, 300, BYTE_BUDGET // 4, block)
        before = server.snapshot()
        main_stats = await echo_phase(server.port, rng, MESSAGES, BYTE_BUDGET * 3 // 4, block)
        after = server.snapshot()
        # Invalid UTF-8: in one frame, and split so the error shows only in the second fragment.
        await expect_close(server.port, lambda ws: ws.write_frame(True, OP_TEXT, b"ok\xff"), 1007, "invalid UTF-8")

        async def split_bad(ws):
            await ws.write_frame(False, OP_TEXT, b"caf\xc3")
            await ws.write_frame(True, OP_CONT, b"(")

        await expect_close(server.port, split_bad, 1007, "invalid UTF-8 across fragments")
        await expect_close(server.port, lambda ws: ws.send(bytes(MAX_MESSAGE + 1)), 1009, "oversize")

        async def split_big(ws):
            await ws.write_frame(False, 0x2, bytes(MAX_MESSAGE // 2 + 1))
            await ws.write_frame(True, OP_CONT, bytes(MAX_MESSAGE // 2))

        await expect_close(server.port, split_big, 1009, "oversize across fragments")
    finally:
        final = server.stop()
    acquisitions = delta(after, before, "acquisitions")
    hits = delta(after, before, "hits")
    misses = delta(after, before, "misses")
    oversize = delta(after, before, "oversize")
    hit_rate = hits / acquisitions if acquisitions else 0.0
    elapsed = time.time() - started
    print(f"warm-up: {warm['messages']} messages, {warm['bytes']} bytes")
    print(f"measured: {main_stats['messages']} messages ({main_stats['text']} text, {main_stats['fragmented']} "
          f"fragmented, {main_stats['pings']} pings), {main_stats['bytes']} bytes")
    print(f"pool after warm-up: {acquisitions} acquisitions, {hits} hits, {misses} misses, {oversize} oversize, "
          f"hit rate {hit_rate:.4%}; {acquisitions / max(main_stats['messages'], 1):.1f} acquisitions per message")
    print(f"final: outstandingLeases {final['outstandingLeases']}, peakPooled {final['peakPooled']}; "
          f"{elapsed:.1f} s")
    if hit_rate < 0.99:
        fail(f"hit rate after warm-up {hit_rate:.4%} < 99%")
    if oversize != 0:
        fail(f"{oversize} buffers were served outside the pool after warm-up")
    if misses > main_stats["messages"] // 100:
        fail(f"{misses} pool misses (new allocations) for {main_stats['messages']} messages")
    if final["outstandingLeases"] != 0:
        fail(f"{final['outstandingLeases']} leases still out after a clean stop")
    print("ws_echo_client_test: PASS")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(sys.argv[1]))
