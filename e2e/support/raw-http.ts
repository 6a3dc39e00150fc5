// HTTP the way an attacker writes it: raw bytes on a socket, any Host header, a body sent as slowly as wished.
import net from 'node:net';

export type RawExchange = { status: number | null; response: string; closedAfterMs: number; bodyBytesSent: number };

/**
 * Sends `head` (request line and headers, without the blank line), then `body` one byte every `everyMs`
 * (all at once when 0) and then nothing; resolves when the server closes the connection, or after `giveUpMs`.
 */
export function rawRequest(port: number, head: string, body = '', options: { everyMs?: number; stopAfterBytes?: number; giveUpMs?: number } = {}): Promise<RawExchange> {
  const { everyMs = 0, stopAfterBytes = body.length, giveUpMs = 30_000 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let ticker: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      resolve({ status: status ? Number(status) : null, response, closedAfterMs: Date.now() - started, bodyBytesSent: sent });
    };
    const giveUp = setTimeout(finish, giveUpMs);
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      if (everyMs === 0) {
        socket.write(body.slice(0, stopAfterBytes));
        sent = Math.min(body.length, stopAfterBytes);
        return;
      }
      ticker = setInterval(() => {
        if (sent >= stopAfterBytes) return clearInterval(ticker);
        socket.write(body[sent++]);
      }, everyMs);
    });
  });
}
