export const USAGE = `Usage:
  hookscope listen [--port 8080] [--host 127.0.0.1] [--data DIR] [--ui-port 0] [--ui-host 127.0.0.1] [--no-ui]
                   [--https] [--mtls request|require] [--trust CA.pem ...] [--cert-host NAME ...]
                   [--tunnel URL [--tunnel-token TOKEN]]
                   [--durability crash|fsync]
                   [--forward-to URL [--forward-mode passthrough|ack-first] [--forward-timeout SECONDS]
                                     [--retry provider|fast|none]]
      Capture webhooks headless. Prints the capture URL, the UI URL (with its per-run token)
      and one line per delivery (and per refused TLS connection, marked REJECTED).
      Ctrl-C stops accepting, flushes the store and exits 0.
      --https   serve HTTPS with a certificate from the local CA (needs HOOKSCOPE_PASSPHRASE);
                the CA is written to DIR/hookscope-ca.pem for clients to trust.
      --mtls    HTTPS that asks senders for a client certificate: "require" refuses connections
                without a good one, "request" records what is presented and accepts.
      --trust   also accept client certificates from this CA (PEM; repeatable; needs --mtls).
                The local CA stays trusted.
      --cert-host  another name or address for the server certificate (repeatable), besides
                localhost, 127.0.0.1 and ::1.
      Each start sets the default endpoint's TLS from these flags (none: plain HTTP).
      --tunnel URL  also receive from a public URL: a relay-server channel (needs --tunnel-token,
                or HOOKSCOPE_TUNNEL_TOKEN) or a smee channel (https://smee.io/<channel>). Prints
                "Tunnel connected: <public url>" and a line whenever it drops or reconnects.
      --durability  when a delivery is acknowledged, kept for the data folder: "crash" (default)
                once committed, survives Hookscope being killed, may lose the last second on
                a power cut; "fsync" once on disk, survives a power cut, slower.
      --forward-to URL  relay every delivery of the default endpoint to URL (a catch-all rule;
                \`localhost:3000\` means http://localhost:3000); each line then ends with the
                target's status and time, or why it got none. passthrough (default): the sender
                gets the target's answer (502 naming the cause when it cannot be reached);
                ack-first: the sender gets the endpoint's answer, the relay follows with retries
                (--retry, default fast: 1 s doubling, six retries; provider: 1 min doubling).
                --forward-timeout: seconds per attempt, default 30; 0 waits forever.
      Starts a local API (loopback; the UI's) even with --no-ui: the commands below reach this
      engine through it while it runs (DIR/hookscope-engine.json names it, mode 0600).
  hookscope export [--data DIR] --format ndjson|har [--out FILE]
      Write every stored delivery, oldest first, to FILE or standard output; NDJSON lines
      carry the delivery's attempts (relay, retries, replays: at, kind, target, status...).
  hookscope replay ID... [--data DIR] [--to URL] [--resign KEY_ID] [--body FILE] [--header 'Name: value' ...] [--json]
      Send stored deliveries again, one after another: to URL, or to the target of their
      endpoint's first matching forwarding rule. As-is (same bytes, same headers) unless
      --body replaces the body or --header sets a header; --resign KEY_ID signs it afresh
      with that keyring key (new id, timestamp and signature; needs HOOKSCOPE_PASSPHRASE).
      Prints each attempt (status, time, error, Hookscope's verdict on what was sent); --json
      prints each attempt as a JSON object per line. Stored as attempts of the delivery.
      Exit 0 when every answer is 2xx, 1 otherwise, 2 bad input (unknown id...).
  hookscope send --url URL --scheme SCHEME --key KEY_ID [--data DIR | --keyring FILE] [--event TYPE]
                 [--body FILE] [--count N] [--interval MS] [--json]
      Send a signed test event without a provider: the scheme's test event, the template
      --event (e.g. invoice.paid), or --body FILE, signed with keyring key KEY_ID, N times
      (default 1) with MS between starts. Keys from DIR's keyring (needs HOOKSCOPE_PASSPHRASE;
      sends are stored as attempts) or from a plaintext keyring file (as for verify; nothing
      stored). Exit as for replay.
  hookscope ca export [--format pem|der] [--out FILE] [--data DIR]
      Write the local CA certificate (pem by default) to FILE or standard output; with --out
      and pem, print how to trust it. Creating the CA on first use needs HOOKSCOPE_PASSPHRASE.
  hookscope cert client --name NAME --out DIR [--data DIR]
      Issue a client certificate from the local CA (needs HOOKSCOPE_PASSPHRASE) and write
      NAME.crt.pem, NAME.key.pem (mode 0600) and hookscope-ca.pem into DIR, plus NAME.p12
      when HOOKSCOPE_P12_PASSWORD is set. Prints a ready curl command.
  hookscope verify --delivery FILE --keyring FILE [--now UNIX_SECONDS] [--json]
      Check one delivery against a plaintext keyring file; the scheme is detected.
      Exit 0 valid, 1 invalid (the output says why), 2 bad input.
  hookscope relay-server [--port 8787] [--host 127.0.0.1] [--public-url URL] [--admin-token T | --open]
                         [--redis URL] [--max-body BYTES] [--queue-max N] [--queue-ttl SECONDS]
                         [--queue-max-bytes BYTES] [--rate-limit N] [--heartbeat SECONDS]
      The self-hostable relay behind public tunnel URLs. POST /channels (with the admin token, or
      anyone with --open) answers {id, url, clientToken}; senders post to URL/...; a client
      (\`hookscope listen --tunnel URL --tunnel-token TOKEN\`) answers them. Requests arriving
      while no client is connected are queued (--queue-max deliveries, --queue-ttl seconds) and
      answered 202 with their queue position. --redis shares channels and queues between
      instances and keeps them across restarts. HOOKSCOPE_RELAY_ADMIN_TOKEN may hold the token.
  hookscope help

DIR defaults to the per-user folder the desktop app uses. While \`listen\` or the desktop app
runs on DIR, \`replay\`, \`send\`, \`ca export\` and \`cert client\` go through it (named in
DIR/hookscope-engine.json); otherwise they open DIR themselves. \`export\` reads DIR directly,
even while it is in use.
The keyring passphrase (at least 8 characters) unlocks the keyring (private keys are sealed under
it), or creates it on first use. It comes from the file named by HOOKSCOPE_PASSPHRASE_FILE, or from
HOOKSCOPE_PASSPHRASE (for CI: readable in /proc/<pid>/environ while the process runs), or, on a
terminal, from a prompt without echo.
Exit codes: 0 done, 1 a runtime failure (port in use, folder in use, locked keyring, a target's
answer not 2xx for replay and send), 2 bad flags.`
