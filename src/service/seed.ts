/**
 * Demo data for a fresh installation: a small hardware-wholesale catalog with stock, a demo partner and a
 * demo administrator. Used by `partner-orders seed` and by `npm start` on an empty database.
 */
import { randomBytes } from 'node:crypto';
import { CatalogService } from './catalog';
import { PageTokens } from './page-token';
import { PartnerService } from './partners';
import type { ProductRecord, Stores } from './store';

export const DEMO_PARTNER_USERNAME = 'demo';
export const DEMO_ADMIN_USERNAME = 'admin';

interface DemoProduct extends Omit<ProductRecord, 'currency' | 'active'> {
  onHand: number;
}

const CURRENCY = 'EUR';

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    sku: 'FAS-SCR-4X40',
    name: 'Wood screw 4 x 40 mm, box of 200',
    category: 'Fasteners',
    unitPrice: '6.90',
    onHand: 1200,
    description: 'Zinc-plated, Torx T20, partial thread',
  },
  {
    sku: 'FAS-SCR-5X60',
    name: 'Wood screw 5 x 60 mm, box of 200',
    category: 'Fasteners',
    unitPrice: '9.40',
    onHand: 900,
  },
  {
    sku: 'FAS-BLT-M8X50',
    name: 'Hex bolt M8 x 50 mm, DIN 933, box of 50',
    category: 'Fasteners',
    unitPrice: '7.25',
    onHand: 600,
  },
  {
    sku: 'FAS-NUT-M8',
    name: 'Hex nut M8, DIN 934, box of 100',
    category: 'Fasteners',
    unitPrice: '3.10',
    onHand: 1500,
  },
  { sku: 'FAS-WSH-M8', name: 'Washer M8, DIN 125, box of 200', category: 'Fasteners', unitPrice: '2.80', onHand: 2000 },
  {
    sku: 'FAS-ANC-10',
    name: 'Nylon wall anchor 10 mm, box of 100',
    category: 'Fasteners',
    unitPrice: '5.60',
    onHand: 800,
  },
  {
    sku: 'TLS-DRL-18V',
    name: 'Cordless drill driver 18 V, 2 batteries',
    category: 'Tools',
    unitPrice: '149.00',
    onHand: 40,
    description: 'Brushless motor, 60 Nm, 13 mm keyless chuck',
  },
  {
    sku: 'TLS-HAM-500',
    name: 'Claw hammer 500 g, fibreglass handle',
    category: 'Tools',
    unitPrice: '18.50',
    onHand: 120,
  },
  { sku: 'TLS-SAW-550', name: 'Hand saw 550 mm, hardened teeth', category: 'Tools', unitPrice: '21.90', onHand: 75 },
  { sku: 'TLS-LVL-600', name: 'Spirit level 600 mm, aluminium', category: 'Tools', unitPrice: '16.40', onHand: 90 },
  { sku: 'TLS-TAP-5M', name: 'Measuring tape 5 m', category: 'Tools', unitPrice: '7.95', onHand: 300 },
  { sku: 'TLS-BIT-SET32', name: 'Screwdriver bit set, 32 pieces', category: 'Tools', unitPrice: '12.99', onHand: 160 },
  {
    sku: 'ELE-CBL-3G15-50',
    name: 'Installation cable NYM-J 3 x 1.5 mm², 50 m',
    category: 'Electrical',
    unitPrice: '39.90',
    onHand: 85,
  },
  { sku: 'ELE-SOC-2G', name: 'Double socket outlet, white', category: 'Electrical', unitPrice: '8.70', onHand: 400 },
  { sku: 'ELE-SWT-1G', name: 'Light switch, single, white', category: 'Electrical', unitPrice: '4.30', onHand: 450 },
  {
    sku: 'ELE-LED-E27-9W',
    name: 'LED bulb E27, 9 W, warm white',
    category: 'Electrical',
    unitPrice: '2.49',
    onHand: 2500,
  },
  { sku: 'ELE-EXT-5M', name: 'Extension cord 5 m, 3 outlets', category: 'Electrical', unitPrice: '11.90', onHand: 140 },
  {
    sku: 'PLB-PIPE-CU15',
    name: 'Copper pipe 15 mm, 2 m length',
    category: 'Plumbing',
    unitPrice: '14.20',
    onHand: 260,
  },
  {
    sku: 'PLB-ELB-CU15',
    name: 'Copper elbow 90° 15 mm, pack of 10',
    category: 'Plumbing',
    unitPrice: '6.30',
    onHand: 500,
  },
  { sku: 'PLB-VLV-BALL-15', name: 'Ball valve 1/2 inch, brass', category: 'Plumbing', unitPrice: '9.80', onHand: 220 },
  { sku: 'PLB-TAPE-PTFE', name: 'PTFE thread seal tape, 12 m', category: 'Plumbing', unitPrice: '0.95', onHand: 3000 },
  {
    sku: 'PLB-SIL-WHT',
    name: 'Sanitary silicone, white, 310 ml',
    category: 'Plumbing',
    unitPrice: '5.45',
    onHand: 600,
  },
  {
    sku: 'SAF-GLV-L',
    name: 'Work gloves, nitrile coated, size L, 12 pairs',
    category: 'Safety',
    unitPrice: '19.90',
    onHand: 350,
  },
  { sku: 'SAF-GOG-CLR', name: 'Safety goggles, clear, anti-fog', category: 'Safety', unitPrice: '4.80', onHand: 500 },
  {
    sku: 'SAF-EAR-200',
    name: 'Foam ear plugs, dispenser of 200 pairs',
    category: 'Safety',
    unitPrice: '29.00',
    onHand: 60,
  },
  { sku: 'SAF-HLM-WHT', name: 'Safety helmet, white, EN 397', category: 'Safety', unitPrice: '11.50', onHand: 180 },
  { sku: 'SAF-VST-XL', name: 'High-visibility vest, yellow, XL', category: 'Safety', unitPrice: '3.90', onHand: 700 },
  {
    sku: 'PCK-BOX-400',
    name: 'Shipping carton 400 x 300 x 200 mm, bundle of 25',
    category: 'Packaging',
    unitPrice: '17.50',
    onHand: 420,
  },
  {
    sku: 'PCK-TAPE-50',
    name: 'Packing tape 50 mm x 66 m, brown',
    category: 'Packaging',
    unitPrice: '1.85',
    onHand: 2400,
  },
  { sku: 'PCK-WRAP-500', name: 'Stretch film 500 mm x 300 m', category: 'Packaging', unitPrice: '12.60', onHand: 300 },
  { sku: 'PCK-BUB-100', name: 'Bubble wrap roll 1 m x 100 m', category: 'Packaging', unitPrice: '34.00', onHand: 70 },
  { sku: 'OFF-PAP-A4', name: 'Copy paper A4 80 g/m², 500 sheets', category: 'Office', unitPrice: '4.99', onHand: 1800 },
  { sku: 'OFF-PEN-BLU10', name: 'Ballpoint pen, blue, pack of 10', category: 'Office', unitPrice: '3.20', onHand: 900 },
  { sku: 'OFF-BND-A4', name: 'Lever arch file A4, 80 mm', category: 'Office', unitPrice: '2.75', onHand: 650 },
  {
    sku: 'OFF-LBL-100',
    name: 'Shipping labels 100 x 150 mm, 500 per roll',
    category: 'Office',
    unitPrice: '15.80',
    onHand: 240,
  },
  { sku: 'CLN-RAG-10KG', name: 'Cotton cleaning rags, 10 kg', category: 'Cleaning', unitPrice: '27.50', onHand: 50 },
  { sku: 'CLN-DEG-1L', name: 'Industrial degreaser, 1 l', category: 'Cleaning', unitPrice: '8.90', onHand: 310 },
  { sku: 'CLN-BRM-40', name: 'Warehouse broom, 40 cm', category: 'Cleaning', unitPrice: '13.40', onHand: 95 },
];

