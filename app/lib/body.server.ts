import { MAX_BODY_BYTES } from "#models/limits";

/**
 * A request body's bytes, refused past `limit` (MAX_BODY_BYTES unless a route has its own, as the
 * household import's upload does) whatever Content-Length claims (a chunked body has none):
 * `tooLarge()` makes the refusal, in the shape of the page or of the API.
 */
export async function readBodyBytes(request: Request, tooLarge: () => Response, limit = MAX_BODY_BYTES): Promise<Buffer> {
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Stop reading, but do not cancel: over Express that destroys the socket, and the 413 with it.
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
