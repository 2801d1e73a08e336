// A real mongod through mongodb-memory-server: found on disk, downloaded, and started.
// The library is imported lazily so that the jongodb and external paths never load it.
// mongodb-memory-server also spawns its own watchdog that kills mongod if this process dies.

/** A mongod already on this machine (MONGOMS_SYSTEM_BINARY or the download cache); never downloads. */
export async function findMongod(): Promise<string | undefined> {
  const { DryMongoBinary } = await import('mongodb-memory-server-core');
  const options = await DryMongoBinary.generateOptions();
  return DryMongoBinary.locateBinary(options);
}

/** Download mongod (or find it). Offline this fails after about 7 s. */
export async function downloadMongod(): Promise<string> {
  const { MongoBinary } = await import('mongodb-memory-server-core');
  return MongoBinary.getPath();
}

export async function startMongod(binaryPath: string): Promise<{ uri: string; stop(): Promise<void> }> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: binaryPath },
    instance: { ip: '127.0.0.1' },
  });
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: true, force: true });
    },
  };
}
