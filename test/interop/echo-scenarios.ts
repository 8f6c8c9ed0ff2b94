/**
 * The scenarios every echo interop client (Java, Python) runs over each SOAP version, with the least
 * number of checks each must print: a client that silently skips a field fails its scenario.
 */
export const ECHO_SCENARIOS: ReadonlyArray<{ name: string; minimumChecks: number }> = [
  { name: 'primitives-extremes', minimumChecks: 25 },
  { name: 'primitives-zeroes', minimumChecks: 25 },
  { name: 'structures-full', minimumChecks: 30 },
  { name: 'structures-minimal', minimumChecks: 10 },
  { name: 'structures-nils', minimumChecks: 10 },
  { name: 'facets', minimumChecks: 15 },
  { name: 'fault-echo', minimumChecks: 5 },
  { name: 'fault-limit', minimumChecks: 4 },
  { name: 'fault-none', minimumChecks: 1 },
  { name: 'fault-unexpected', minimumChecks: 4 },
  { name: 'fault-invalid-input', minimumChecks: 3 },
];

export const SOAP_VERSIONS = ['soap11', 'soap12'] as const;
