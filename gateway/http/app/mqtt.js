// A small MQTT 3.1.1 client over WebSocket (subprotocol "mqtt"), with what the handheld needs
// and no more: CONNECT with a persistent session (the broker keeps the verdicts that arrive
// while the handheld is away), QoS 1 PUBLISH answered by PUBACK, SUBSCRIBE, keep-alive, and
// QoS 0/1 messages in. The peer is mosquitto's device listener (docs/handheld.md).
"use strict";

const CONNECT = 1, CONNACK = 2, PUBLISH = 3, PUBACK = 4, SUBSCRIBE = 8, SUBACK = 9;
const PINGREQ = 12, PINGRESP = 13, DISCONNECT = 14;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const REFUSALS = {
  1: "the broker does not speak MQTT 3.1.1",
  2: "the broker refused this client id",
  3: "the broker is unavailable",
  4: "wrong user name or password",
  5: "not authorised",
};

function utf8Field(text) {
  const bytes = encoder.encode(text);
  return [bytes.length >> 8, bytes.length & 255, ...bytes];
}

function lengthBytes(n) {
  const out = [];
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 128;
    out.push(digit);
  } while (n > 0);
  return out;
}

function packet(type, flags, body) {
  return new Uint8Array([(type << 4) | flags, ...lengthBytes(body.length), ...body]);
}

export class MqttClient {
  // onMessage(topic, text); onClose(reason) once the connection is gone.
  constructor({ url, clientId, username, password, keepAliveS = 30, onMessage, onClose }) {
    Object.assign(this, { url, clientId, username, password, keepAliveS, onMessage, onClose });
    this.nextId = 1;
    this.waiting = new Map();  // packet id -> {resolve, reject}
    this.buffer = new Uint8Array(0);
    this.socket = null;
  }

  // Resolves once the broker accepted the connection; rejects with the reason otherwise.
  connect(timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, "mqtt");
      this.socket = socket;
      socket.binaryType = "arraybuffer";
      const timer = setTimeout(() => { reject(new Error("no answer from the broker")); socket.close(); }, timeoutMs);
      this.connack = (code) => {
        clearTimeout(timer);
        if (code === 0) { this.startKeepAlive(); resolve(); } else { reject(new Error(REFUSALS[code] || `refused (${code})`)); }
      };
      socket.onopen = () => socket.send(this.connectPacket());
      socket.onmessage = (event) => this.receive(new Uint8Array(event.data));
      socket.onclose = () => {
        clearTimeout(timer);
        reject(new Error("the connection to the broker closed"));
        this.closed("connection closed");
      };
    });
  }

  connectPacket() {
    // Flags: user name, password, persistent session (clean session off).
    const header = [...utf8Field("MQTT"), 4, 0xc0, this.keepAliveS >> 8, this.keepAliveS & 255];
    return packet(CONNECT, 0, [...header, ...utf8Field(this.clientId), ...utf8Field(this.username),
      ...utf8Field(this.password)]);
  }

  // Resolves when the broker acknowledged the message (PUBACK).
  publish(topic, text, timeoutMs = 10000) {
    const id = this.packetId();
    const body = [...utf8Field(topic), id >> 8, id & 255, ...encoder.encode(text)];
    return this.request(id, packet(PUBLISH, 0x02, body), timeoutMs);
  }

  // Resolves with the granted QoS per topic; 0x80 is a refusal.
  subscribe(topics, timeoutMs = 10000) {
    const id = this.packetId();
    const body = [id >> 8, id & 255];
    for (const topic of topics) body.push(...utf8Field(topic), 1);
    return this.request(id, packet(SUBSCRIBE, 0x02, body), timeoutMs);
  }

  close() {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(packet(DISCONNECT, 0, []));
    this.socket?.close();
  }

  get connected() { return this.socket?.readyState === WebSocket.OPEN && !this.connack; }

  packetId() {
    const id = this.nextId;
    this.nextId = id === 65535 ? 1 : id + 1;
    return id;
  }

  request(id, bytes, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (this.socket?.readyState !== WebSocket.OPEN) { reject(new Error("not connected")); return; }
      const timer = setTimeout(() => { this.waiting.delete(id); reject(new Error("no acknowledgement")); }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => { clearTimeout(timer); resolve(value); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      this.socket.send(bytes);
    });
  }

  startKeepAlive() {
    this.connack = null;
    let answered = true;
    this.pong = () => { answered = true; };
    this.pinger = setInterval(() => {
      if (!answered) { this.socket.close(); return; }  // The broker went quiet: start again.
      answered = false;
      this.socket.send(packet(PINGREQ, 0, []));
    }, this.keepAliveS * 750);
  }

  closed(reason) {
    clearInterval(this.pinger);
    for (const { reject } of this.waiting.values()) reject(new Error(reason));
    this.waiting.clear();
    if (this.socket) { this.socket = null; this.onClose?.(reason); }
  }

  // WebSocket frames need not match MQTT packets: collect, then take whole packets.
  receive(bytes) {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    let at = 0;
    for (;;) {
      let length = 0, multiplier = 1, i = at + 1;
      for (; i < joined.length; ++i) {
        length += (joined[i] & 127) * multiplier;
        multiplier *= 128;
        if ((joined[i] & 128) === 0) break;
      }
      if (i >= joined.length || i + 1 + length > joined.length) break;
      this.handle(joined[at] >> 4, joined[at] & 15, joined.subarray(i + 1, i + 1 + length));
      at = i + 1 + length;
    }
    this.buffer = joined.slice(at);
  }

  handle(type, flags, body) {
    if (type === CONNACK) this.connack?.(body[1]);
    else if (type === PUBACK || type === SUBACK) this.settle((body[0] << 8) | body[1], [...body.subarray(2)]);
    else if (type === PINGRESP) this.pong?.();
    else if (type === PUBLISH) this.incoming(flags, body);
  }

  settle(id, granted) {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (waiter && granted.includes(0x80)) waiter.reject(new Error("the broker refused the subscription"));
    else waiter?.resolve(granted);
  }

  incoming(flags, body) {
    const topicLength = (body[0] << 8) | body[1];
    const topic = decoder.decode(body.subarray(2, 2 + topicLength));
    const qos = (flags >> 1) & 3;
    const at = 2 + topicLength + (qos > 0 ? 2 : 0);
    this.onMessage?.(topic, decoder.decode(body.subarray(at)));
    if (qos > 0) this.socket?.send(packet(PUBACK, 0, [body[at - 2], body[at - 1]]));
  }
}
