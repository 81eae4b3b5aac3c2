#!/usr/bin/env node
// Seeded generator of Olist-shaped e-commerce data: customers.csv, orders.csv, order_items.csv.
// Usage: node scripts/generate-data.mjs [--customers 2000] [--seed 42] [--out data]
// The same seed and size always give byte-identical files.
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'data') },
  },
});
const customerCount = Number(values.customers);
if (!Number.isInteger(customerCount) || customerCount < 1) {
  console.error('--customers must be a positive whole number');
  process.exit(2);
}

// mulberry32: small, fast, seeded.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
// One random() per digit, as always; built from char codes so the string is flat (fast to write at 10M rows).
const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const hex = (n) => {
  const codes = new Array(n);
  for (let i = 0; i < n; i++) codes[i] = HEX_CODES[Math.floor(random() * 16)];
  return String.fromCharCode(...codes);
};

const states = [
  ['SP', 'sao paulo', 0.42], ['RJ', 'rio de janeiro', 0.13], ['MG', 'belo horizonte', 0.12], ['RS', 'porto alegre', 0.06],
  ['PR', 'curitiba', 0.05], ['SC', 'florianopolis', 0.04], ['BA', 'salvador', 0.04], ['DF', 'brasilia', 0.03],
  ['GO', 'goiania', 0.03], ['ES', 'vitoria', 0.02], ['PE', 'recife', 0.02], ['CE', 'fortaleza', 0.02], ['PA', 'belem', 0.02],
];
function pickState() {
  let r = random();
  for (const s of states) {
    if ((r -= s[2]) <= 0) return s;
  }
  return states[0];
}
const statuses = [['delivered', 0.9], ['shipped', 0.04], ['canceled', 0.03], ['invoiced', 0.02], ['processing', 0.01]];
function pickStatus() {
  let r = random();
  for (const s of statuses) {
    if ((r -= s[1]) <= 0) return s[0];
  }
  return 'delivered';
}
const products = Array.from({ length: Math.max(50, Math.ceil(customerCount / 20)) }, () => ({ id: hex(32), price: Math.round((10 + random() ** 2 * 490) * 100) / 100 }));
const sellers = Array.from({ length: Math.max(20, Math.ceil(customerCount / 50)) }, () => hex(32));
const start = Date.UTC(2017, 0, 1);
const span = Date.UTC(2018, 7, 31) - start;
const day = 86_400_000;
// `YYYY-MM-DD HH:MM:SS` in UTC (what toISOString gives), with the date part cached per day: Date is slow at 10M rows.
const dates = new Map();
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const ts = (ms) => {
  const days = Math.floor(ms / day);
  let date = dates.get(days);
  if (date === undefined) {
    date = new Date(days * day).toISOString().slice(0, 10);
    dates.set(days, date);
  }
  const seconds = Math.floor((ms - days * day) / 1000);
  return `${date} ${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}`;
};

mkdirSync(values.out, { recursive: true });
const open = (name, header) => {
  const stream = createWriteStream(path.join(values.out, name));
  stream.write(`${header}\n`);
  return stream;
};
const customersCsv = open('customers.csv', 'customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state');
const ordersCsv = open('orders.csv', 'order_id,customer_id,order_status,order_purchase_timestamp,order_delivered_customer_date,order_estimated_delivery_date');
const itemsCsv = open('order_items.csv', 'order_id,order_item_id,product_id,seller_id,price,freight_value');

// Lines are gathered per file and written 1,024 at a time: the same bytes, far fewer writes.
const CHUNK = 1024;
const pending = new Map([[customersCsv, []], [ordersCsv, []], [itemsCsv, []]]);
const flush = (stream) => {
  const lines = pending.get(stream);
  pending.set(stream, []);
  return stream.write(lines.join('')) ? undefined : new Promise((r) => stream.once('drain', r));
};
const write = (stream, line) => {
  const lines = pending.get(stream);
  lines.push(line);
  return lines.length >= CHUNK ? flush(stream) : undefined;
};
let orderCount = 0;
let itemCount = 0;
for (let c = 0; c < customerCount; c++) {
  const uniqueId = hex(32);
  const [uf, city] = pickState();
  const zip = String(10000 + Math.floor(random() * 89999));
  // Olist gives every order its own customer_id; customer_unique_id is the person.
  const orders = random() < 0.12 ? 2 + Math.floor(random() * 3) : 1;
  for (let o = 0; o < orders; o++) {
    const customerId = hex(32);
    await write(customersCsv, `${customerId},${uniqueId},${zip},${city},${uf}\n`);
    const orderId = hex(32);
    const status = pickStatus();
    const purchased = start + Math.floor(random() * span);
    const estimated = purchased + (15 + Math.floor(random() * 20)) * day;
    const delivered = status === 'delivered' ? ts(purchased + Math.floor((3 + random() * 25) * day)) : '';
    await write(ordersCsv, `${orderId},${customerId},${status},${ts(purchased)},${delivered},${ts(estimated).slice(0, 10)} 00:00:00\n`);
    orderCount++;
    const items = random() < 0.85 ? 1 : 2 + Math.floor(random() * 3);
    for (let i = 1; i <= items; i++) {
      const product = pick(products);
      const freight = Math.round((5 + random() * 40) * 100) / 100;
      await write(itemsCsv, `${orderId},${i},${product.id},${pick(sellers)},${product.price.toFixed(2)},${freight.toFixed(2)}\n`);
      itemCount++;
    }
  }
}
for (const stream of pending.keys()) await flush(stream);
await Promise.all([customersCsv, ordersCsv, itemsCsv].map((s) => new Promise((r) => s.end(r))));
console.error(`wrote ${orderCount} customers/orders and ${itemCount} order items to ${values.out}`);
