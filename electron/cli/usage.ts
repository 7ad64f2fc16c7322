export const USAGE = `Usage:
  hookscope listen [--port 8080] [--host 127.0.0.1] [--data DIR] [--ui-port 0] [--ui-host 127.0.0.1] [--no-ui]
      Capture webhooks headless. Prints the capture URL, the UI URL (with its per-run token)
      and one line per delivery. Ctrl-C stops accepting, flushes the store and exits 0.
  hookscope export [--data DIR] --format ndjson|har [--out FILE]
      Write every stored delivery, oldest first, to FILE or standard output.
  hookscope verify --delivery FILE --keyring FILE [--now UNIX_SECONDS] [--json]
      Check one delivery against a plaintext keyring file; the scheme is detected.
      Exit 0 valid, 1 invalid (the output says why), 2 bad input.
  hookscope help

DIR defaults to the per-user folder the desktop app uses.
HOOKSCOPE_PASSPHRASE (at least 8 characters) unlocks the keyring for \`listen\`, or creates it on first use.`
