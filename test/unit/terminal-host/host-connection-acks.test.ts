import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACK_FORWARD_CHARS, HostConnection } from '../../../main/core/terminal-host/host-connection.js';
import { PROTOCOL } from '../../../main/core/terminal-host/protocol.js';

/**
 * The daemon's end of the terminal host socket gathers small console acknowledgements: a real TCP
 * server in the host's place (hello → welcome) records every line the connection writes.
 */
describe('console acknowledgements to the terminal host', () => {
  let server: net.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function connect(): Promise<{ connection: HostConnection; lines: () => Array<Record<string, unknown>> }> {
    const received: string[] = [];
    server = net.createServer((socket) => {
      let buffer = '';
      socket.on('data', (data: Buffer) => {
        buffer += data.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const message = JSON.parse(line) as { t: string };
          if (message.t === 'hello') socket.write(`${JSON.stringify({ t: 'welcome', protocol: PROTOCOL, version: 't', pid: 1, startedAt: 'now', agents: [] })}\n`);
          else received.push(line);
          newline = buffer.indexOf('\n');
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server!.address() as net.AddressInfo).port;
    const connection = await HostConnection.open({ pid: 1, port, token: 'x', protocol: PROTOCOL, version: 't', startedAt: 'now' }, 't');
    return { connection, lines: () => received.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it('sends a spinner’s small acknowledgements together, one line per attachment, with their sum', async () => {
    const { connection, lines } = await connect();
    for (let i = 0; i < 10; i++) {
      connection.ack('a1', 70);
      connection.ack('a2', 30);
    }
    expect(lines()).toEqual([]);
    await expect.poll(() => lines().length, { timeout: 2_000 }).toBe(2);
    expect(lines()).toEqual([
      { t: 'ack', aid: 'a1', chars: 700 },
      { t: 'ack', aid: 'a2', chars: 300 },
    ]);
    connection.close();
    await connection.whenClosed();
  });

  it('sends at once when an attachment has a flood’s worth waiting, and what waits on close', async () => {
    const { connection, lines } = await connect();
    connection.ack('a1', 100);
    connection.ack('a2', 5);
    connection.ack('a1', ACK_FORWARD_CHARS);
    // Everything waiting went in that write, so the small one of a2 is not held back behind it.
    connection.ack('a2', 7);
    connection.close();
    await connection.whenClosed();
    await expect.poll(() => lines().length, { timeout: 2_000 }).toBe(3);
    expect(lines()).toEqual([
      { t: 'ack', aid: 'a1', chars: 100 + ACK_FORWARD_CHARS },
      { t: 'ack', aid: 'a2', chars: 5 },
      { t: 'ack', aid: 'a2', chars: 7 },
    ]);
  });
});
