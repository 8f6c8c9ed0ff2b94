/**
 * The contract v2 lifecycle steps every v2 interop client (Python zeep, Java JAX-WS) runs over each SOAP
 * version, with the least number of checks each must print.
 */
export const V2_STEPS: ReadonlyArray<{ name: string; minimumChecks: number }> = [
  { name: 'product', minimumChecks: 3 },
  { name: 'submit', minimumChecks: 9 },
  { name: 'resubmit', minimumChecks: 2 },
  { name: 'list-by-ref', minimumChecks: 4 },
  { name: 'cancel', minimumChecks: 3 },
  { name: 'history', minimumChecks: 4 },
  { name: 'ship', minimumChecks: 2 },
  { name: 'fault-order-not-found', minimumChecks: 2 },
  { name: 'fault-insufficient-stock', minimumChecks: 3 },
];
