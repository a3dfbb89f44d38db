// The module thread's side of handing leases to other threads (the protocol:
// transfer.mjs and js/bindings/lease_transfer.cpp):
//   lease.transfer()      -> a message; the lease's handle is empty afterwards
//   zb.adoptLease(msg)    -> a PooledBuffer again (a lease of this module;
//                            another module's is an InvalidArgumentError)
// and the reclaim of the leases workers released, at the next pool call that
// can reuse or count them (acquire, stats, trim, clear) and at each transfer.
// The single-threaded package cannot share its memory: transfer() and
// adoptLease() throw InvalidArgumentError there.
import { InvalidArgumentError, ObjectDeletedError } from './errors.mjs';
import { replaceMethod } from './methods.mjs';
import { claim, isShared, returnedCount, sentMessage, setToken, tableOf, tableWords } from './transfer.mjs';

function unsupported(op) {
  return new InvalidArgumentError(`${op}: this is the single-threaded package, whose memory is not shared; ` +
    'use the threaded package (zonebuf-threads, built by the wasm-threads preset) to hand leases to workers');
}

export function installTransfer(zb, memory, life, hot) {
  const lease = zb.PooledBuffer.prototype;
  if (!isShared(memory)) {
    lease.transfer = function transfer() { throw unsupported('transfer'); };
    zb.adoptLease = () => { throw unsupported('adoptLease'); };
    return;
  }
  const { address } = zb.__zbTransferTable();
  const words = tableWords(memory, address);
  const token = setToken(words);
  let seen = returnedCount(words);
  const reclaim = () => {
    const returned = returnedCount(words);
    if (returned === seen) return;
    seen = returned;
    zb.__zbTransferReclaim();
    hot.afterCall();
  };

  lease.transfer = function transfer() {
    if (!this.$$.ptr) {
      throw new ObjectDeletedError('transfer: this PooledBuffer was already deleted; acquire a new lease');
    }
    reclaim();
    const slot = hot.moveOut(this, () => zb.__zbTransferPark(this));
    return sentMessage(memory, words, address, slot);
  };
  zb.adoptLease = function adoptLease(message) {
    // The message's memory object is a copy when it came through postMessage:
    // the table's address and token tell whose lease it is.
    if (tableOf('adoptLease', message).token !== token || message.table !== address) {
      throw new InvalidArgumentError('adoptLease: the message holds a lease of another module instance; adopt ' +
        "it with the package's adoptLease() (a SharedLease), or in the thread of that instance");
    }
    claim('adoptLease', message);
    try {
      return life.track(zb.__zbTransferUnpark(message.slot), 'PooledBuffer');
    } finally {
      hot.afterCall();
    }
  };
  const pool = zb.BufferPool.prototype;
  for (const name of ['acquire', 'stats', 'trim', 'clear']) {
    replaceMethod(pool, name, (raw) => function (...args) {
      reclaim();
      return raw.apply(this, args);
    });
  }
}
