import { Transform, type TransformCallback } from "node:stream";

/**
 * React 18.3's streaming renderer (renderToPipeableStream) writes its whole 2048-byte buffer when
 * a multi-byte character does not fit at the end of it, so one or two NUL bytes land in the page
 * wherever a Chinese character meets a buffer boundary — inside text, and inside form values,
 * which a browser then submits (react/react#31134; React 19 writes only the bytes it filled). The
 * character itself is written whole into the next buffer, so dropping the NULs restores the page
 * exactly. A page never holds a real NUL: UTF-8 uses the byte for nothing else, and the request
 * core refuses control characters in what people type.
 */
export class DropNulBytes extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    if (chunk.indexOf(0) === -1) return done(null, chunk);
    done(null, Buffer.from(chunk.filter((byte) => byte !== 0)));
  }
}
