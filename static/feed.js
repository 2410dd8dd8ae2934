// The live feed: one WebSocket to /ws, reopened with exponential backoff after any loss, and
// closed by a watchdog when the server falls silent (it sends a heartbeat every heartbeat_ms).

function b64url(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * onMessage(message) for each parsed message; onLost(opened) when the socket closed and a retry is
 * scheduled (opened: false when it never opened, e.g. a refused key). key() gives the client key.
 */
export function liveFeed({ key, onMessage, onLost }) {
  let socket = null;
  let attempt = 0;
  let held = false;
  let retryTimer = 0;
  let watchdog = 0;
  let heartbeatMs = 15000;

  function connect() {
    clearTimeout(retryTimer);
    if (held || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    // Browsers cannot set Authorization on a WebSocket: the key travels as a subprotocol.
    const ws = key() ? new WebSocket(url, ['kimi-proxy', `kimi-key.${b64url(key())}`]) : new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (e) => {
      alive();
      onMessage(JSON.parse(e.data));
    };
    ws.onclose = () => {
      clearTimeout(watchdog);
      if (socket === ws) socket = null;
      if (held) return;
      // Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... up to 15 s.
      const delay = Math.min(15000, 500 * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
      retryTimer = setTimeout(connect, delay);
      onLost(opened);
    };
  }

  // No message (not even a heartbeat) for two and a half heartbeats: the server or the network is gone.
  function alive() {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => socket && socket.close(), heartbeatMs * 2.5);
  }

  return {
    start: connect,
    /** A snapshot arrived: the connection is good, and the server says how often it beats. */
    synced(serverHeartbeatMs) {
      attempt = 0;
      heartbeatMs = serverHeartbeatMs || heartbeatMs;
      alive();
    },
    /** Closes the feed and keeps it closed until release(). */
    hold(code, reason) {
      held = true;
      clearTimeout(retryTimer);
      if (socket) socket.close(code, reason);
    },
    release() {
      held = false;
      attempt = 0;
      connect();
    },
  };
}