export interface SeededPartner {
  username: string;
  /** The clear password, to show the operator once. */
  password: string;
  roles: string[];
  /** false when the partner already existed and was left as it was. */
  created: boolean;
}

export type SeedOutcome =
  { seeded: false; reason: 'not-empty' } | { seeded: true; products: number; partners: SeededPartner[] };

export interface SeedOptions {
  /** Seed even when the database already holds data: products are replaced, stock topped up, partners kept. */
  force?: boolean;
  /** Passwords for the demo accounts; random when absent. */
  demoPassword?: string;
  adminPassword?: string;
  now?: () => Date;
}

/** Seeds the demo data when the database holds no products and no partners (or when forced). */
export async function seedDemoData(stores: Stores, options: SeedOptions = {}): Promise<SeedOutcome> {
  const empty = (await stores.catalog.countProducts()) === 0 && (await stores.partners.count()) === 0;
  if (!empty && !options.force) return { seeded: false, reason: 'not-empty' };

  const now = options.now ?? (() => new Date());
  // Seeding never pages, so the token key only has to be valid, not shared.
  const catalog = new CatalogService(stores.catalog, new PageTokens(randomBytes(32)), now);
  const partners = new PartnerService(stores.partners, now);
  const seeder = { partnerId: 'seed', messageId: 'seed' };

  for (const { onHand, ...product } of DEMO_PRODUCTS) {
    await catalog.upsertProduct({ ...product, currency: CURRENCY, active: true });
    const [level] = await catalog.getStockLevels([product.sku]);
    const missing = onHand - (level?.onHand ?? 0);
    if (missing > 0) await catalog.adjustStock({ sku: product.sku, delta: missing, reason: 'demo seed' }, seeder);
  }

  const seeded: SeededPartner[] = [];
  for (const [username, displayName, password, admin] of [
    [DEMO_PARTNER_USERNAME, 'Demo Trading Partner', options.demoPassword, false],
    [DEMO_ADMIN_USERNAME, 'Demo Administrator', options.adminPassword, true],
  ] as const) {
    const existing = await stores.partners.findByUsername(username);
    if (existing) {
      seeded.push({ username, password: '(unchanged)', roles: existing.roles, created: false });
      continue;
    }
    const added = await partners.addPartner({ username, displayName, password, admin });
    seeded.push({ username, password: added.password, roles: added.partner.roles, created: true });
  }
  return { seeded: true, products: DEMO_PRODUCTS.length, partners: seeded };
}
