/** The typed handler and quiet logger the engine-based bench servers (ours, ours-express) share. */
import type { EngineLogger } from '../../src/soap';
import { OrderNotFoundFault, type BenchOrdersHandlers } from '../generated';
import { ORDERS, submitOrder } from '../data';

export const benchHandlers: BenchOrdersHandlers = {
  async getOrder({ orderId }) {
    const order = ORDERS.get(orderId);
    if (order === undefined) throw new OrderNotFoundFault(`No order ${orderId}`, { orderId });
    return { order };
  },
  async submitOrder({ partnerOrderRef, line }) {
    return submitOrder(partnerOrderRef, line);
  },
};

const stderr =
  (level: string) =>
  (message: string, meta?: Record<string, unknown>): void => {
    process.stderr.write(`${level} ${message}${meta === undefined ? '' : ` ${JSON.stringify(meta)}`}\n`);
  };

export const benchLogger: EngineLogger = { debug() {}, info() {}, warn: stderr('warn'), error: stderr('error') };
