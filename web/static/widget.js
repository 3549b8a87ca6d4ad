/*
 * Frontdesk booking assistant widget.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-tenant-key="pk_..." async></script>
 *
 * Everything renders inside a Shadow DOM attached to <div id="frontdesk-widget">,
 * so the host page's CSS cannot reach the widget and the widget's CSS cannot
 * reach the page. Text that comes from the server is only ever written with
 * textContent (or as attribute values via setAttribute), never parsed as HTML.
 *
 * Host pages may open the chat from their own links with a
 * data-frontdesk-open attribute, or call window.FrontdeskWidget.open().
 *
 * Add data-stream="true" to the tag to show answers as they are written
 * (POST /message/stream, read with fetch). The attribute is read each time a
 * message is sent; without it, or in a browser that cannot read a response
 * body as a stream, the widget waits for the whole answer (POST /message).
 */
(() => {
  'use strict';

  const script =
    document.currentScript ||
    document.querySelector('script[data-tenant-key][src*="widget.js"]') ||
    document.querySelector('script[data-tenant-key]');
  if (!script) return;
  const tenantKey = (script.getAttribute('data-tenant-key') || '').trim();
  if (!tenantKey) {
    console.warn('Frontdesk widget: add data-tenant-key="pk_..." to the widget script tag.');
    return;
  }
  if (window.FrontdeskWidget) return; // the tag was included twice

  let origin = location.origin;
  try {
    if (script.src) origin = new URL(script.src, location.href).origin;
  } catch (_) { /* keep the page's origin */ }
  const API = origin + '/v1/public/chat';
  const STORE_KEY = 'frontdesk.session.' + tenantKey;
  const CARD_KEY = 'frontdesk.booked.' + tenantKey;
  const CUSTOMER_KEY = 'frontdesk.customer.' + tenantKey;
  const TIMEOUT_MS = 60000;
  const MAX_CHARS = 2000;

  // ---- a string kept in localStorage under key ('' removes it);
  // localStorage may be disabled: then it is kept in memory.
  const storedString = (key) => {
    let memory = '';
    const read = () => {
      try { return localStorage.getItem(key) || ''; } catch (_) { return memory; }
    };
    const save = (value) => {
      memory = value || '';
      try {
        if (value) localStorage.setItem(key, value);
        else localStorage.removeItem(key);
      } catch (_) { /* memory only */ }
    };
    return [read, save];
  };
  // The chat session's id.
  const [readSession, saveSession] = storedString(STORE_KEY);
  // The returning customer's token, given by a booking's confirm result
  // and sent when a session starts, so the assistant knows the customer
  // next time. Kept per business; "Not you?" forgets it.
  const [readCustomer, saveCustomer] = storedString(CUSTOMER_KEY);

  // ---- the last booked card, so its links survive a reload and a trip to
  // the checkout: { v, sessionId, bookingId, action, status, code, message,
  // summary, checkoutUrl, manageUrl }. It belongs to one chat session.
  let memoryCard = null;
  const readCard = () => {
    let raw = null;
    try { raw = localStorage.getItem(CARD_KEY); } catch (_) { return memoryCard; }
    if (!raw) return null;
    try {
      const c = JSON.parse(raw);
      return c && typeof c === 'object' && c.v === 1 && typeof c.sessionId === 'string' ? c : null;
    } catch (_) {
      return null;
    }
  };
  const saveCard = (card) => {
    memoryCard = card || null;
    try {
      if (card) localStorage.setItem(CARD_KEY, JSON.stringify(card));
      else localStorage.removeItem(CARD_KEY);
    } catch (_) { /* memory only */ }
  };

  // ---- API
  class ApiError extends Error {
    constructor(kind, status, body, retryAfter) {
      super((body && body.message) || kind);
      this.kind = kind; // 'network' | 'timeout' | 'aborted' | 'http' | 'stream' | 'bad_response'
      this.status = status || 0;
      this.code = (body && body.error) || '';
      this.serverMessage = (body && typeof body.message === 'string') ? body.message : '';
      this.retryAfter = retryAfter || '';
      this.details = (body && Array.isArray(body.details)) ? body.details : [];
    }
  }

  async function request(method, path, body) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      let res;
      try {
        const init = {
          method,
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
          headers: { 'X-Tenant-Key': tenantKey },
          signal: ctrl.signal,
        };
        if (body !== undefined) {
          init.headers['Content-Type'] = 'application/json';
          init.body = JSON.stringify(body);
        }
        res = await fetch(API + path, init);
      } catch (_) {
        throw new ApiError(ctrl.signal.aborted ? 'timeout' : 'network');
      }
      let data = null;
      try {
        data = await res.json();
      } catch (_) {
        if (ctrl.signal.aborted) throw new ApiError('timeout');
        if (res.ok) throw new ApiError('bad_response', 502);
      }
      if (!res.ok) throw new ApiError('http', res.status, data, res.headers.get('Retry-After'));
      if (!data || typeof data !== 'object') throw new ApiError('bad_response', 502);
      return data;
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- streaming (opt-in; see the comment at the top)
  const canStream = typeof ReadableStream === 'function' && typeof TextDecoder === 'function' &&
    typeof Response === 'function' && 'body' in Response.prototype;
  const wantsStream = () => canStream && script.getAttribute('data-stream') === 'true';

  // The status an error event's code would have had before the stream opened,
  // so describe() words it the same way.
  const STREAM_STATUS = {
    validation_failed: 400, unauthorized: 401, forbidden: 403, not_found: 404,
    payload_too_large: 413, rate_limited: 429, internal: 500, unavailable: 503,
  };

  // abortStream stops the answer being streamed, if any; the server stops
  // the turn when the connection goes away.
  function abortStream() {
    const job = state.stream;
    if (!job) return;
    job.why = 'aborted';
    job.ctrl.abort();
  }

  // streamMessage sends a message to /message/stream and resolves with the
  // done event ({message, messageId, proposal?, suggestions?}), calling
  // on.chunk(text) and on.proposal(p) as the answer is made. Errors before
  // the stream opens are ApiErrors like request()'s; an error event is an
  // ApiError of kind 'stream'. The connection is given up after TIMEOUT_MS
  // without a byte (the server sends a heartbeat every 15 s).
  async function streamMessage(body, on) {
    const job = { ctrl: new AbortController(), why: '', timer: 0, opened: false };
    const arm = () => {
      clearTimeout(job.timer);
      job.timer = setTimeout(() => { job.why = 'timeout'; job.ctrl.abort(); }, TIMEOUT_MS);
    };
    state.stream = job;
    arm();
    try {
      let res;
      try {
        res = await fetch(API + '/message/stream', {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
          headers: { 'X-Tenant-Key': tenantKey, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: job.ctrl.signal,
        });
      } catch (_) {
        throw new ApiError(job.why || 'network');
      }
      if (!res.ok) {
        let data = null;
        try { data = await res.json(); } catch (_) { if (job.why) throw new ApiError(job.why); }
        throw new ApiError('http', res.status, data, res.headers.get('Retry-After'));
      }
      const type = res.headers.get('Content-Type') || '';
      if (/^application\/json/i.test(type)) {
        // Something between us and the server answered like /message.
        let data = null;
        try { data = await res.json(); } catch (_) { throw new ApiError(job.why || 'bad_response', 502); }
        if (!data || typeof data !== 'object') throw new ApiError('bad_response', 502);
        return data;
      }
      if (!/^text\/event-stream/i.test(type) || !res.body || typeof res.body.getReader !== 'function') {
        throw new ApiError('bad_response', 502);
      }
      job.opened = true;
      let done = null;
      await readEvents(res.body, job, arm, (ev) => {
        if (!ev || typeof ev !== 'object') return false;
        if (ev.type === 'chunk') {
          if (typeof ev.content === 'string' && ev.content) on.chunk(ev.content);
        } else if (ev.type === 'proposal') {
          if (ev.proposal && typeof ev.proposal === 'object') on.proposal(ev.proposal);
        } else if (ev.type === 'done') {
          done = ev;
          return true;
        } else if (ev.type === 'error') {
          throw new ApiError('stream', STREAM_STATUS[ev.error] || 500, ev);
        }
        return false; // an event type this widget does not know
      });
      if (!done) throw new ApiError(job.why || 'network'); // the connection ended before the answer
      return done;
    } catch (err) {
      if (err instanceof ApiError) err.opened = job.opened;
      throw err;
    } finally {
      clearTimeout(job.timer);
      if (state.stream === job) state.stream = null;
    }
  }

  // readEvents reads a text/event-stream body and calls onEvent with each
  // event's data parsed as JSON, until onEvent returns true or the body ends.
  // Lines may end in LF, CRLF or CR and may be split anywhere across network
  // chunks; comment lines (heartbeats) and other fields are skipped, several
  // data lines make one event, and data that is not JSON is ignored.
  async function readEvents(body, job, alive, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let data = null; // the data lines of the event being read
    const dispatch = () => {
      if (data === null) return false;
      const text = data.join('\n');
      data = null;
      let ev;
      try { ev = JSON.parse(text); } catch (_) { return false; }
      return onEvent(ev) === true;
    };
    const line = (l) => {
      if (l === '') return dispatch();
      if (l[0] === ':') return false; // a comment: the heartbeat
      const i = l.indexOf(':');
      if ((i < 0 ? l : l.slice(0, i)) !== 'data') return false;
      let value = i < 0 ? '' : l.slice(i + 1);
      if (value[0] === ' ') value = value.slice(1);
      (data || (data = [])).push(value);
      return false;
    };
    const eol = /\r\n|\r|\n/;
    try {
      for (;;) {
        let r;
        try {
          r = await reader.read();
        } catch (_) {
          throw new ApiError(job.why || 'network');
        }
        alive();
        buf += r.done ? decoder.decode() : decoder.decode(r.value, { stream: true });
        let m;
        while ((m = eol.exec(buf))) {
          // A CR at the end may be the first half of a CRLF: wait for more.
          if (m[0] === '\r' && m.index === buf.length - 1 && !r.done) break;
          const l = buf.slice(0, m.index);
          buf = buf.slice(m.index + m[0].length);
          if (line(l)) return;
        }
        if (r.done) {
          // Be lenient with a last event that lacks its blank line.
          if (buf && line(buf)) return;
          dispatch();
          return;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  function retryAfterSeconds(value) {
    if (!value) return 0;
    const n = Number(value);
    if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - Date.now()) / 1000));
    return 0;
  }

  // describe turns a failure into one plain sentence for the customer.
  function describe(err) {
    const s = err.status;
    if (err.kind === 'timeout') return 'The assistant is taking too long to answer. Please try again.';
    if (err.kind === 'aborted') return 'The answer stopped when the chat was closed. Please try again.';
    if (err.kind === 'network') {
      return navigator.onLine === false
        ? "You're offline. Check your internet connection and try again."
        : "We couldn't reach the booking assistant. Check your connection and try again.";
    }
    if (s === 429) {
      const n = retryAfterSeconds(err.retryAfter);
      return n
        ? "You're sending messages quickly. Please wait " + n + (n === 1 ? ' second' : ' seconds') + ' and try again.'
        : "You're sending messages quickly. Please wait a moment and try again.";
    }
    if (s >= 500 || err.kind === 'bad_response') return 'Something went wrong on our side. Please try again in a moment.';
    if (s === 413) return 'That message is too long. Please send a shorter one.';
    if (s === 401 || s === 403) return "The booking assistant isn't available on this site right now.";
    if (err.serverMessage) return err.serverMessage;
    return 'Something went wrong. Please try again.';
  }

  // ---- DOM helpers (no HTML parsing anywhere)
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function icon(kind) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'fd-icon fd-icon-' + kind);
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', ICONS[kind]);
    svg.append(path);
    return svg;
  }
  const ICONS = {
    chat: 'M5 4h14a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-7l-5 4v-4H5a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z',
    close: 'M6 6l12 12M18 6L6 18',
    thumb: 'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z',
    send: 'M3.4 20.4l17.4-7.5a1 1 0 0 0 0-1.8L3.4 3.6a.8.8 0 0 0-1.1 1l2.2 6.4 9 1-9 1-2.2 6.4a.8.8 0 0 0 1.1 1z',
  };

  const CSS = `
:host { all: initial !important; display: block !important; position: static !important; }
[hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
.fd-root {
  --fd-accent: #2f5d50; --fd-accent-ink: #ffffff; --fd-bg: #f5f6f8; --fd-line: #dde1e6; --fd-ink: #1d2125; --fd-muted: #5b6570;
  font: 400 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fd-ink); letter-spacing: normal; text-align: left; -webkit-font-smoothing: antialiased;
}
button, input, textarea, a { font: inherit; color: inherit; letter-spacing: inherit; margin: 0; }
button { cursor: pointer; text-transform: none; }
button:disabled { cursor: default; opacity: .6; }
:focus-visible { outline: 3px solid #e8a317; outline-offset: 2px; }
.fd-input:focus-visible { outline: 2px solid var(--fd-accent); outline-offset: 0; border-color: var(--fd-accent); }
.fd-sr { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.fd-icon { width: 24px; height: 24px; display: block; }
.fd-icon-chat path, .fd-icon-send path, .fd-icon-thumb path { fill: currentColor; }
.fd-icon-close path { fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; }

.fd-launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 58px; height: 58px; padding: 0; border: 0; border-radius: 50%;
  display: flex; align-items: center; justify-content: center;
  background: var(--fd-accent); color: var(--fd-accent-ink);
  box-shadow: 0 6px 20px rgba(0,0,0,.25); transition: transform .15s ease;
}
.fd-launcher:hover { transform: scale(1.05); }
.fd-launcher .fd-icon { width: 28px; height: 28px; }

.fd-panel {
  position: fixed; right: 20px; bottom: 90px; z-index: 2147483001;
  width: 380px; max-width: calc(100vw - 40px); height: 600px; max-height: calc(100vh - 110px);
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.28);
}
.fd-header { display: flex; align-items: center; gap: 8px; padding: 12px 10px 12px 16px; background: var(--fd-accent); color: var(--fd-accent-ink); }
.fd-title { margin: 0; flex: 1; font-size: 16px; font-weight: 600; line-height: 1.3; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.fd-subtitle { display: block; font-size: 12px; font-weight: 400; opacity: .85; }
.fd-close { width: 40px; height: 40px; padding: 8px; border: 0; border-radius: 8px; background: transparent; color: inherit; }
.fd-close:hover { background: rgba(255,255,255,.15); }

.fd-messages { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: var(--fd-bg); }
.fd-msg { position: relative; max-width: 85%; padding: 8px 12px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
.fd-msg::before { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.fd-user { align-self: flex-end; background: var(--fd-accent); color: var(--fd-accent-ink); border-bottom-right-radius: 4px; }
.fd-user::before { content: "You said: "; }
.fd-assistant { align-self: flex-start; background: #fff; border: 1px solid var(--fd-line); border-bottom-left-radius: 4px; }
.fd-assistant::before { content: "Assistant: "; }

.fd-typing { align-self: flex-start; display: flex; gap: 4px; padding: 12px 14px; background: #fff; border: 1px solid var(--fd-line); border-radius: 16px; border-bottom-left-radius: 4px; }
.fd-dot { width: 7px; height: 7px; border-radius: 50%; background: #8a939c; animation: fd-bounce 1.2s infinite ease-in-out; }
.fd-dot:nth-child(3) { animation-delay: .15s; }
.fd-dot:nth-child(4) { animation-delay: .3s; }
@keyframes fd-bounce { 0%, 60%, 100% { transform: translateY(0); opacity: .5; } 30% { transform: translateY(-4px); opacity: 1; } }

.fd-card { align-self: stretch; padding: 12px 14px; background: #fff; border: 1px solid #c4ccd4; border-left: 4px solid var(--fd-accent); border-radius: 12px; }
.fd-card-title { margin: 0 0 6px; font-weight: 600; }
.fd-preview { margin: 0 0 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
.fd-note { margin: 0 0 10px; font-size: 13px; color: var(--fd-muted); }
.fd-actions { display: flex; gap: 8px; }
.fd-btn {
  flex: 1; display: inline-flex; align-items: center; justify-content: center; min-height: 40px; padding: 8px 14px;
  border: 1px solid var(--fd-accent); border-radius: 10px; background: var(--fd-accent); color: var(--fd-accent-ink);
  font-weight: 600; text-decoration: none; text-align: center;
}
.fd-btn-secondary { background: #fff; color: var(--fd-accent); }
.fd-code-row { margin: 0 0 10px; }
.fd-card > :last-child { margin-bottom: 0; }
.fd-code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 17px; letter-spacing: .05em; }
.fd-pay { width: 100%; }
.fd-links { flex-wrap: wrap; margin: 0 0 10px; }
.fd-links .fd-btn { min-width: 8em; }
.fd-links .fd-pay { width: auto; }

.fd-error { display: flex; align-items: center; gap: 10px; margin: 0; padding: 8px 12px; background: #fdecea; color: #7d1a10; border-top: 1px solid #f3c4be; font-size: 14px; }
.fd-error-text { flex: 1; }
.fd-retry { flex: none; padding: 5px 12px; border: 1px solid #7d1a10; border-radius: 8px; background: #fff; color: #7d1a10; font-weight: 600; }

.fd-suggestions { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 12px; background: var(--fd-bg); border-top: 1px solid var(--fd-line); }
.fd-chip { padding: 5px 12px; border: 1px solid var(--fd-accent); border-radius: 999px; background: #fff; color: var(--fd-accent); font-size: 13px; line-height: 1.4; }
.fd-chip:hover { background: #eef3f1; }

.fd-form { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--fd-line); background: #fff; }
.fd-input { flex: 1; min-width: 0; height: 42px; padding: 8px 12px; border: 1px solid #b9c1c9; border-radius: 10px; background: #fff; color: var(--fd-ink); font-size: 15px; }
.fd-input::placeholder { color: #7b848d; }
.fd-send { flex: none; width: 42px; height: 42px; padding: 9px; border: 0; border-radius: 10px; background: var(--fd-accent); color: var(--fd-accent-ink); }

.fd-thumbs { align-self: flex-start; display: flex; align-items: center; gap: 4px; margin: -4px 0 0 4px; }
.fd-thumb { width: 30px; height: 30px; padding: 6px; border: 1px solid transparent; border-radius: 8px; background: transparent; color: var(--fd-muted); }
.fd-thumb:hover { background: #e7eaee; }
.fd-thumb[aria-pressed="true"] { border-color: var(--fd-accent); background: #e3ece9; color: var(--fd-accent); }
.fd-thumb .fd-icon { width: 16px; height: 16px; }
.fd-thumb-down .fd-icon { transform: rotate(180deg); }
.fd-fb-note { font-size: 12px; color: #7d1a10; }
.fd-human-note { border-left: 4px solid var(--fd-accent); }

.fd-sheet { max-height: 60%; overflow-y: auto; padding: 10px 12px; border-top: 1px solid var(--fd-line); background: #fff; }
.fd-sheet-title { margin: 0 0 8px; font-weight: 600; }
.fd-field { display: block; margin: 0 0 8px; font-size: 13px; color: var(--fd-muted); }
.fd-field .fd-input { display: block; width: 100%; height: auto; margin-top: 2px; }
textarea.fd-input { min-height: 56px; resize: vertical; }
.fd-stars { display: flex; gap: 6px; margin: 0 0 8px; }
.fd-star { width: 40px; height: 40px; padding: 0; border: 1px solid #b9c1c9; border-radius: 8px; background: #fff; color: #8a939c; font-size: 22px; line-height: 1; }
.fd-star.fd-on { border-color: #a86f00; color: #a86f00; }
.fd-sheet-msg { margin: 0 0 8px; font-size: 13px; }
.fd-sheet-msg.fd-bad { color: #7d1a10; }
.fd-sheet-open .fd-suggestions { display: none; }
.fd-tools { display: flex; justify-content: space-between; gap: 8px; padding: 0 12px 8px; background: #fff; }
.fd-link { padding: 4px 2px; border: 0; background: transparent; color: var(--fd-accent); font-size: 13px; text-decoration: underline; }

@media (max-width: 480px) {
  .fd-panel { inset: 0; width: 100%; max-width: none; height: 100%; max-height: none; border-radius: 0; }
  .fd-root.fd-open .fd-launcher { display: none; }
  .fd-input { font-size: 16px; }
}
@media (prefers-reduced-motion: reduce) {
  .fd-dot { animation: none; opacity: .8; }
  .fd-launcher { transition: none; }
}
`;

  // ---- state
  const state = {
    sessionId: readSession(),
    starting: null, // the in-flight session start, if any
    ready: false, // a session is loaded and rendered
    busy: false, // a request the customer waits for is in flight
    open: false,
    retry: null, // what the Retry button does
    retryKind: '',
    stream: null, // the answer being streamed: { ctrl, why, ... }
  };
  let seq = 0;

  // ---- build the UI
  const host = el('div', { id: 'frontdesk-widget' });
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(el('style', { text: CSS }));
  }

  const launcher = el('button', {
    type: 'button', id: 'fd-launcher', class: 'fd-launcher', 'data-testid': 'fd-launcher',
    'aria-label': 'Open chat with the booking assistant', 'aria-expanded': 'false', 'aria-controls': 'fd-panel',
  }, icon('chat'));

  const title = el('h2', { id: 'fd-title', class: 'fd-title', text: 'Booking assistant' },
    el('span', { class: 'fd-subtitle', text: 'Ask about services, times and prices' }));
  const closeBtn = el('button', { type: 'button', id: 'fd-close', class: 'fd-close', 'data-testid': 'fd-close', 'aria-label': 'Close chat' }, icon('close'));

  const messages = el('div', {
    id: 'fd-messages', class: 'fd-messages', 'data-testid': 'fd-messages',
    role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation', tabindex: '0',
  });
  const errorBox = el('div', { id: 'fd-error-slot' });
  const suggestions = el('div', { id: 'fd-suggestions', class: 'fd-suggestions', role: 'group', 'aria-label': 'Suggested replies', hidden: true });

  const input = el('input', {
    type: 'text', id: 'fd-input', class: 'fd-input', 'data-testid': 'fd-input', name: 'message',
    autocomplete: 'off', maxlength: String(MAX_CHARS), placeholder: 'Type your message…', enterkeyhint: 'send',
  });
  const sendBtn = el('button', { type: 'submit', id: 'fd-send', class: 'fd-send', 'data-testid': 'fd-send', 'aria-label': 'Send message' }, icon('send'));
  const form = el('form', { class: 'fd-form', novalidate: true },
    el('label', { for: 'fd-input', class: 'fd-sr', text: 'Your message to the booking assistant' }), input, sendBtn);

  // "Rate this chat": 1-5 stars and an optional comment.
  const rateToggle = el('button', { type: 'button', class: 'fd-link', 'data-testid': 'fd-rate-open', 'aria-expanded': 'false', 'aria-controls': 'fd-rate', text: 'Rate this chat' });
  const stars = [1, 2, 3, 4, 5].map((n) => el('button', {
    type: 'button', class: 'fd-star', 'data-testid': 'fd-rate-' + n, 'aria-pressed': 'false',
    'aria-label': n + (n === 1 ? ' star' : ' stars'), text: '★',
  }));
  const rateComment = el('textarea', { class: 'fd-input', 'data-testid': 'fd-rate-comment', maxlength: '1000', rows: '2' });
  const rateStatus = el('p', { class: 'fd-sheet-msg', 'data-testid': 'fd-rate-status', role: 'status' });
  const rateSend = el('button', { type: 'submit', class: 'fd-btn', 'data-testid': 'fd-rate-send', text: 'Send rating' });
  const rateClose = el('button', { type: 'button', class: 'fd-btn fd-btn-secondary', 'data-testid': 'fd-rate-close', text: 'Close' });
  const rateSheet = el('form', { id: 'fd-rate', class: 'fd-sheet', 'aria-labelledby': 'fd-rate-title', novalidate: true, hidden: true },
    el('p', { id: 'fd-rate-title', class: 'fd-sheet-title', text: 'Rate this chat' }),
    el('div', { class: 'fd-stars', role: 'group', 'aria-label': 'Your rating, 1 to 5 stars' }, ...stars),
    el('label', { class: 'fd-field' }, 'Comment (optional)', rateComment),
    rateStatus, el('div', { class: 'fd-actions' }, rateSend, rateClose));

  // "Talk to a person": a reason and optional contact details.
  const humanToggle = el('button', { type: 'button', class: 'fd-link', 'data-testid': 'fd-human', 'aria-expanded': 'false', 'aria-controls': 'fd-human-form', text: 'Talk to a person' });
  const humanReason = el('textarea', { class: 'fd-input', 'data-testid': 'fd-human-reason', name: 'reason', maxlength: '500', rows: '2', required: true });
  const humanEmail = el('input', { type: 'email', class: 'fd-input', 'data-testid': 'fd-human-email', name: 'email', autocomplete: 'email' });
  const humanPhone = el('input', { type: 'tel', class: 'fd-input', 'data-testid': 'fd-human-phone', name: 'phone', autocomplete: 'tel' });
  const humanStatus = el('p', { class: 'fd-sheet-msg fd-bad', 'data-testid': 'fd-human-error', role: 'alert' });
  const humanSend = el('button', { type: 'submit', class: 'fd-btn', 'data-testid': 'fd-human-send', text: 'Send to a person' });
  const humanCancel = el('button', { type: 'button', class: 'fd-btn fd-btn-secondary', 'data-testid': 'fd-human-cancel', text: 'Cancel' });
  const humanSheet = el('form', { id: 'fd-human-form', class: 'fd-sheet', 'aria-labelledby': 'fd-human-title', novalidate: true, hidden: true },
    el('p', { id: 'fd-human-title', class: 'fd-sheet-title', text: 'Talk to a person' }),
    el('label', { class: 'fd-field' }, 'What do you need help with?', humanReason),
    el('label', { class: 'fd-field' }, 'Email (optional)', humanEmail),
    el('label', { class: 'fd-field' }, 'Phone (optional)', humanPhone),
    humanStatus, el('div', { class: 'fd-actions' }, humanSend, humanCancel));

  // "Not you?": forgets the returning customer on this device.
  const notYou = el('button', { type: 'button', class: 'fd-link', 'data-testid': 'fd-not-you', hidden: true });

  const panel = el('div', {
    id: 'fd-panel', class: 'fd-panel', 'data-testid': 'fd-panel', role: 'dialog',
    'aria-label': 'Chat with the booking assistant', hidden: true,
  }, el('div', { class: 'fd-header' }, title, closeBtn), messages, errorBox, suggestions, rateSheet, humanSheet, form,
  el('div', { class: 'fd-tools' }, humanToggle, notYou, rateToggle));

  const root = el('div', { class: 'fd-root' }, launcher, panel);
  shadow.append(root);

  // ---- rendering
  // Keep the newest message in view while the customer is at the bottom,
  // also when the suggestions or an error change the log's height.
  let stick = true;
  const scrollDown = () => {
    stick = true;
    messages.scrollTop = messages.scrollHeight;
  };
  messages.addEventListener('scroll', () => {
    stick = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 48;
  }, { passive: true });
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => { if (stick) messages.scrollTop = messages.scrollHeight; }).observe(messages);
  }
  let typingNode = null;

  function appendToLog(node) {
    if (typingNode && typingNode.parentNode === messages) messages.insertBefore(node, typingNode);
    else messages.append(node);
    scrollDown();
  }

  // addMessage adds a message to the log; an assistant message with a
  // server id gets thumbs under it.
  function addMessage(role, text, id) {
    const node = el('div', { class: 'fd-msg ' + (role === 'user' ? 'fd-user' : 'fd-assistant'), text: text });
    appendToLog(node);
    if (role === 'assistant' && typeof id === 'string' && id) appendToLog(thumbs(id));
    return node;
  }

  // dropThumbs removes a thumbs group whose message can no longer be rated
  // (its session ended or was replaced), keeping keyboard focus in the chat.
  function dropThumbs(group) {
    const hadFocus = group.contains(shadow.activeElement);
    group.remove();
    if (hadFocus) input.focus();
  }

  function thumbs(messageId) {
    // The message belongs to the session it was shown in; feedback on it is
    // only valid for that session, even after a new one has started.
    const sessionId = state.sessionId;
    let group = null;
    const up = el('button', { type: 'button', class: 'fd-thumb', 'data-testid': 'fd-thumb-up', 'aria-pressed': 'false', 'aria-label': 'Helpful', title: 'Helpful' }, icon('thumb'));
    const down = el('button', { type: 'button', class: 'fd-thumb fd-thumb-down', 'data-testid': 'fd-thumb-down', 'aria-pressed': 'false', 'aria-label': 'Not helpful', title: 'Not helpful' }, icon('thumb'));
    const note = el('span', { class: 'fd-fb-note', role: 'status' });
    let pending = false;
    const choose = async (button, type) => {
      if (pending || button.getAttribute('aria-pressed') === 'true') return;
      if (sessionId !== state.sessionId) {
        dropThumbs(group);
        return;
      }
      pending = true;
      const before = [up.getAttribute('aria-pressed'), down.getAttribute('aria-pressed')];
      up.setAttribute('aria-pressed', String(button === up));
      down.setAttribute('aria-pressed', String(button === down));
      note.textContent = '';
      try {
        await request('POST', '/feedback', { sessionId, messageId, feedbackType: type });
      } catch (err) {
        if (sessionId !== state.sessionId || err.status === 400 || err.status === 404) {
          // The message or its session is gone: retrying cannot help.
          dropThumbs(group);
          return;
        }
        up.setAttribute('aria-pressed', before[0]);
        down.setAttribute('aria-pressed', before[1]);
        note.textContent = "Sorry, we couldn't save that. Please try again.";
      } finally {
        pending = false;
      }
    };
    up.addEventListener('click', () => { choose(up, 'THUMBS_UP'); });
    down.addEventListener('click', () => { choose(down, 'THUMBS_DOWN'); });
    group = el('div', { class: 'fd-thumbs', role: 'group', 'aria-label': 'Was this answer helpful?' }, up, down, note);
    return group;
  }

  function showTyping() {
    if (typingNode) return;
    typingNode = el('div', { class: 'fd-typing', 'data-testid': 'fd-typing' },
      el('span', { class: 'fd-sr', text: 'The assistant is typing…' }),
      el('span', { class: 'fd-dot' }), el('span', { class: 'fd-dot' }), el('span', { class: 'fd-dot' }));
    messages.append(typingNode);
    scrollDown();
  }

  function hideTyping() {
    if (typingNode) typingNode.remove();
    typingNode = null;
  }

  function setBusy(busy) {
    state.busy = busy;
    sendBtn.disabled = busy;
    for (const b of suggestions.querySelectorAll('button')) b.disabled = busy;
    panel.setAttribute('data-state', busy ? 'busy' : (state.ready ? 'ready' : 'idle'));
  }

  function renderSuggestions(list) {
    suggestions.replaceChildren();
    const items = Array.isArray(list) ? list.filter((s) => typeof s === 'string' && s.trim()).slice(0, 8) : [];
    for (const text of items) {
      const b = el('button', { type: 'button', class: 'fd-chip', 'data-testid': 'fd-suggestion', text: text });
      b.addEventListener('click', () => { send(text); });
      suggestions.append(b);
    }
    suggestions.hidden = items.length === 0;
    if (stick) scrollDown();
  }

  function clearError() {
    errorBox.replaceChildren();
    state.retry = null;
    state.retryKind = '';
  }

  // showError shows one sentence and, when retry is given, a Retry button.
  function showError(err, retry) {
    const text = typeof err === 'string' ? err : describe(err);
    clearError();
    const box = el('div', { class: 'fd-error', 'data-testid': 'fd-error', role: 'alert' },
      el('span', { class: 'fd-error-text', text: text }));
    if (retry) {
      const b = el('button', { type: 'button', class: 'fd-retry', 'data-testid': 'fd-retry', text: 'Retry' });
      b.addEventListener('click', () => {
        const again = state.retry;
        clearError();
        input.focus();
        if (again) again();
      });
      box.append(b);
      state.retry = retry;
      state.retryKind = typeof err === 'string' ? '' : err.kind;
    }
    errorBox.append(box);
    if (stick) scrollDown();
  }

  function safeURL(u) {
    if (typeof u !== 'string' || !u) return '';
    try {
      const url = new URL(u, origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '';
    } catch (_) {
      return '';
    }
  }

  const CARD_TITLES = {
    create_booking: 'Please confirm your booking',
    cancel_booking: 'Please confirm the cancellation',
    reschedule_booking: 'Please confirm the new time',
  };
  const DONE_TITLES = {
    booked: 'Booking confirmed',
    canceled: 'Booking cancelled',
    cancelled: 'Booking cancelled',
    rescheduled: 'Booking rescheduled',
  };

  function addProposal(p) {
    if (!p || typeof p.proposalId !== 'string') return;
    // A newer proposal replaces any card still waiting for an answer.
    for (const old of messages.querySelectorAll('.fd-card.fd-pending')) old.remove();
    const titleId = 'fd-card-title-' + (++seq);
    const card = el('div', {
      class: 'fd-card fd-pending', role: 'group', 'aria-labelledby': titleId,
      'data-testid': 'fd-proposal', 'data-proposal-id': p.proposalId,
    });
    const heading = el('p', { id: titleId, class: 'fd-card-title', text: CARD_TITLES[p.operation] || 'Please confirm' });
    card.append(heading, el('p', { class: 'fd-preview', 'data-testid': 'fd-preview', text: p.preview || '' }));
    const expires = p.expiresAt ? new Date(p.expiresAt) : null;
    let note = null;
    if (expires && !Number.isNaN(expires.getTime())) {
      note = el('p', { class: 'fd-note', text: 'Nothing is booked until you confirm. ' + holdText(expires) });
      card.append(note);
    }
    const confirmBtn = el('button', { type: 'button', class: 'fd-btn', 'data-testid': 'fd-confirm', text: 'Confirm' });
    const cancelBtn = el('button', { type: 'button', class: 'fd-btn fd-btn-secondary', 'data-testid': 'fd-cancel', text: 'Cancel' });
    const actions = el('div', { class: 'fd-actions' }, confirmBtn, cancelBtn);
    card.append(actions);
    const ui = { card, heading, note, actions, confirmBtn, cancelBtn };
    confirmBtn.addEventListener('click', () => { confirmProposal(p, ui); });
    // Cancel only dismisses the card; the assistant is told nothing.
    cancelBtn.addEventListener('click', () => {
      card.remove();
      clearError();
      input.focus();
    });
    appendToLog(card);
  }

  // holdText says how long an offer is held. The widget does not know the
  // business's zone, so the clock time is the visitor's own, named as such.
  function holdText(expires) {
    const mins = Math.round((expires.getTime() - Date.now()) / 60000);
    let at = '';
    try {
      at = expires.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
    } catch (_) {
      at = expires.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    }
    if (mins >= 1 && mins <= 120) {
      return 'This offer is held for ' + mins + (mins === 1 ? ' minute' : ' minutes') + ' (until ' + at + ', your time).';
    }
    return 'This offer is held until ' + at + ' (your time).';
  }

  const str = (v) => (typeof v === 'string' ? v : '');

  function doneTitle(d) {
    return d.action === 'booked' && d.status === 'PENDING' ? 'Booking reserved' : (DONE_TITLES[d.action] || 'Done');
  }

  // fillDoneCard adds a finished booking's code and links to its card and
  // returns the first link, if any: "Pay now" while payment is due, and
  // "Manage booking" (the booking's own page, opened in a new tab).
  function fillDoneCard(card, heading, d) {
    heading.textContent = doneTitle(d);
    if (d.code) {
      card.append(el('p', { class: 'fd-code-row' }, 'Confirmation code: ',
        el('strong', { class: 'fd-code', 'data-testid': 'fd-code', text: d.code })));
    }
    const payURL = (!d.status || d.status === 'PENDING') ? safeURL(d.checkoutUrl) : '';
    const manageURL = safeURL(d.manageUrl);
    const pay = payURL
      ? el('a', { class: 'fd-btn fd-pay', 'data-testid': 'fd-pay', href: payURL, rel: 'noopener', text: 'Pay now' })
      : null;
    const manage = manageURL
      ? el('a', {
        class: 'fd-btn fd-btn-secondary', 'data-testid': 'fd-manage', href: manageURL,
        target: '_blank', rel: 'noopener noreferrer', text: 'Manage booking',
      }, el('span', { class: 'fd-sr', text: ' (opens in a new tab)' }))
      : null;
    if (pay || manage) card.append(el('div', { class: 'fd-actions fd-links' }, pay, manage));
    return pay || manage;
  }

  function showResult(ui, res, p) {
    ui.card.classList.remove('fd-pending');
    ui.card.classList.add('fd-done');
    ui.actions.remove();
    if (ui.note) ui.note.remove();
    renderSuggestions([]); // the proposal's quick replies no longer apply
    const d = {
      v: 1, sessionId: state.sessionId, bookingId: str(res.bookingId), action: str(res.action), status: str(res.status),
      code: str(res.confirmationCode), message: str(res.message), summary: str(p && p.preview),
      checkoutUrl: str(res.checkoutUrl), manageUrl: str(res.manageUrl),
    };
    const first = fillDoneCard(ui.card, ui.heading, d);
    remember(d);
    scrollDown();
    if (d.message) addMessage('assistant', d.message);
    (first || input).focus();
  }

  // remember keeps a booking's card for a reload; a later cancellation or
  // move of the same booking updates it.
  function remember(d) {
    if (d.action === 'booked') {
      if (d.bookingId && (d.manageUrl || d.checkoutUrl)) saveCard(d);
      return;
    }
    const saved = readCard();
    if (!saved || !d.bookingId || saved.bookingId !== d.bookingId) return;
    saved.status = d.status || saved.status;
    if (d.summary) saved.summary = d.summary;
    if (saved.status !== 'PENDING') saved.checkoutUrl = '';
    saved.moved = d.action === 'rescheduled' || saved.moved === true;
    saved.canceled = d.action === 'canceled' || d.action === 'cancelled' || saved.canceled === true;
    saveCard(saved);
  }

  // restoreCard shows the kept card of this session where it was: before
  // the confirmation message it came with, else at the end.
  function restoreCard(sessionId) {
    const saved = readCard();
    if (!saved) return;
    if (saved.sessionId !== sessionId) {
      saveCard(null); // another conversation's
      return;
    }
    const titleId = 'fd-card-title-' + (++seq);
    const card = el('div', { class: 'fd-card fd-done', role: 'group', 'aria-labelledby': titleId, 'data-testid': 'fd-booked' });
    const heading = el('p', { id: titleId, class: 'fd-card-title' });
    card.append(heading);
    const summary = str(saved.summary);
    if (summary) card.append(el('p', { class: 'fd-preview', 'data-testid': 'fd-preview', text: summary }));
    const d = Object.assign({}, saved);
    if (saved.canceled) d.action = 'canceled';
    else if (saved.moved) d.action = 'rescheduled';
    fillDoneCard(card, heading, d);
    if (!saved.canceled && safeURL(saved.manageUrl)) {
      card.append(el('p', { class: 'fd-note', text: 'Manage booking shows its current status, also after you pay.' }));
    }
    const msg = str(saved.message);
    const anchor = msg && [...messages.querySelectorAll('.fd-msg.fd-assistant')].reverse().find((n) => n.textContent === msg);
    if (anchor) messages.insertBefore(card, anchor);
    else appendToLog(card);
  }

  // ---- actions
  async function startSession(fresh) {
    abortStream(); // an answer still coming belongs to the old session
    const stored = fresh ? '' : state.sessionId;
    const token = readCustomer();
    const body = (id) => {
      const b = id ? { sessionId: id } : {};
      if (token) b.customerToken = token;
      return b;
    };
    let data;
    try {
      data = await request('POST', '/session', body(stored));
    } catch (err) {
      // A stored id the server no longer accepts: start over with a new one.
      if (!stored || (err.status !== 400 && err.status !== 404)) throw err;
      saveSession('');
      data = await request('POST', '/session', body(''));
    }
    if (typeof data.sessionId !== 'string' || !data.sessionId) throw new ApiError('bad_response', 502);
    state.sessionId = data.sessionId;
    saveSession(data.sessionId);
    if (fresh) {
      // Messages still on screen belong to the old session and can no longer be rated.
      for (const g of [...messages.querySelectorAll('.fd-thumbs')]) dropThumbs(g);
    }
    return data;
  }

  function renderSession(data) {
    messages.replaceChildren();
    typingNode = null;
    const list = Array.isArray(data.messages) ? data.messages : [];
    let shown = 0;
    for (const m of list) {
      if (!m || typeof m.content !== 'string' || (m.role !== 'user' && m.role !== 'assistant')) continue;
      addMessage(m.role, m.content, m.id);
      shown++;
    }
    if (shown === 0 && typeof data.greeting === 'string' && data.greeting) addMessage('assistant', data.greeting);
    restoreCard(data.sessionId);
    renderSuggestions(data.suggestions);
    renderCustomer(data.customer);
  }

  // "Not you?": shown while the session knows a returning customer.
  function renderCustomer(c) {
    const name = c && typeof c.name === 'string' ? c.name.trim() : '';
    const first = name.split(/\s+/)[0] || '';
    notYou.hidden = !first;
    notYou.textContent = first ? 'Not ' + first + '?' : '';
    notYou.setAttribute('aria-label', first ? 'Not ' + first + '? Forget me on this device and start a new chat' : '');
  }

  async function forgetCustomer() {
    if (state.busy) return;
    saveCustomer('');
    saveCard(null);
    clearError();
    setBusy(true);
    try {
      renderSession(await startSession(true));
      input.focus();
    } catch (err) {
      showError(err, forgetCustomer);
    } finally {
      setBusy(false);
    }
  }

  async function boot() {
    if (state.ready || state.starting) return state.starting;
    clearError();
    setBusy(true);
    showTyping();
    loadBusinessName();
    state.starting = (async () => {
      try {
        const data = await startSession(false);
        hideTyping();
        renderSession(data);
        state.ready = true;
      } catch (err) {
        hideTyping();
        showError(err, boot);
      } finally {
        state.starting = null;
        setBusy(false);
      }
    })();
    return state.starting;
  }

  let nameLoaded = false;
  async function loadBusinessName() {
    if (nameLoaded) return;
    nameLoaded = true;
    try {
      const g = await request('GET', '/greeting');
      const name = typeof g.businessName === 'string' ? g.businessName.trim() : '';
      if (name) {
        title.firstChild.textContent = name;
        panel.setAttribute('aria-label', 'Chat with ' + name);
      }
    } catch (_) {
      nameLoaded = false; // cosmetic only: try again next time the panel opens
    }
  }

  async function send(raw, isRetry) {
    const text = String(raw || '').trim();
    if (!text || state.busy) return;
    if (!state.ready) {
      await boot();
      if (!state.ready) return;
    }
    if ([...text].length > MAX_CHARS) {
      showError('Please keep your message under ' + MAX_CHARS + ' characters.');
      return;
    }
    clearError();
    renderSuggestions([]);
    if (!isRetry) {
      addMessage('user', text);
      input.value = '';
    }
    input.focus();
    setBusy(true);
    showTyping();
    const turn = wantsStream() ? newStreamTurn() : null;
    const post = () => (turn
      ? streamMessage({ sessionId: state.sessionId, message: text }, turn)
      : request('POST', '/message', { sessionId: state.sessionId, message: text }));
    try {
      let reply;
      try {
        reply = await post();
      } catch (err) {
        if (err.status !== 404 || err.opened) throw err;
        // The session ended (idle too long, or cleaned up): start a new one
        // without disturbing the view, then send the message again.
        await startSession(true);
        reply = await post();
      }
      hideTyping();
      if (turn) turn.finish(reply);
      else handleReply(reply);
    } catch (err) {
      hideTyping();
      if (turn) turn.drop();
      showError(err, () => send(text, true));
    } finally {
      messages.removeAttribute('aria-busy');
      setBusy(false);
    }
  }

  // newStreamTurn renders one streamed answer: the typing dots until the
  // first text, then the text as it comes into one assistant bubble (with
  // textContent only), which the done event's whole message replaces.
  function newStreamTurn() {
    let bubble = null;
    let textNode = null;
    let streamed = '';
    let proposalId = '';
    const ensureBubble = () => {
      if (bubble) return;
      hideTyping();
      // Screen readers hear the answer once it is complete, not every piece.
      messages.setAttribute('aria-busy', 'true');
      bubble = addMessage('assistant', '');
      bubble.hidden = true; // until there is text to show
      textNode = document.createTextNode('');
      bubble.append(textNode);
    };
    const keepInView = () => { if (stick) messages.scrollTop = messages.scrollHeight; };
    return {
      chunk(text) {
        ensureBubble();
        streamed += text;
        textNode.appendData(text);
        bubble.hidden = false;
        keepInView();
      },
      proposal(p) {
        ensureBubble(); // the card goes under the answer, as with /message
        addProposal(p);
        if (typeof p.proposalId === 'string') proposalId = p.proposalId;
      },
      finish(done) {
        ensureBubble();
        const message = typeof done.message === 'string' && done.message ? done.message : (streamed || '…');
        bubble.textContent = message;
        bubble.hidden = false;
        if (typeof done.messageId === 'string' && done.messageId) bubble.after(thumbs(done.messageId));
        if (done.proposal && typeof done.proposal === 'object' && done.proposal.proposalId !== proposalId) {
          addProposal(done.proposal);
        }
        renderSuggestions(done.suggestions);
        keepInView();
      },
      // drop removes a half-written answer after a failure; a proposal card
      // that already came stays, since the offer exists.
      drop() {
        if (bubble) bubble.remove();
        bubble = null;
        streamed = '';
      },
    };
  }

  function handleReply(reply) {
    addMessage('assistant', typeof reply.message === 'string' && reply.message ? reply.message : '…', reply.messageId);
    if (reply.proposal) addProposal(reply.proposal);
    renderSuggestions(reply.suggestions);
  }

  async function confirmProposal(p, ui) {
    if (state.busy) return;
    clearError();
    setBusy(true);
    ui.confirmBtn.disabled = true;
    ui.cancelBtn.disabled = true;
    ui.confirmBtn.textContent = 'Confirming…';
    showTyping();
    try {
      const res = await request('POST', '/confirm/' + encodeURIComponent(p.proposalId), { sessionId: state.sessionId });
      hideTyping();
      if (res && typeof res.customerToken === 'string' && /^c_[0-9a-f]{64}$/.test(res.customerToken)) saveCustomer(res.customerToken);
      showResult(ui, res, p);
    } catch (err) {
      hideTyping();
      if (err.kind === 'http' && (err.status === 404 || err.status === 409 || err.status === 400)) {
        // The offer is gone (expired, slot taken, session ended): retrying cannot help.
        ui.card.remove();
        showError(err.status === 404
          ? 'This booking offer is no longer available. Please ask the assistant to prepare it again.'
          : describe(err));
        input.focus();
      } else {
        ui.confirmBtn.disabled = false;
        ui.cancelBtn.disabled = false;
        ui.confirmBtn.textContent = 'Confirm';
        // Confirming twice returns the same result, so Retry is safe.
        showError(err, () => confirmProposal(p, ui));
      }
    } finally {
      setBusy(false);
    }
  }

  // ---- rating and talk to a person (one sheet open at a time)
  const sheets = [[rateSheet, rateToggle], [humanSheet, humanToggle]];
  function toggleSheet(sheet, toggle, first) {
    const open = sheet.hidden;
    for (const [s, t] of sheets) {
      s.hidden = !(open && s === sheet);
      t.setAttribute('aria-expanded', String(!s.hidden));
    }
    panel.classList.toggle('fd-sheet-open', open); // room for the sheet: hide the quick replies
    if (open) {
      boot();
      if (stick) scrollDown();
      first.focus();
    } else {
      toggle.focus();
    }
  }

  let rating = 0;
  function pickRating(n) {
    rating = n;
    stars.forEach((b, i) => {
      b.setAttribute('aria-pressed', String(i + 1 === n));
      b.classList.toggle('fd-on', i < n);
    });
    rateStatus.textContent = '';
  }

  async function sendRating() {
    if (rateSend.disabled) return;
    rateStatus.classList.remove('fd-bad');
    if (!rating) {
      rateStatus.classList.add('fd-bad');
      rateStatus.textContent = 'Please choose from 1 to 5 stars.';
      stars[0].focus();
      return;
    }
    if (!state.ready) {
      await boot();
      if (!state.ready) return;
    }
    const body = { sessionId: state.sessionId, feedbackType: 'RATING', rating };
    const comment = rateComment.value.trim();
    if (comment) body.comment = comment;
    rateSend.disabled = true;
    rateStatus.textContent = '';
    try {
      try {
        await request('POST', '/feedback', body);
      } catch (err) {
        if (err.status !== 404) throw err;
        // The session ended: start a new one and rate again, as send() does.
        await startSession(true);
        body.sessionId = state.sessionId;
        await request('POST', '/feedback', body);
      }
      rateStatus.textContent = 'Thank you for rating this chat.';
    } catch (err) {
      rateStatus.classList.add('fd-bad');
      rateStatus.textContent = describe(err);
    } finally {
      rateSend.disabled = false;
    }
  }

  const FIELD_LABELS = { reason: 'Your reason', customerEmail: 'The email', customerPhone: 'The phone number' };
  function escalationError(err) {
    if (err.status === 429) {
      const n = Math.ceil(retryAfterSeconds(err.retryAfter) / 60);
      return n
        ? "You've asked for a person a few times already. Please wait " + n + (n === 1 ? ' minute.' : ' minutes.')
        : "You've asked for a person a few times already. Please try again later.";
    }
    if (err.status === 400 && err.details.length) {
      return err.details.filter((d) => d && typeof d.message === 'string')
        .map((d) => (FIELD_LABELS[d.field] || d.field) + ' ' + d.message + '.').join(' ') || describe(err);
    }
    return describe(err);
  }

  async function askForPerson() {
    if (humanSend.disabled) return;
    const reason = humanReason.value.trim();
    if (!reason) {
      humanStatus.textContent = 'Please tell us briefly what you need help with.';
      humanReason.focus();
      return;
    }
    if (!state.ready) {
      await boot();
      if (!state.ready) return;
    }
    const body = { sessionId: state.sessionId, reason };
    if (humanEmail.value.trim()) body.customerEmail = humanEmail.value.trim();
    if (humanPhone.value.trim()) body.customerPhone = humanPhone.value.trim();
    humanSend.disabled = true;
    humanSend.textContent = 'Sending…';
    humanStatus.textContent = '';
    try {
      let res;
      try {
        res = await request('POST', '/escalate', body);
      } catch (err) {
        if (err.status !== 404) throw err;
        // The session ended: start a new one and ask again, as send() does.
        await startSession(true);
        body.sessionId = state.sessionId;
        res = await request('POST', '/escalate', body);
      }
      humanSheet.reset();
      toggleSheet(humanSheet, humanToggle);
      const note = addMessage('assistant', typeof res.message === 'string' && res.message
        ? res.message : 'Thanks. Someone from the team will get back to you.');
      note.classList.add('fd-human-note');
      note.setAttribute('data-testid', 'fd-human-note');
    } catch (err) {
      humanStatus.textContent = escalationError(err);
    } finally {
      humanSend.disabled = false;
      humanSend.textContent = 'Send to a person';
    }
  }

  function openPanel() {
    if (!state.open) {
      state.open = true;
      panel.hidden = false;
      root.classList.add('fd-open');
      launcher.setAttribute('aria-expanded', 'true');
      launcher.setAttribute('aria-label', 'Close chat');
      host.setAttribute('data-open', 'true');
      scrollDown();
    }
    input.focus();
    boot();
  }

  function closePanel() {
    if (!state.open) return;
    abortStream();
    const hadFocus = shadow.activeElement !== null;
    state.open = false;
    panel.hidden = true;
    root.classList.remove('fd-open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat with the booking assistant');
    host.removeAttribute('data-open');
    if (hadFocus) launcher.focus();
  }

  // ---- events
  launcher.addEventListener('click', () => { state.open ? closePanel() : openPanel(); });
  closeBtn.addEventListener('click', closePanel);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send(input.value);
  });
  rateToggle.addEventListener('click', () => { toggleSheet(rateSheet, rateToggle, stars[0]); });
  humanToggle.addEventListener('click', () => { toggleSheet(humanSheet, humanToggle, humanReason); });
  notYou.addEventListener('click', () => { forgetCustomer(); });
  humanCancel.addEventListener('click', () => { toggleSheet(humanSheet, humanToggle); });
  rateClose.addEventListener('click', () => { toggleSheet(rateSheet, rateToggle); });
  stars.forEach((b, i) => b.addEventListener('click', () => { pickRating(i + 1); }));
  rateSheet.addEventListener('submit', (e) => {
    e.preventDefault();
    sendRating();
  });
  humanSheet.addEventListener('submit', (e) => {
    e.preventDefault();
    askForPerson();
  });
  root.addEventListener('keydown', (e) => {
    const sheet = e.key === 'Escape' && sheets.find(([s]) => !s.hidden && s.contains(e.target));
    if (sheet) {
      e.preventDefault();
      e.stopPropagation();
      toggleSheet(sheet[0], sheet[1]);
      return;
    }
    if (e.key === 'Escape' && state.open) {
      e.preventDefault();
      e.stopPropagation();
      closePanel();
    }
  });
  window.addEventListener('online', () => {
    if (state.retry && state.retryKind === 'network') {
      const again = state.retry;
      clearError();
      again();
    }
  });
  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target.closest('[data-frontdesk-open]') : null;
    if (t) {
      e.preventDefault();
      openPanel();
    }
  });

  window.FrontdeskWidget = Object.freeze({ open: openPanel, close: closePanel });

  const mount = () => {
    if (document.getElementById('frontdesk-widget')) return;
    panel.setAttribute('data-state', 'idle');
    document.body.append(host);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
