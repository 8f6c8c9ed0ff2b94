/**
 * The lifecycle steps every v1 interop client (Java, Python) runs over each SOAP version, with the least
 * number of checks each must print.
 */
export const V1_STEPS: ReadonlyArray<{ name: string; minimumChecks: number }> = [
  { name: 'search', minimumChecks: 4 },
  { name: 'stock', minimumChecks: 3 },
  { name: 'submit', minimumChecks: 12 },
  { name: 'resubmit', minimumChecks: 4 },
  { name: 'get', minimumChecks: 5 },
  { name: 'list', minimumChecks: 7 },
  { name: 'cancel', minimumChecks: 4 },
  { name: 'ship', minimumChecks: 5 },
  { name: 'fault-insufficient-stock', minimumChecks: 5 },
  { name: 'fault-order-not-found', minimumChecks: 2 },
  { name: 'fault-invalid-order-state', minimumChecks: 3 },
  { name: 'fault-not-authorized', minimumChecks: 2 },
  { name: 'fault-wrong-password', minimumChecks: 2 },
];

/** v2 runs the same steps plus GetOrderHistory. */
export const V2_STEPS: ReadonlyArray<{ name: string; minimumChecks: number }> = [
  ...V1_STEPS.slice(0, 5),
  { name: 'history', minimumChecks: 4 },
  ...V1_STEPS.slice(5),
];
