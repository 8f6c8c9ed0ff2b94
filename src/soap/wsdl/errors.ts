/**
 * The one error the contract loader throws. Its message always starts with the file (relative to the
 * project root) and names the construct, so a broken or unsupported WSDL is fixed without a debugger.
 */
export class ContractLoadError extends Error {
  constructor(
    readonly file: string,
    readonly construct: string,
    detail: string,
  ) {
    super(`${file}: ${construct}: ${detail}`);
    this.name = 'ContractLoadError';
  }
}
