/**
 * SQL Server cannot run here, so every migration and every statement the stores issue is compiled with
 * the mssql dialect (a connection-less knex) and checked: against a reviewed snapshot
 * (test/db/__snapshots__/mssql.sql; regenerate with UPDATE_SNAPSHOTS=1 and review the diff) and with
 * targeted assertions on what matters for correctness. The whole suite also runs against a real SQL
 * Server when TEST_DATABASES includes mssql and MSSQL_URL is set.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { MIGRATIONS } from '../../src/db/migrations';
import * as catalogQueries from '../../src/db/queries/catalog';
import * as orderQueries from '../../src/db/queries/orders';
import * as partnerQueries from '../../src/db/queries/partners';
import * as securityQueries from '../../src/db/queries/security';
import type { OrderRecord } from '../../src/service/store';
import { compilerFor } from './harness';

const SNAPSHOT = path.join(__dirname, '__snapshots__', 'mssql.sql');
const MSSQL_MAX_PARAMETERS = 2100;

interface CompiledStatement {
  label: string;
  sql: string;
  bindings: readonly unknown[];
}

/**
 * Runs a migration against a knex stand-in whose schema and query builders are recorded instead of
 * executed; a data query (a backfill) answers no rows, so what it would do per row is not compiled.
 */
async function compileMigration(
  compiler: Knex,
  direction: 'up' | 'down',
  migration: (typeof MIGRATIONS)[number],
): Promise<CompiledStatement[]> {
  const builders: Array<Knex.SchemaBuilder | Knex.QueryBuilder> = [];
  const query = (table: string): PromiseLike<unknown[]> => {
    const builder = compiler(table);
    builders.push(builder);
    // Chained calls return the builder itself; awaiting it answers an empty table.
    return new Proxy(builder, {
      get: (target, property, receiver) => {
        if (property === 'then') return (resolve: (rows: unknown[]) => void) => resolve([]);
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              const result = (value as (...inner: unknown[]) => unknown).apply(target, args);
              return result === target ? receiver : result;
            }
          : value;
      },
    }) as unknown as PromiseLike<unknown[]>;
  };
  const schema = new Proxy(
    {},
    {
      get:
        (_target, method: string) =>
        (...args: unknown[]) => {
          const builder = (compiler.schema as unknown as Record<string, (...inner: unknown[]) => Knex.SchemaBuilder>)[
            method
          ]!(...args);
          builders.push(builder);
          return Promise.resolve();
        },
    },
  );
  await migration[direction](Object.assign(query, { schema, client: compiler.client }) as unknown as Knex);
  return builders.flatMap((builder) =>
    ([builder.toSQL()].flat() as unknown as Array<{ sql: string; bindings?: unknown[] }>).map((statement) => ({
      label: `migration ${migration.name} ${direction}`,
      sql: statement.sql,
      bindings: statement.bindings ?? [],
    })),
  );
}

