/**
 * A reader that closes its end of the pipe (`agent-relay-desktop agents | head -1`) is ordinary Unix
 * use, not an error: from then on nothing more is written to that stream, the command finishes as
 * it would have, and no EPIPE stack trace is printed.
 */
export function watchForClosedPipe(stream: NodeJS.WritableStream): () => boolean {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    // Anything else on stdout/stderr is as fatal as it would have been without this listener.
    throw error;
  });
  return () => closed;
}
