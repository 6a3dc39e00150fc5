import { describe, expect, it } from 'vitest';
import { describeEngineError } from './engine-error';

const systemError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('describeEngineError', () => {
  it('names a timeout with its deadline', () => {
    expect(describeEngineError(new DOMException('signal timed out', 'TimeoutError'), 2000)).toBe('did not answer within 2000 ms');
  });

  it('explains refused connections and missing sockets', () => {
    expect(describeEngineError(systemError('ECONNREFUSED'), 2000)).toMatch(/connection refused/);
    expect(describeEngineError(systemError('ENOENT'), 2000)).toMatch(/socket not found/);
  });

  it('tells a refused client certificate from an untrusted server certificate', () => {
    expect(describeEngineError(new Error('write EPROTO ... sslv3 alert bad certificate'), 2000)).toMatch(/refused Lifeboat's client certificate/);
    expect(describeEngineError(systemError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 2000)).toMatch(/not signed by the CA given/);
  });

  it("keeps the engine's own message for an HTTP error", () => {
    const error = Object.assign(new Error('(HTTP code 503) unexpected - This node is not a swarm manager.'), {
      statusCode: 503,
      json: { message: 'This node is not a swarm manager.' },
    });
    expect(describeEngineError(error, 2000)).toBe('This node is not a swarm manager.');
  });
});
