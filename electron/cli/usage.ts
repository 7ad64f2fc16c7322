export const USAGE = `Usage:
  hookscope listen [--port 8080] [--host 127.0.0.1] [--data DIR] [--ui-port 0] [--ui-host 127.0.0.1] [--no-ui]
      Capture webhooks headless. Prints the capture URL, the UI URL (with its per-run token)
      and one line per delivery. Ctrl-C stops accepting, flushes the store and exits 0.
  hookscope export [--data DIR] --format ndjson|har [--out FILE]
      Write every stored delivery, oldest first, to FILE or standard output.
  hookscope help

DIR defaults to the per-user folder the desktop app uses.`