const AT = new Date(Date.UTC(2026, 0, 15, 9, 0, 0, 123));
const SAMPLE_ORDER: OrderRecord = {
  orderId: '00000000-0000-4000-8000-000000000001',
  partnerId: '00000000-0000-4000-8000-0000000000aa',
  partnerOrderRef: 'PO-REF-1',
  status: 'ACCEPTED',
  createdAt: AT,
  updatedAt: AT,
  shipTo: { name: 'ACME', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
  lines: [
    { lineNumber: 1, sku: 'SKU-B', quantity: 3, unitPrice: '0.10', lineTotal: '0.30' },
    { lineNumber: 2, sku: 'SKU-A', quantity: 1000, unitPrice: '9999999.99', lineTotal: '9999999990.00' },
  ],
  total: '9999999990.30',
  currency: 'EUR',
  contentHash: 'a'.repeat(64),
};
const BULK_ORDER: OrderRecord = {
  ...SAMPLE_ORDER,
  lines: Array.from({ length: 500 }, (_, index) => ({
    lineNumber: index + 1,
    sku: `S-${index}`,
    quantity: 1,
    unitPrice: '1.00',
    lineTotal: '1.00',
  })),
};
const CURSOR = { createdAt: AT, orderId: SAMPLE_ORDER.orderId };

type Sample = (knex: Knex) => Knex.QueryBuilder | Knex.QueryBuilder[];

/** One sample call per exported query function; the test fails when a query function has none. */
const SAMPLES: Record<string, Record<string, Sample>> = {
  catalog: {
    selectProduct: (k) => catalogQueries.selectProduct(k, 'mssql', 'SKU-A'),
    selectProducts: (k) => catalogQueries.selectProducts(k, 'mssql', ['SKU-A', 'SKU-B']),
    searchProducts: (k) => [
      catalogQueries.searchProducts(k, 'mssql', { limit: 21 }),
      catalogQueries.searchProducts(k, 'mssql', { text: '50%_[x]!', category: 'Tools', afterSku: 'SKU-A', limit: 21 }),
    ],
    updateProduct: (k) =>
      catalogQueries.updateProduct(
        k,
        { sku: 'SKU-A', name: 'Drill', category: 'Tools', unitPrice: '99.90', currency: 'EUR', active: true },
        AT,
      ),
    insertProduct: (k) =>
      catalogQueries.insertProduct(
        k,
        {
          sku: 'SKU-A',
          name: 'Drill',
          description: 'd',
          category: 'Tools',
          unitPrice: '99.90',
          currency: 'EUR',
          active: false,
        },
        AT,
      ),
    insertEmptyStock: (k) => catalogQueries.insertEmptyStock(k, 'SKU-A', AT),
    selectStock: (k) => catalogQueries.selectStock(k, ['SKU-A', 'SKU-B']),
    adjustStockIfCovered: (k) => catalogQueries.adjustStockIfCovered(k, 'SKU-A', -5, AT),
    insertStockAdjustment: (k) =>
      catalogQueries.insertStockAdjustment(k, {
        sku: 'SKU-A',
        delta: -5,
        reason: 'damaged',
        actor: 'admin',
        messageId: 'urn:m',
        at: AT,
      }),
    countProducts: (k) => catalogQueries.countProducts(k),
  },
  orders: {
    insertOrder: (k) => orderQueries.insertOrder(k, SAMPLE_ORDER),
    insertOrderLines: (k) => orderQueries.insertOrderLines(k, SAMPLE_ORDER),
    reserveStockIfAvailable: (k) => orderQueries.reserveStockIfAvailable(k, 'SKU-A', 1000, AT),
    releaseReservation: (k) => orderQueries.releaseReservation(k, 'SKU-A', 1000, AT),
    consumeReservation: (k) => orderQueries.consumeReservation(k, 'SKU-A', 1000, AT),
    insertHistory: (k) =>
      orderQueries.insertHistory(
        k,
        {
          orderId: SAMPLE_ORDER.orderId,
          at: AT,
          actor: 'p',
          action: 'CANCELLED',
          fromStatus: 'ACCEPTED',
          toStatus: 'CANCELLED',
          messageId: 'urn:m',
          detail: 'why',
        },
        2,
      ),
    nextHistorySeq: (k) => orderQueries.nextHistorySeq(k, SAMPLE_ORDER.orderId),
    selectOrder: (k) => [
      orderQueries.selectOrder(k, 'mssql', SAMPLE_ORDER.orderId),
      orderQueries.selectOrder(k, 'mssql', SAMPLE_ORDER.orderId, SAMPLE_ORDER.partnerId),
    ],
    selectOrderByRef: (k) =>
      orderQueries.selectOrderByRef(k, 'mssql', SAMPLE_ORDER.partnerId, SAMPLE_ORDER.partnerOrderRef),
    selectOrderForUpdate: (k) => orderQueries.selectOrderForUpdate(k, 'mssql', SAMPLE_ORDER.orderId),
    selectOrderLines: (k) => orderQueries.selectOrderLines(k, 'mssql', SAMPLE_ORDER.orderId),
    updateOrderTransition: (k) => [
      orderQueries.updateOrderTransition(k, {
        orderId: SAMPLE_ORDER.orderId,
        from: 'ACCEPTED',
        to: 'CANCELLED',
        at: AT,
        actor: 'p',
        messageId: 'm',
        cancellation: { reason: 'why' },
      }),
      orderQueries.updateOrderTransition(k, {
        orderId: SAMPLE_ORDER.orderId,
        from: 'ACCEPTED',
        to: 'SHIPPED',
        at: AT,
        actor: 'p',
        messageId: 'm',
        shipment: { carrier: 'UPS', trackingNumber: '1Z' },
      }),
    ],
    selectOrderPage: (k) => [
      orderQueries.selectOrderPage(k, 'mssql', SAMPLE_ORDER.partnerId, { limit: 21 }),
      orderQueries.selectOrderPage(k, 'mssql', SAMPLE_ORDER.partnerId, {
        status: 'ACCEPTED',
        createdFrom: AT,
        createdTo: AT,
        after: CURSOR,
        limit: 21,
      }),
      orderQueries.selectOrderPage(k, 'mssql', SAMPLE_ORDER.partnerId, {
        partnerOrderRef: SAMPLE_ORDER.partnerOrderRef,
        limit: 21,
      }),
    ],
    selectHistory: (k) => orderQueries.selectHistory(k, SAMPLE_ORDER.orderId),
    selectStockRow: (k) => orderQueries.selectStockRow(k, 'SKU-A'),
  },
  partners: {
    selectPartnerByUsername: (k) => partnerQueries.selectPartnerByUsername(k, 'acme'),
    selectPartnerById: (k) => partnerQueries.selectPartnerById(k, 'id-1'),
    selectAllPartners: (k) => partnerQueries.selectAllPartners(k),
    insertPartner: (k) =>
      partnerQueries.insertPartner(k, {
        id: 'id-1',
        username: 'acme',
        displayName: 'ACME',
        passwordHash: 'scrypt$x',
        roles: ['admin'],
        disabled: false,
        createdAt: AT,
      }),
    updatePartner: (k) => partnerQueries.updatePartner(k, 'acme', { disabled: true }, AT),
    countPartners: (k) => partnerQueries.countPartners(k),
  },
  security: {
    selectCredentialsByUsername: (k) => securityQueries.selectCredentialsByUsername(k, 'acme'),
    selectCredentialsById: (k) => securityQueries.selectCredentialsById(k, 'id-1'),
    selectCertificate: (k) => [
      securityQueries.selectCertificate(k, { column: 'thumbprint_sha256', value: 'f'.repeat(64) }),
      securityQueries.selectCertificate(k, { column: 'subject_key_identifier', value: 'ab'.repeat(20) }),
      securityQueries.selectCertificate(k, { column: 'issuer_serial', issuer: 'cn=ca', serial: '4096' }),
    ],
    selectCertificatesOfPartner: (k) => securityQueries.selectCertificatesOfPartner(k, 'id-1'),
    insertCertificate: (k) =>
      securityQueries.insertCertificate(k, {
        partnerId: 'id-1',
        sha1: 'a'.repeat(40),
        sha256: 'b'.repeat(64),
        ski: null,
        issuer: 'cn=ca',
        serial: '4096',
        publicKeySha256: 'c'.repeat(64),
        pem: 'PEM',
        notBefore: AT,
        notAfter: AT,
        createdAt: AT,
      }),
    selectIdentityHolders: (k) => [
      securityQueries.selectIdentityHolders(k, {
        sha1: 'a'.repeat(40),
        sha256: 'b'.repeat(64),
        ski: 'ab'.repeat(20),
        issuer: 'cn=ca',
        serial: '4096',
        publicKeySha256: 'c'.repeat(64),
      }),
      securityQueries.selectIdentityHolders(k, {
        sha1: 'a'.repeat(40),
        sha256: 'b'.repeat(64),
        ski: null,
        issuer: 'cn=ca',
        serial: '4096',
        publicKeySha256: 'c'.repeat(64),
      }),
    ],
    revokeCertificateBySha256: (k) => securityQueries.revokeCertificateBySha256(k, 'id-1', 'b'.repeat(64), AT),
    updatePartnerSecurity: (k) =>
      securityQueries.updatePartnerSecurity(
        k,
        'id-1',
        { auth_modes: 'digest', require_timestamp: null, digest_secret: 'v1:x' },
        AT,
      ),
    selectLimitsOfPartner: (k) => securityQueries.selectLimitsOfPartner(k, 'id-1'),
    deleteLimit: (k) => securityQueries.deleteLimit(k, 'id-1', 'SubmitOrder'),
    insertLimit: (k) =>
      securityQueries.insertLimit(k, 'id-1', '*', { points: 10, durationSeconds: 1, maxInFlight: null }, AT),
  },
};
const NOT_QUERIES = new Set(['rolesToDb', 'ORDER_LINE_INSERT_CHUNK']);
const MODULES: Record<string, Record<string, unknown>> = {
  catalog: catalogQueries,
  orders: orderQueries,
  partners: partnerQueries,
  security: securityQueries,
};

function compileQueries(compiler: Knex): CompiledStatement[] {
  const statements: CompiledStatement[] = [];
  for (const [moduleName, samples] of Object.entries(SAMPLES)) {
    for (const [name, sample] of Object.entries(samples)) {
      const built = sample(compiler);
      for (const builder of Array.isArray(built) ? built : [built]) {
        const native = builder.toSQL().toNative();
        statements.push({ label: `${moduleName}.${name}`, sql: native.sql, bindings: native.bindings });
      }
    }
  }
  return statements;
}

function render(statements: CompiledStatement[]): string {
  const serialise = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);
  return statements
    .map(
      (statement) =>
        `-- ${statement.label}\n${statement.sql};\n-- bindings: ${JSON.stringify(statement.bindings.map(serialise))}\n`,
    )
    .join('\n');
}

