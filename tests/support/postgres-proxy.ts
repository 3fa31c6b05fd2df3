// A TCP proxy between a server under test and PostgreSQL, so that a test can take the database
// away from that server alone and give it back.
import net from "node:net";
import { HOST } from "./child-server";

export type PostgresProxy = Awaited<ReturnType<typeof startPostgresProxy>>;

export async function startPostgresProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let mode: "up" | "blackhole" = "up";
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (mode === "blackhole") return;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, HOST, () => resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.hostname = HOST;
  url.port = String(port);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    /** The target's URL, through the proxy. */
    url: url.toString(),
    /** PostgreSQL "down": every connection cut, new ones refused. */
    cut: () => new Promise<void>((resolve) => (dropAll(), server.close(() => resolve()))),
    /** PostgreSQL hanging: connections cut, new ones accepted and never answered. */
    blackhole: async () => {
      mode = "blackhole";
      dropAll();
      if (!server.listening) await listen(port);
    },
    restore: async () => {
      mode = "up";
      dropAll();
      if (!server.listening) await listen(port);
    },
    close: () => new Promise<void>((resolve) => (dropAll(), server.listening ? server.close(() => resolve()) : resolve())),
  };
}
