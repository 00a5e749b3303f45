// Baseline broker: a bare aedes 1.2 (no auth, no hooks, in-memory persistence) on an
// ephemeral loopback port, run as a child process of the benchmark so that it gets its own
// core, as the real gateway does. Reports its port to the parent over IPC.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const aedes = await Aedes.createBroker();
const server = createServer(aedes.handle);

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'listening', port });
});

function shutdown() {
  server.close();
  aedes.close(() => process.exit(0));
  // Clients still connected would keep close() waiting; exit regardless.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown); // parent gone
