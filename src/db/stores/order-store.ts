import { InsufficientStock, InvalidOrderState, OrderNotFound, ProductNotFound } from '../../service/errors';
import type {
  CreateOrderOutcome,
  OrderHistoryEntry,
  OrderLineRecord,
  OrderListQuery,
  OrderRecord,
  OrderStore,
  OrderSummaryRecord,
  OrderTransition,
} from '../../service/store';
import type { Knex } from 'knex';
import type { Database } from '../connection';
import { isUniqueViolation } from '../errors';
import * as q from '../queries/orders';
import { integerFromDb, stringFromDb } from '../values';
import { historyFromRow, orderFromRows, statusFromDb, stockFromRow, summaryFromRow } from './mappers';
import { storeCall } from './run';

/** A fixed lock order (ascending sku, by code unit like the databases' binary comparison) prevents deadlocks. */
function bySku<T extends { sku: string }>(lines: readonly T[]): T[] {
  return [...lines].sort((left, right) => (left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : 0));
}

/** Thrown when a guarded stock update that must match does not: a bookkeeping bug, never a user error. */
class StockInvariantViolated extends Error {
  constructor(orderId: string, sku: string) {
    super(`Stock of ${sku} does not cover the reservation of order ${orderId}`);
    this.name = 'StockInvariantViolated';
  }
}

export class KnexOrderStore implements OrderStore {
  constructor(private readonly db: Database) {}

  createOrderReservingStock(order: OrderRecord, history: OrderHistoryEntry): Promise<CreateOrderOutcome> {
    return storeCall(this.db, async () => {
      try {
        await this.db.knex.transaction(async (trx) => {
          // The order row first: the unique (partner_id, partner_order_ref) key decides between racing
          // identical submissions (the loser waits for the winner's commit) before any stock moves.
          await q.insertOrder(trx, order);
          for (const line of bySku(order.lines)) await this.reserve(trx, line, order.createdAt);
          for (const insertLines of q.insertOrderLines(trx, order)) await insertLines;
          await q.insertHistory(trx, history, 1);
        });
        return { kind: 'created', order };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await this.readOrder(
          this.db.knex,
          q.selectOrderByRef(this.db.knex, this.db.dialect, order.partnerId, order.partnerOrderRef),
        );
        // Not found: the violation was on another key (a reused orderId or line number), a caller bug.
        if (existing === undefined) throw error;
        return { kind: 'existing', order: existing };
      }
    });
  }

  private async reserve(trx: Knex.Transaction, line: OrderLineRecord, now: Date): Promise<void> {
    const changed = (await q.reserveStockIfAvailable(trx, line.sku, line.quantity, now)) as unknown as number;
    if (changed === 1) return;
    const rows = (await q.selectStockRow(trx, line.sku)) as Array<{
      sku: unknown;
      on_hand: unknown;
      reserved: unknown;
    }>;
    if (rows[0] === undefined) throw new ProductNotFound(line.sku);
    throw new InsufficientStock(line.sku, line.quantity, stockFromRow(rows[0]).available);
  }

  findByPartnerRef(partnerId: string, partnerOrderRef: string): Promise<OrderRecord | undefined> {
    return storeCall(this.db, () =>
      this.readOrder(this.db.knex, q.selectOrderByRef(this.db.knex, this.db.dialect, partnerId, partnerOrderRef)),
    );
  }

  getOrder(partnerId: string, orderId: string): Promise<OrderRecord | undefined> {
    return storeCall(this.db, () =>
      this.readOrder(this.db.knex, q.selectOrder(this.db.knex, this.db.dialect, orderId, partnerId)),
    );
  }

  getOrderAnyPartner(orderId: string): Promise<OrderRecord | undefined> {
    return storeCall(this.db, () =>
      this.readOrder(this.db.knex, q.selectOrder(this.db.knex, this.db.dialect, orderId)),
    );
  }

  listOrders(partnerId: string, query: OrderListQuery): Promise<OrderSummaryRecord[]> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectOrderPage(this.db.knex, this.db.dialect, partnerId, query)) as q.OrderRow[];
      return rows.map(summaryFromRow);
    });
  }

  transitionOrder(transition: OrderTransition): Promise<OrderRecord> {
    return storeCall(this.db, () =>
      this.db.knex.transaction(async (trx) => {
        const { dialect } = this.db;
        const rows = (await q.selectOrderForUpdate(trx, dialect, transition.orderId)) as q.OrderRow[];
        const row = rows[0];
        if (row === undefined) throw new OrderNotFound(transition.orderId);
        if (
          transition.partnerId !== undefined &&
          stringFromDb(row.partner_id, 'orders.partner_id') !== transition.partnerId
        ) {
          throw new OrderNotFound(transition.orderId);
        }
        const status = statusFromDb(row.status, 'orders.status');
        if (status !== transition.from) throw new InvalidOrderState(transition.orderId, status);

        const lines = ((await q.selectOrderLines(trx, dialect, transition.orderId)) as q.OrderLineRow[]).map(
          (line) => ({
            sku: stringFromDb(line.sku, 'order_lines.sku'),
            quantity: integerFromDb(line.quantity, 'order_lines.quantity'),
          }),
        );
        for (const line of bySku(lines)) {
          const changed = (await (transition.to === 'CANCELLED'
            ? q.releaseReservation(trx, line.sku, line.quantity, transition.at)
            : q.consumeReservation(trx, line.sku, line.quantity, transition.at))) as unknown as number;
          if (changed !== 1) throw new StockInvariantViolated(transition.orderId, line.sku);
        }
        const updated = (await q.updateOrderTransition(trx, transition)) as unknown as number;
        if (updated !== 1) throw new Error(`Order ${transition.orderId} changed although it was locked`);

        const lastRows = (await q.nextHistorySeq(trx, transition.orderId)) as Array<{ last: unknown }>;
        const last = lastRows[0]?.last;
        const seq = (last === null || last === undefined ? 0 : integerFromDb(last, 'max(seq)')) + 1;
        const entry: OrderHistoryEntry = {
          orderId: transition.orderId,
          at: transition.at,
          actor: transition.actor,
          action: transition.to,
          fromStatus: transition.from,
          toStatus: transition.to,
          messageId: transition.messageId,
        };
        const detail =
          transition.to === 'CANCELLED'
            ? transition.cancellation?.reason
            : transition.shipment && `${transition.shipment.carrier} ${transition.shipment.trackingNumber}`;
        if (detail !== undefined) entry.detail = detail;
        await q.insertHistory(trx, entry, seq);

        const after = await this.readOrder(trx, q.selectOrder(trx, dialect, transition.orderId));
        if (after === undefined) throw new OrderNotFound(transition.orderId);
        return after;
      }),
    );
  }

  getHistory(orderId: string): Promise<OrderHistoryEntry[]> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectHistory(this.db.knex, orderId)) as q.OrderHistoryRow[];
      return rows.map(historyFromRow);
    });
  }

  /** The order found by `orderQuery` with its lines; lines are written with the order, so never missing. */
  private async readOrder(knex: Knex, orderQuery: Knex.QueryBuilder): Promise<OrderRecord | undefined> {
    const rows = (await orderQuery) as q.OrderRow[];
    const row = rows[0];
    if (row === undefined) return undefined;
    const orderId = stringFromDb(row.id, 'orders.id');
    const lines = (await q.selectOrderLines(knex, this.db.dialect, orderId)) as q.OrderLineRow[];
    return orderFromRows(row, lines);
  }
}
