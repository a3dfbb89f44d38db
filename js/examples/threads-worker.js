// The Web Worker of the threaded example page: it has no module instance;
// it adopts the leases the page transfers and works on their bytes in the
// page's shared memory.
import { adoptLease } from '/pkg-threads/zonebuf.mjs';

const commands = {
  roundTrip(message) {
    const lease = adoptLease(message);
    const read = lease.getInt(0);
    const text = new TextDecoder().decode(lease.bytes().slice(4, lease.position()));
    const wroteAt = lease.position();
    lease.writeInt(read + 1);
    return { read, text, wroteAt, offset: lease.baseOffset(), lease: lease.transfer() };
  },
  readAndRelease(message) {
    const lease = adoptLease(message);
    const read = lease.getInt(0);
    lease.release();
    return { read };
  },
};

onmessage = (e) => {
  try {
    postMessage(commands[e.data.cmd](e.data.lease));
  } catch (error) {
    postMessage({ error: `${error.name}: ${error.message}` });
  }
};
