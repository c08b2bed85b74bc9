// Progress on stderr: on a terminal one line redrawn in place (a status, or a
// bar for bulk launches); when piped, plain lines only when something changes,
// with no carriage returns or escape codes, so logs and `| tee` stay clean.

export type Out = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } };

export function progress(stream: Out["stderr"]) {
  const tty = !!stream.isTTY;
  let last = "";
  let drawn = false;
  const draw = (line: string) => {
    if (line === last) return;
    last = line;
    if (tty) {
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    } else stream.write(`${line}\n`);
  };
  return {
    status: draw,
    /** A bar of done/total on a terminal; piped, a line each time `done` or `failed` moves. */
    bar(done: number, failed: number, total: number, label = "confirmed") {
      const width = 30;
      const filled = total ? Math.round(((done + failed) / total) * width) : width;
      const counts = `${done}/${total} ${label}${failed ? `, ${failed} failed` : ""}`;
      draw(tty ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${counts}` : counts);
    },
    done() {
      if (tty && drawn) stream.write("\n");
      drawn = false;
    },
  };
}