describe('SQL Server dialect: compiled migrations and store queries', () => {
  const compiler = compilerFor('mssql');
  let ddl: CompiledStatement[];
  let queries: CompiledStatement[];
  const sqlOf = (label: string): string[] =>
    queries.filter((statement) => statement.label === label).map((statement) => statement.sql);

  before(async () => {
    ddl = [];
    for (const migration of MIGRATIONS) ddl.push(...(await compileMigration(compiler, 'up', migration)));
    for (const migration of [...MIGRATIONS].reverse())
      ddl.push(...(await compileMigration(compiler, 'down', migration)));
    queries = compileQueries(compiler);
  });

  after(() => compiler.destroy());

  it('has a sample for every exported query function', () => {
    for (const [moduleName, module] of Object.entries(MODULES)) {
      const exported = Object.entries(module)
        .filter(([name, value]) => typeof value === 'function' && !NOT_QUERIES.has(name))
        .map(([name]) => name)
        .sort();
      assert.deepEqual(Object.keys(SAMPLES[moduleName] ?? {}).sort(), exported, `queries/${moduleName}.ts`);
    }
  });

  it('matches the reviewed snapshot', () => {
    const rendered = render([...ddl, ...queries]);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(SNAPSHOT)) {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, rendered);
    }
    assert.equal(rendered, fs.readFileSync(SNAPSHOT, 'utf8'), 'compiled SQL changed: review, then UPDATE_SNAPSHOTS=1');
  });

  it('stores money as decimal(18,2), instants as fixed-width text, booleans as bit', () => {
    const creates = ddl
      .filter((statement) => statement.sql.startsWith('CREATE TABLE'))
      .map((statement) => statement.sql)
      .join('\n');
    for (const column of ['unit_price', 'total', 'line_total'])
      assert.match(creates, new RegExp(`\\[${column}\\] decimal\\(18, 2\\) not null`));
    for (const column of [
      'created_at',
      'updated_at',
      'shipped_at',
      'cancelled_at',
      'not_before',
      'not_after',
      'revoked_at',
      'at',
    ]) {
      assert.match(creates, new RegExp(`\\[${column}\\] nvarchar\\(24\\)`), column);
    }
    assert.match(creates, /\[requested_delivery_date\] nvarchar\(10\) null/);
    for (const column of ['disabled', 'active'])
      assert.match(creates, new RegExp(`\\[${column}\\] bit not null`), column);
    // Security policy overrides: NULL = the service default.
    for (const column of ['require_timestamp', 'require_signature', 'sign_response', 'allow_legacy_algorithms']) {
      assert.match(creates, new RegExp(`\\[${column}\\] bit null`), column);
    }
    assert.doesNotMatch(
      creates,
      /\] (float|real|money|smallmoney|datetime|smalldatetime|text|ntext)\b/i,
      'no inexact or deprecated types',
    );
  });

  it('bounds every string column; only the certificate PEM is nvarchar(max)', () => {
    const creates = ddl
      .filter((statement) => statement.sql.startsWith('CREATE TABLE'))
      .map((statement) => statement.sql)
      .join('\n');
    const unbounded = [...creates.matchAll(/\[(\w+)\] nvarchar\(max\)/g)].map((match) => match[1]);
    assert.deepEqual(unbounded, ['pem']);
    for (const match of creates.matchAll(/nvarchar\((\d+)\)/g)) assert.ok(Number(match[1]) <= 4000, match[0]);
  });

  it('declares the unique keys as constraints and keeps every index key within SQL Server limits', () => {
    const sql = ddl.map((statement) => statement.sql).join('\n');
    assert.match(
      sql,
      /ALTER TABLE \[orders\] ADD CONSTRAINT \[orders_partner_ref_unique\] UNIQUE \(\[partner_id\], \[partner_order_ref\]\)/,
    );
    assert.match(sql, /ADD CONSTRAINT \[partners_username_unique\] UNIQUE \(\[username\]\)/);
    assert.match(sql, /ADD CONSTRAINT \[partner_certificates_sha1_unique\] UNIQUE/);
    assert.match(sql, /ADD CONSTRAINT \[partner_certificates_sha256_unique\] UNIQUE/);
    assert.match(
      sql,
      /ADD CONSTRAINT \[partner_certificates_issuer_serial_unique\] UNIQUE \(\[issuer\], \[serial_number\]\)/,
    );
    assert.doesNotMatch(sql, /CREATE UNIQUE INDEX .* WHERE/, 'no filtered unique indexes');
    assert.match(sql, /constraint stock_bounds_check check \(reserved >= 0 and on_hand >= 0 and reserved <= on_hand\)/);

    // Byte width of every column, then of every key (PRIMARY KEY clustered <= 900, others <= 1700).
    const widths = new Map<string, number>();
    for (const statement of ddl.filter((candidate) =>
      /^(CREATE TABLE|ALTER TABLE \[\w+\] ADD \[)/.test(candidate.sql),
    )) {
      const table = /^(?:CREATE|ALTER) TABLE \[(\w+)\]/.exec(statement.sql)![1]!;
      for (const match of statement.sql.matchAll(/\[(\w+)\] (nvarchar\((\d+|max)\)|int|bit|decimal\(18, 2\))/g)) {
        const width =
          match[3] === 'max'
            ? Number.POSITIVE_INFINITY
            : match[3]
              ? Number(match[3]) * 2
              : match[2] === 'int'
                ? 4
                : match[2] === 'bit'
                  ? 1
                  : 9;
        widths.set(`${table}.${match[1]}`, width);
      }
      for (const key of statement.sql.matchAll(/PRIMARY KEY \(([^)]*)\)/g)) {
        const bytes = key[1]!
          .split(',')
          .reduce((sum, column) => sum + (widths.get(`${table}.${column.trim().slice(1, -1)}`) ?? Number.NaN), 0);
        assert.ok(bytes <= 900, `${table} primary key is ${bytes} bytes`);
      }
    }
    for (const statement of ddl) {
      const index =
        /^(?:CREATE (?:UNIQUE )?INDEX \[\w+\] ON|ALTER TABLE) \[(\w+)\] (?:ADD CONSTRAINT \[\w+\] UNIQUE )?\(([^)]*)\)/.exec(
          statement.sql,
        );
      if (!index) continue;
      const bytes = index[2]!
        .split(',')
        .reduce((sum, column) => sum + (widths.get(`${index[1]}.${column.trim().slice(1, -1)}`) ?? Number.NaN), 0);
      assert.ok(bytes <= 1700, `${statement.sql} is ${bytes} bytes`);
    }
  });

  it('locks the order row with UPDLOCK and ROWLOCK before a transition', () => {
    const [locked] = sqlOf('orders.selectOrderForUpdate');
    assert.match(locked!, /from \[orders\] with \(UPDLOCK, ROWLOCK\) where \[id\] = @p0/);
  });

  it('reserves, releases and consumes stock with guarded single-statement updates that report the row count', () => {
    assert.match(
      sqlOf('orders.reserveStockIfAvailable')[0]!,
      /update \[stock\] set \[reserved\] = \[reserved\] \+ @p\d+.* where \[sku\] = @p\d+ and \[on_hand\] - \[reserved\] >= @p\d+;select @@rowcount/,
    );
    assert.match(
      sqlOf('orders.releaseReservation')[0]!,
      /set \[reserved\] = \[reserved\] - @p\d+.* where \[sku\] = @p\d+ and \[reserved\] >= @p\d+;select @@rowcount/,
    );
    assert.match(
      sqlOf('orders.consumeReservation')[0]!,
      /set \[on_hand\] = \[on_hand\] - @p\d+, \[reserved\] = \[reserved\] - @p\d+.*and \[reserved\] >= @p\d+ and \[on_hand\] >= @p\d+;select @@rowcount/,
    );
    assert.match(
      sqlOf('catalog.adjustStockIfCovered')[0]!,
      /where \[sku\] = @p\d+ and \[on_hand\] \+ @p\d+ >= \[reserved\];select @@rowcount/,
    );
    assert.match(
      sqlOf('orders.updateOrderTransition')[0]!,
      /where \[id\] = @p\d+ and \[status\] = @p\d+;select @@rowcount/,
    );
  });

  it('looks certificates up by an indexed key, newest unrevoked first, and revokes with a guarded update', () => {
    const [bySha256, bySki, byIssuerSerial] = sqlOf('security.selectCertificate');
    // NULLS FIRST does not exist in T-SQL: knex emulates it, so an unrevoked certificate sorts before revoked ones.
    assert.match(
      bySki!,
      /from \[partner_certificates\] where \[subject_key_identifier\] = @p0 order by IIF\(\[revoked_at\] is null,0,1\) asc, \[created_at\] desc$/,
    );
    assert.match(bySha256!, /where \[thumbprint_sha256\] = @p0 order by/);
    assert.match(byIssuerSerial!, /where \[issuer\] = @p0 and \[serial_number\] = @p1$/);
    const sql = ddl.map((statement) => statement.sql).join('\n');
    assert.match(
      sql,
      /CREATE INDEX \[partner_certificates_ski_index\] ON \[partner_certificates\] \(\[subject_key_identifier\]\)/,
    );
    assert.match(
      sqlOf('security.revokeCertificateBySha256')[0]!,
      /^update \[partner_certificates\] set \[revoked_at\] = @p0 where \[partner_id\] = @p1 and \[thumbprint_sha256\] = @p2 and \[revoked_at\] is null;select @@rowcount;?$/,
    );
    assert.match(
      sqlOf('security.updatePartnerSecurity')[0]!,
      /^update \[partners\] set .*\[updated_at\] = @p\d+ where \[id\] = @p\d+;select @@rowcount;?$/,
    );
    for (const label of ['security.selectCredentialsByUsername', 'security.selectCredentialsById']) {
      assert.doesNotMatch(sqlOf(label)[0]!, /\*|\[pem\]/, `${label} selects named columns only`);
    }
    assert.match(
      sqlOf('security.deleteLimit')[0]!,
      /^delete from \[partner_limits\] where \[partner_id\] = @p0 and \[operation\] = @p1/,
    );
  });

  it('pages with TOP and a keyset condition, newest first', () => {
    const [first, filtered] = sqlOf('orders.selectOrderPage');
    assert.match(
      first!,
      /^select top \(@p0\) .* from \[orders\] where \[partner_id\] = @p1 order by \[created_at\] desc, \[id\] desc$/,
    );
    assert.match(
      filtered!,
      /and \(\[created_at\] < @p\d+ or \(\[created_at\] = @p\d+ and \[id\] < @p\d+\)\) order by \[created_at\] desc, \[id\] desc$/,
    );
    const [, search] = sqlOf('catalog.searchProducts');
    assert.match(
      search!,
      /^select top \(@p0\) .* and \[sku\] > @p\d+ and \(lower\(\[sku\]\) like @p\d+ escape '!' or lower\(\[name\]\) like @p\d+ escape '!' or lower\(\[description\]\) like @p\d+ escape '!'\) order by \[sku\] asc$/,
    );
    const searchBindings = queries.filter((statement) => statement.label === 'catalog.searchProducts')[1]!.bindings;
    assert.ok(
      searchBindings.includes('%50!%!_![x]!!%'),
      `LIKE pattern escapes %, _, [ and ! (${JSON.stringify(searchBindings)})`,
    );
  });

  it('reads money as exact text: decimal columns are CAST to varchar (tedious would return a float)', () => {
    for (const label of [
      'catalog.selectProduct',
      'orders.selectOrder',
      'orders.selectOrderLines',
      'orders.selectOrderPage',
      'orders.selectOrderForUpdate',
    ]) {
      for (const sql of sqlOf(label)) {
        assert.match(sql, /CAST\(\[(unit_price|total)\] AS varchar\(24\)\) as \[(unit_price|total)\]/, label);
        assert.doesNotMatch(
          sql.replace(/CAST\(\[\w+\] AS varchar\(24\)\) as \[\w+\]/g, ''),
          /\[(unit_price|total|line_total)\]/,
          `${label} selects no raw money column`,
        );
      }
    }
  });

  it('keeps every statement parameterised and under 2100 parameters, also for a 500-line order', () => {
    for (const statement of queries) {
      assert.ok(statement.bindings.length <= MSSQL_MAX_PARAMETERS, statement.label);
      for (const value of ['PO-REF-1', 'SKU-A', 'acme', '9999999.99'])
        assert.ok(!statement.sql.includes(value), `${statement.label} inlines ${value}`);
    }
    const bulk = orderQueries.insertOrderLines(compiler, BULK_ORDER).map((builder) => builder.toSQL().toNative());
    assert.equal(bulk.length, 2);
    for (const part of bulk)
      assert.ok(part.bindings.length <= MSSQL_MAX_PARAMETERS, `${part.bindings.length} parameters`);
    const columns = /^insert into \[order_lines\] \(([^)]*)\)/.exec(bulk[0]!.sql)![1]!.split(',').length;
    assert.equal(
      bulk.reduce((sum, part) => sum + part.bindings.length, 0),
      500 * columns,
      'every line in exactly one statement',
    );
  });
});
