import { describe, expect, it, vi } from 'vitest';
import { streamedJsonResponse } from './streamed-json';

async function* from(...parts: string[]) {
  yield* parts;
}

describe('streamedJsonResponse', () => {
  it('adds the field its parts make to the value', async () => {
    const response = streamedJsonResponse({ id: 'b1', bytes: 3 }, 'manifest', from('{"volumes":[', '{"name":"ucp-kv"}', ']}\n'));
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 'b1', bytes: 3, manifest: { volumes: [{ name: 'ucp-kv' }] } });
  });

  it('sets the field to null when there are no parts, on an empty value too', async () => {
    expect(await streamedJsonResponse({ id: 'b1' }, 'manifest', from()).json()).toEqual({ id: 'b1', manifest: null });
    expect(await streamedJsonResponse({}, 'manifest', from('[]')).json()).toEqual({ manifest: [] });
    expect(await streamedJsonResponse({ id: 'b1' }, 'manifest', from('', '')).json()).toEqual({ id: 'b1', manifest: null });
  });

  it('cuts the body short when the parts fail, so no client takes it for whole', async () => {
    async function* failing() {
      yield '{"volumes":[';
      throw new Error('the database is gone');
    }
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(streamedJsonResponse({ id: 'b1' }, 'manifest', failing()).text()).rejects.toThrow('the database is gone');
      expect(logged).toHaveBeenCalledWith('lifeboat: streaming manifest failed: the database is gone');
    } finally {
      logged.mockRestore();
    }
  });
});
